package sonogate.io;

import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Unpacks uncompressed frame bytes into pixel-interleaved stored sample values: handles 8/16-bit
 * containers, byte order, planar configuration 1 and YBR_FULL_422's shared chroma.
 */
final class NativePixels {
  private NativePixels() {}

  /**
   * @param raw one frame, {@link PixelFormat#nativeFrameBytes()} long
   * @param swap8 true for 8-bit OW data in big endian, whose bytes are swapped in pairs
   */
  static int[] unpack(byte[] raw, PixelFormat f, ByteOrder order, boolean swap8, Path file)
      throws ClipFormatException {
    if (raw.length < f.nativeFrameBytes()) {
      throw new ClipFormatException(file, "frame holds " + raw.length + " bytes, expected " + f.nativeFrameBytes());
    }
    int n = f.pixels();
    int spp = f.samplesPerPixel();
    int[] out = new int[n * spp];
    if (PixelFormat.YBR_FULL_422.equals(f.photometric())) {
      if (f.columns() % 2 != 0) throw new ClipFormatException(file, "YBR_FULL_422 needs an even number of columns");
      for (int p = 0; p < n; p += 2) {
        int base = p * 2; // Y1 Y2 Cb Cr
        int y1 = sample(raw, base, f, order, swap8);
        int y2 = sample(raw, base + 1, f, order, swap8);
        int cb = sample(raw, base + 2, f, order, swap8);
        int cr = sample(raw, base + 3, f, order, swap8);
        out[3 * p] = y1;
        out[3 * p + 1] = cb;
        out[3 * p + 2] = cr;
        out[3 * p + 3] = y2;
        out[3 * p + 4] = cb;
        out[3 * p + 5] = cr;
      }
      return out;
    }
    if (f.planar() && spp > 1) {
      for (int c = 0; c < spp; c++) {
        for (int p = 0; p < n; p++) out[p * spp + c] = sample(raw, c * n + p, f, order, swap8);
      }
    } else {
      for (int i = 0; i < n * spp; i++) out[i] = sample(raw, i, f, order, swap8);
    }
    return out;
  }

  private static int sample(byte[] raw, int index, PixelFormat f, ByteOrder order, boolean swap8) {
    int v;
    if (f.bitsAllocated() == 8) {
      int j = swap8 && (index ^ 1) < raw.length ? index ^ 1 : index;
      v = raw[j] & 0xFF;
    } else {
      int a = raw[2 * index] & 0xFF;
      int b = raw[2 * index + 1] & 0xFF;
      v = order == ByteOrder.LITTLE_ENDIAN ? a | b << 8 : a << 8 | b;
    }
    return f.normalize(v);
  }
}
