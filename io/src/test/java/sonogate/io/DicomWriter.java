package sonogate.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** A tiny DICOM Part 10 writer for tests: elements are written in the order they are added. */
final class DicomWriter {
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  static final String RLE = "1.2.840.10008.1.2.5";
  static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

  private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

  private final String syntax;
  private final boolean explicit;
  private final ByteOrder order;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private boolean preamble = true;
  private boolean meta = true;

  DicomWriter(String syntax) {
    this.syntax = syntax;
    this.explicit = !syntax.equals(IMPLICIT_LE);
    this.order = syntax.equals(EXPLICIT_BE) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  /** Leaves out the 128-byte preamble, "DICM" and the meta group (a bare dataset). */
  DicomWriter bare() {
    preamble = false;
    meta = false;
    return this;
  }

  DicomWriter str(int tag, String vr, String value) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    if (b.length % 2 != 0) {
      b = java.util.Arrays.copyOf(b, b.length + 1);
      b[b.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
    }
    return element(tag, vr, b);
  }

  DicomWriter us(int tag, int... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(order);
    for (int v : values) b.putShort((short) v);
    return element(tag, "US", b.array());
  }

  DicomWriter ul(int tag, long value) {
    return element(tag, "UL", ByteBuffer.allocate(4).order(order).putInt((int) value).array());
  }

  DicomWriter fd(int tag, double value) {
    return element(tag, "FD", ByteBuffer.allocate(8).order(order).putDouble(value).array());
  }

  /** Words as OW in this writer's byte order. */
  DicomWriter ow(int tag, int[] words) {
    ByteBuffer b = ByteBuffer.allocate(2 * words.length).order(order);
    for (int w : words) b.putShort((short) w);
    return element(tag, "OW", b.array());
  }

  DicomWriter element(int tag, String vr, byte[] value) {
    header(body, tag, vr, value.length);
    body.writeBytes(value);
    return this;
  }

  /** A sequence of items (each a dataset written by another writer of the same syntax). */
  DicomWriter sequence(int tag, boolean undefinedLength, DicomWriter... items) {
    ByteArrayOutputStream seq = new ByteArrayOutputStream();
    for (DicomWriter item : items) {
      byte[] data = item.body.toByteArray();
      tagAndLength(seq, 0xFFFE_E000, undefinedLength ? 0xFFFF_FFFFL : data.length);
      seq.writeBytes(data);
      if (undefinedLength) tagAndLength(seq, 0xFFFE_E00D, 0);
    }
    if (undefinedLength) tagAndLength(seq, 0xFFFE_E0DD, 0);
    byte[] data = seq.toByteArray();
    header(body, tag, "SQ", undefinedLength ? 0xFFFF_FFFFL : data.length);
    body.writeBytes(data);
    return this;
  }

  /** Native pixel data. */
  DicomWriter pixels(String vr, byte[] data) {
    return element(0x7FE0_0010, vr, data);
  }

  /** Encapsulated pixel data: one fragment per frame, with or without a basic offset table. */
  DicomWriter encapsulated(List<byte[]> fragments, boolean offsetTable) {
    header(body, 0x7FE0_0010, "OB", 0xFFFF_FFFFL);
    ByteBuffer bot = ByteBuffer.allocate(offsetTable ? 4 * fragments.size() : 0).order(ByteOrder.LITTLE_ENDIAN);
    long offset = 0;
    for (byte[] f : fragments) {
      if (offsetTable) bot.putInt((int) offset);
      offset += 8 + f.length + (f.length % 2);
    }
    item(bot.array());
    for (byte[] f : fragments) item(f.length % 2 == 0 ? f : java.util.Arrays.copyOf(f, f.length + 1));
    tagAndLengthLe(body, 0xFFFE_E0DD, 0);
    return this;
  }

  private void item(byte[] data) {
    tagAndLengthLe(body, 0xFFFE_E000, data.length);
    body.writeBytes(data);
  }

  byte[] toBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (preamble) {
      out.writeBytes(new byte[128]);
      out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    }
    if (meta) {
      ByteArrayOutputStream group = new ByteArrayOutputStream();
      byte[] uid = syntax.getBytes(StandardCharsets.US_ASCII);
      if (uid.length % 2 != 0) uid = java.util.Arrays.copyOf(uid, uid.length + 1);
      explicitLe(group, 0x0002_0001, "OB", new byte[] {0, 1});
      explicitLe(group, 0x0002_0010, "UI", uid);
      byte[] g = group.toByteArray();
      explicitLe(out, 0x0002_0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(g.length).array());
      out.writeBytes(g);
    }
    byte[] dataset = body.toByteArray();
    if (syntax.equals(DEFLATED_LE)) {
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
        d.write(dataset);
      }
      dataset = z.toByteArray();
    }
    out.writeBytes(dataset);
    return out.toByteArray();
  }

  Path write(Path file) throws IOException {
    Files.write(file, toBytes());
    return file;
  }

  private void header(ByteArrayOutputStream out, int tag, String vr, long length) {
    ByteBuffer b = ByteBuffer.allocate(12).order(order);
    b.putShort((short) (tag >>> 16)).putShort((short) tag);
    if (!explicit) {
      b.putInt((int) length);
    } else {
      b.put(vr.getBytes(StandardCharsets.US_ASCII));
      if (LONG_VRS.contains(vr)) b.putShort((short) 0).putInt((int) length);
      else b.putShort((short) length);
    }
    out.write(b.array(), 0, b.position());
  }

  private void tagAndLength(ByteArrayOutputStream out, int tag, long length) {
    ByteBuffer b = ByteBuffer.allocate(8).order(order);
    b.putShort((short) (tag >>> 16)).putShort((short) tag).putInt((int) length);
    out.writeBytes(b.array());
  }

  private static void tagAndLengthLe(ByteArrayOutputStream out, int tag, long length) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag).putInt((int) length);
    out.writeBytes(b.array());
  }

  private static void explicitLe(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII));
    if (LONG_VRS.contains(vr)) b.putShort((short) 0).putInt(value.length);
    else b.putShort((short) value.length);
    out.write(b.array(), 0, b.position());
    out.writeBytes(value);
  }

  /** Image pixel module attributes for a simple image. */
  DicomWriter image(int rows, int columns, int samplesPerPixel, String photometric, int bits) {
    return image(rows, columns, samplesPerPixel, photometric, bits, bits);
  }

  /** Image pixel module attributes with fewer stored than allocated bits. */
  DicomWriter image(int rows, int columns, int samplesPerPixel, String photometric, int allocated, int stored) {
    us(0x0028_0002, samplesPerPixel);
    str(0x0028_0004, "CS", photometric);
    us(0x0028_0010, rows);
    us(0x0028_0011, columns);
    us(0x0028_0100, allocated);
    us(0x0028_0101, stored);
    us(0x0028_0102, stored - 1);
    us(0x0028_0103, 0);
    return this;
  }

  /** PackBits-encodes each byte plane for DICOM RLE (one segment per plane). */
  static byte[] rle(byte[][] planes) {
    ByteArrayOutputStream segments = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(planes.length);
    for (byte[] plane : planes) {
      header.putInt(64 + segments.size());
      int i = 0;
      while (i < plane.length) {
        int run = 1;
        while (i + run < plane.length && run < 128 && plane[i + run] == plane[i]) run++;
        if (run >= 2) {
          segments.write(1 - run);
          segments.write(plane[i]);
          i += run;
        } else {
          int start = i;
          int n = 0;
          while (i < plane.length && n < 128 && (i + 1 >= plane.length || plane[i + 1] != plane[i])) {
            i++;
            n++;
          }
          if (n == 0) { // next two equal: emit one literal
            n = 1;
            i++;
          }
          segments.write(n - 1);
          segments.write(plane, start, n);
        }
      }
      if (segments.size() % 2 != 0) segments.write(0x80); // no-op pad
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(segments.toByteArray());
    return out.toByteArray();
  }
}
