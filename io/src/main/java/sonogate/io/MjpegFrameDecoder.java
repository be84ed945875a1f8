package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import javax.imageio.stream.ImageInputStream;

/**
 * Motion-JPEG AVI frames: each chunk is a JPEG image, decoded by the JDK's ImageIO (baseline and
 * extended 8-bit; YCbCr to RGB as JFIF specifies). Many MJPEG writers leave out the Huffman
 * tables (the "AVI1" convention: decoders use the standard tables of ITU T.81 Annex K); those
 * frames get the standard tables (the JDK's {@link JPEGHuffmanTable} constants) inserted.
 */
final class MjpegFrameDecoder implements AviFrameDecoder {
  private static final byte[] STANDARD_TABLES = standardTables();

  private final Path file;
  private final int width;
  private final int height;
  private final int channels;
  private final ImageReader reader;

  private MjpegFrameDecoder(Path file, int width, int height, int channels, ImageReader reader) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.reader = reader;
  }

  static boolean handles(AviFile.VideoFormat f) {
    return switch (f.compressionName().toUpperCase(java.util.Locale.ROOT)) {
      case "MJPG", "AVRN", "AVDJ", "JPEG", "DMB1" -> true;
      default -> false;
    };
  }

  /** A decoder whose channel count is that of the first frame ({@code first[0, length)}). */
  static MjpegFrameDecoder of(AviFile.VideoFormat f, Path file, byte[] first, int length) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) throw new ClipFormatException(file, "no ImageIO JPEG reader in this JDK");
    MjpegFrameDecoder probe = new MjpegFrameDecoder(file, f.width(), f.height(), 0, readers.next());
    BufferedImage image = probe.read(first, length, 0);
    int channels = image.getRaster().getNumBands() == 1 ? 1 : 3;
    return new MjpegFrameDecoder(file, f.width(), f.height(), channels, probe.reader);
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public String photometric() {
    return channels == 1 ? "MONOCHROME2" : "RGB";
  }

  @Override
  public boolean intraOnly() {
    return true;
  }

  @Override
  public Frame decode(byte[] data, int length, int index) throws IOException {
    BufferedImage image = read(data, length, index);
    byte[] out = new byte[width * height * channels];
    if (channels == 1) {
      if (image.getRaster().getNumBands() != 1) throw new ClipFormatException(file, "MJPEG frame " + index + " is colour, the first frame grey");
      image.getRaster().getDataElements(0, 0, width, height, out);
      return new Frame(width, height, 1, out);
    }
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel sm
        && sm.getScanlineStride() == width * 3 && image.getRaster().getDataBuffer() instanceof DataBufferByte db) {
      byte[] bgr = db.getData();
      for (int i = 0; i < out.length; i += 3) {
        out[i] = bgr[i + 2];
        out[i + 1] = bgr[i + 1];
        out[i + 2] = bgr[i];
      }
    } else {
      int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
      for (int p = 0; p < argb.length; p++) {
        out[3 * p] = (byte) (argb[p] >> 16);
        out[3 * p + 1] = (byte) (argb[p] >> 8);
        out[3 * p + 2] = (byte) argb[p];
      }
    }
    return new Frame(width, height, 3, out);
  }

  private BufferedImage read(byte[] data, int length, int index) throws IOException {
    byte[] jpeg = withHuffmanTables(data, length);
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(in, true, true);
      image = reader.read(0);
    } catch (IOException | RuntimeException e) {
      throw new ClipFormatException(file, "MJPEG frame " + index + " cannot be decoded (" + e.getMessage() + ")", e);
    }
    if (image.getWidth() != width || image.getHeight() != height) {
      String hint = image.getHeight() * 2 == height ? "; interlaced MJPEG (two fields per frame) is not supported" : "";
      throw new ClipFormatException(file, "MJPEG frame " + index + " is " + image.getWidth() + "x" + image.getHeight()
          + " but the AVI header says " + width + "x" + height + hint);
    }
    return image;
  }

  /** {@code data} as a complete JPEG: the standard Huffman tables inserted after SOI when it has none. */
  private byte[] withHuffmanTables(byte[] data, int length) throws ClipFormatException {
    if (length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) {
      throw new ClipFormatException(file, "MJPEG frame does not start with a JPEG start-of-image marker");
    }
    int pos = 2;
    while (pos + 4 <= length) {
      if ((data[pos] & 0xFF) != 0xFF) break;
      int marker = data[pos + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        pos++;
        continue;
      }
      if (marker == 0xC4) return java.util.Arrays.copyOf(data, length); // has tables
      if (marker == 0xDA || marker == 0xD9) break; // start of scan: no tables came before it
      pos += 2 + ((data[pos + 2] & 0xFF) << 8 | (data[pos + 3] & 0xFF));
    }
    byte[] out = new byte[length + STANDARD_TABLES.length];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    System.arraycopy(STANDARD_TABLES, 0, out, 2, STANDARD_TABLES.length);
    System.arraycopy(data, 2, out, 2 + STANDARD_TABLES.length, length - 2);
    return out;
  }

  /** One DHT segment with the four standard tables (DC/AC, luminance/chrominance). */
  private static byte[] standardTables() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    table(body, 0x00, JPEGHuffmanTable.StdDCLuminance);
    table(body, 0x10, JPEGHuffmanTable.StdACLuminance);
    table(body, 0x01, JPEGHuffmanTable.StdDCChrominance);
    table(body, 0x11, JPEGHuffmanTable.StdACChrominance);
    byte[] b = body.toByteArray();
    byte[] segment = new byte[4 + b.length];
    segment[0] = (byte) 0xFF;
    segment[1] = (byte) 0xC4;
    segment[2] = (byte) ((b.length + 2) >> 8);
    segment[3] = (byte) (b.length + 2);
    System.arraycopy(b, 0, segment, 4, b.length);
    return segment;
  }

  private static void table(ByteArrayOutputStream out, int classAndId, JPEGHuffmanTable t) {
    out.write(classAndId);
    for (short n : t.getLengths()) out.write(n);
    for (short v : t.getValues()) out.write(v);
  }

  @Override
  public void reset() {}

  @Override
  public void close() {
    reader.dispose();
  }
}
