package sonogate.io;

import java.nio.file.Path;

/**
 * Uncompressed AVI frames (device-independent bitmaps): BI_RGB 24-bit (BGR) and 32-bit (BGRX),
 * 8-bit palette indices (delivered as grey when the palette is grey, else RGB), and 8-bit grey
 * FourCCs (Y800, Y8, GREY). BI_RGB rows run bottom-up unless the height is negative; FourCC
 * formats run top-down. Rows are padded to 4 bytes as DIBs are, unless the chunk size shows
 * unpadded rows (some writers omit the padding).
 */
final class DibFrameDecoder implements AviFrameDecoder {
  private final Path file;
  private final int width;
  private final int height;
  private final int bytesPerPixel;
  private final boolean bottomUp;
  private final int[] palette; // 0x00RRGGBB, empty for direct colour
  private final boolean grey;

  private DibFrameDecoder(Path file, int width, int height, int bytesPerPixel, boolean bottomUp, int[] palette, boolean grey) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.bytesPerPixel = bytesPerPixel;
    this.bottomUp = bottomUp;
    this.palette = palette;
    this.grey = grey;
  }

  /** True for the uncompressed formats this decoder reads. */
  static boolean handles(AviFile.VideoFormat f) {
    return f.compression() == 0 || isGreyFourcc(f.compressionName());
  }

  private static boolean isGreyFourcc(String name) {
    return name.equals("Y800") || name.equals("Y8  ") || name.equals("GREY");
  }

  static DibFrameDecoder of(AviFile.VideoFormat f, Path file) throws ClipFormatException {
    if (isGreyFourcc(f.compressionName())) {
      if (f.bitCount() != 8 && f.bitCount() != 0) throw new ClipFormatException(file, f.compressionName() + " with " + f.bitCount() + " bits per pixel");
      return new DibFrameDecoder(file, f.width(), f.height(), 1, false, new int[0], true);
    }
    return switch (f.bitCount()) {
      case 24 -> new DibFrameDecoder(file, f.width(), f.height(), 3, !f.topDown(), new int[0], false);
      case 32 -> new DibFrameDecoder(file, f.width(), f.height(), 4, !f.topDown(), new int[0], false);
      case 8 -> {
        if (f.palette().length == 0) throw new ClipFormatException(file, "8-bit uncompressed AVI without a palette");
        yield new DibFrameDecoder(file, f.width(), f.height(), 1, !f.topDown(), f.palette(), isGreyPalette(f.palette()));
      }
      default -> throw new ClipFormatException(file, "uncompressed AVI with " + f.bitCount() + " bits per pixel is not supported (8, 24 or 32)");
    };
  }

  private static boolean isGreyPalette(int[] palette) {
    for (int i = 0; i < palette.length; i++) {
      int r = palette[i] >> 16 & 0xFF, g = palette[i] >> 8 & 0xFF, b = palette[i] & 0xFF;
      if (r != g || g != b) return false;
    }
    return true;
  }

  @Override
  public int channels() {
    return grey ? 1 : 3;
  }

  @Override
  public String photometric() {
    return palette.length > 0 && !grey ? "PALETTE COLOR" : grey ? "MONOCHROME2" : "RGB";
  }

  @Override
  public boolean intraOnly() {
    return true;
  }

  @Override
  public Frame decode(byte[] data, int length, int index) throws ClipFormatException {
    int packed = width * bytesPerPixel;
    int padded = (packed + 3) & ~3;
    int stride;
    if (length >= (long) padded * height) stride = padded;
    else if (length >= (long) packed * height) stride = packed;
    else throw new ClipFormatException(file, "frame " + index + " holds " + length + " bytes, a " + width + "x" + height + " frame needs " + (long) padded * height);
    int channels = channels();
    byte[] out = new byte[width * height * channels];
    for (int y = 0; y < height; y++) {
      int src = (bottomUp ? height - 1 - y : y) * stride;
      int dst = y * width * channels;
      for (int x = 0; x < width; x++, src += bytesPerPixel) {
        if (bytesPerPixel >= 3) {
          out[dst++] = data[src + 2];
          out[dst++] = data[src + 1];
          out[dst++] = data[src];
        } else if (palette.length == 0) {
          out[dst++] = data[src];
        } else {
          int i = data[src] & 0xFF;
          if (i >= palette.length) throw new ClipFormatException(file, "frame " + index + ": palette index " + i + " of " + palette.length);
          int rgb = palette[i];
          if (grey) {
            out[dst++] = (byte) rgb;
          } else {
            out[dst++] = (byte) (rgb >> 16);
            out[dst++] = (byte) (rgb >> 8);
            out[dst++] = (byte) rgb;
          }
        }
      }
    }
    return new Frame(width, height, channels, out);
  }

  @Override
  public void reset() {}
}
