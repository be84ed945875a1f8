package sonogate.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A PALETTE COLOR lookup table: maps a stored index to an 8-bit RGB triple. Built from the three
 * LUT descriptors and either plain LUT data or segmented LUT data.
 */
final class PaletteLut {
  private final int firstMapped;
  private final byte[] red;
  private final byte[] green;
  private final byte[] blue;

  private PaletteLut(int firstMapped, byte[] red, byte[] green, byte[] blue) {
    this.firstMapped = firstMapped;
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /** Writes the RGB of stored value {@code index} to {@code out[at..at+2]}. */
  void lookup(int index, byte[] out, int at) {
    int i = index - firstMapped;
    if (i < 0) i = 0;
    if (i >= red.length) i = red.length - 1;
    out[at] = red[i];
    out[at + 1] = green[i];
    out[at + 2] = blue[i];
  }

  int size() {
    return red.length;
  }

  static PaletteLut from(DicomAttributes a, boolean signedPixels, Path file) throws ClipFormatException {
    int[] descriptors = {DicomTags.RED_DESCRIPTOR, DicomTags.GREEN_DESCRIPTOR, DicomTags.BLUE_DESCRIPTOR};
    int[] data = {DicomTags.RED_DATA, DicomTags.GREEN_DATA, DicomTags.BLUE_DATA};
    int[] segmented = {DicomTags.RED_SEGMENTED, DicomTags.GREEN_SEGMENTED, DicomTags.BLUE_SEGMENTED};
    byte[][] channels = new byte[3][];
    int first = 0;
    for (int c = 0; c < 3; c++) {
      if (!a.has(descriptors[c])) throw new ClipFormatException(file, "PALETTE COLOR without LUT descriptor " + DicomTags.hex(descriptors[c]));
      int entries = a.u16(descriptors[c], 0, 0);
      if (entries == 0) entries = 65536;
      int firstRaw = a.u16(descriptors[c], 1, 0);
      first = signedPixels ? (short) firstRaw : firstRaw;
      int bits = a.u16(descriptors[c], 2, 16);
      if (bits != 8 && bits != 16) throw new ClipFormatException(file, "palette LUT with " + bits + " bits per entry");
      int[] values;
      if (a.has(data[c])) {
        values = plain(a.raw(data[c]), entries, bits, a.order(), file);
      } else if (a.has(segmented[c])) {
        values = Segmented.expand(words(a.raw(segmented[c]), a.order()), entries, file);
      } else {
        throw new ClipFormatException(file, "PALETTE COLOR without LUT data " + DicomTags.hex(data[c]));
      }
      channels[c] = toBytes(values);
    }
    if (channels[0].length != channels[1].length || channels[0].length != channels[2].length) {
      throw new ClipFormatException(file, "palette LUTs of different lengths");
    }
    return new PaletteLut(first, channels[0], channels[1], channels[2]);
  }

  private static int[] plain(byte[] raw, int entries, int bits, ByteOrder order, Path file) throws ClipFormatException {
    int[] out = new int[entries];
    if (raw.length >= 2L * entries) { // one 16-bit word per entry (the usual OW encoding)
      int[] w = words(raw, order);
      System.arraycopy(w, 0, out, 0, entries);
    } else if (bits == 8 && raw.length >= entries) { // 8-bit entries packed two per word
      for (int i = 0; i < entries; i++) out[i] = raw[i] & 0xFF;
    } else {
      throw new ClipFormatException(file, "palette LUT data holds " + raw.length + " bytes for " + entries + " entries");
    }
    return out;
  }

  private static int[] words(byte[] raw, ByteOrder order) {
    ByteBuffer b = ByteBuffer.wrap(raw).order(order);
    int[] w = new int[raw.length / 2];
    for (int i = 0; i < w.length; i++) w[i] = b.getShort() & 0xFFFF;
    return w;
  }

  /** 16-bit entries keep their high byte; tables whose entries all fit in 8 bits are used as they are. */
  private static byte[] toBytes(int[] values) {
    int max = 0;
    for (int v : values) max = Math.max(max, v);
    int shift = max > 255 ? 8 : 0;
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (byte) (values[i] >> shift);
    return out;
  }

  /** Segmented palette LUTs (PS3.3 C.7.9.2): discrete, linear and indirect segments. */
  static final class Segmented {
    private Segmented() {}

    static int[] expand(int[] words, int entries, Path file) throws ClipFormatException {
      int[] out = new int[entries];
      int[] count = {0};
      // indirect segments can revisit the same words: bound the segments read, so a crafted table ends
      int[] budget = {4 * (words.length + entries)};
      expandRange(words, 0, words.length, Integer.MAX_VALUE, out, count, 0, budget, file);
      if (count[0] < entries) throw new ClipFormatException(file, "segmented palette LUT gives " + count[0] + " of " + entries + " entries");
      return out;
    }

    private static void expandRange(int[] w, int start, int end, int maxSegments, int[] out, int[] count,
        int depth, int[] budget, Path file) throws ClipFormatException {
      if (depth > 2) throw new ClipFormatException(file, "segmented palette LUT nests indirect segments");
      int i = start;
      for (int s = 0; s < maxSegments && i + 1 < end && count[0] < out.length; s++) {
        if (--budget[0] < 0) throw new ClipFormatException(file, "segmented palette LUT has too many segments");
        int opcode = w[i];
        int length = w[i + 1];
        i += 2;
        switch (opcode) {
          case 0 -> {
            if (i + length > w.length) throw bad(file);
            for (int k = 0; k < length && count[0] < out.length; k++) emit(out, count, w[i + k]);
            i += length;
          }
          case 1 -> {
            if (count[0] == 0 || i >= w.length) throw bad(file);
            int y0 = out[Math.min(count[0], out.length) - 1];
            int y1 = w[i++];
            for (int k = 1; k <= length && count[0] < out.length; k++) emit(out, count, y0 + (int) Math.round((y1 - y0) * (double) k / length));
          }
          case 2 -> {
            if (i + 1 >= w.length) throw bad(file);
            long offset = (w[i] & 0xFFFFL) | (w[i + 1] & 0xFFFFL) << 16;
            i += 2;
            if (offset >= w.length) throw bad(file);
            expandRange(w, (int) offset, w.length, length, out, count, depth + 1, budget, file);
          }
          default -> throw new ClipFormatException(file, "segmented palette LUT opcode " + opcode);
        }
      }
    }

    private static void emit(int[] out, int[] count, int value) {
      if (count[0] < out.length) out[count[0]] = value;
      count[0]++;
    }

    private static ClipFormatException bad(Path file) {
      return new ClipFormatException(file, "segmented palette LUT data is truncated");
    }
  }
}
