package sonogate.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutations for the fuzz test, each drawn from a seeded {@link Random} and described in a log so a
 * failure can be read: bit flips, byte runs, truncation, inserted and deleted chunks, copied
 * regions, "interesting" 16/32-bit values (0, -1, 2^31, the file length...) written over length
 * fields, decimal numbers in text headers replaced (DICOM IS/DS values, MetaImage keys), and the
 * values of DICOM image-pixel attributes (Rows, Columns, BitsAllocated...) and the lengths of
 * DICOM elements, items and fragments replaced. Positions
 * favour the first 2 KB, where the headers are.
 */
final class Mutator {
  private final Random random;
  private final List<String> log = new ArrayList<>();

  Mutator(Random random) {
    this.random = random;
  }

  /** What was done, in order. */
  List<String> log() {
    return log;
  }

  /** One to three mutations of a copy of {@code input}. */
  byte[] mutate(byte[] input) {
    byte[] b = input.clone();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) b = once(b);
    return b;
  }

  private static final long[] INTERESTING_32 = {0, 1, 2, 3, 4, 7, 8, 16, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF,
      0x10000, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFEL, 0xFFFF_FFF0L, 0x0100_0000L};
  private static final int[] INTERESTING_16 = {0, 1, 2, 3, 4, 7, 8, 9, 12, 15, 16, 17, 24, 32, 255, 256, 4096, 0x7FFF, 0x8000,
      0xFFFE, 0xFFFF};
  private static final String[] NUMBERS = {"0", "-1", "1", "2", "4294967297", "99999999999", "1e308", "NaN", "-0", "", " ",
      "2147483648", "65536", "3.5", "1e-9"};

  private byte[] once(byte[] b) {
    if (b.length == 0) {
      log.add("insert into an empty file");
      return insert(b, 0, randomBytes(1 + random.nextInt(64)));
    }
    switch (random.nextInt(11)) {
      case 0 -> {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int p = position(b);
          int bit = random.nextInt(8);
          b[p] ^= (byte) (1 << bit);
          log.add("flip bit " + bit + " at " + p);
        }
        return b;
      }
      case 1 -> {
        int p = position(b);
        int len = Math.min(b.length - p, 1 + random.nextInt(32));
        int kind = random.nextInt(3);
        for (int i = 0; i < len; i++) b[p + i] = kind == 0 ? 0 : kind == 1 ? (byte) 0xFF : (byte) random.nextInt(256);
        log.add("overwrite " + len + " bytes at " + p + " with " + (kind == 0 ? "0x00" : kind == 1 ? "0xFF" : "random bytes"));
        return b;
      }
      case 2 -> {
        int p = random.nextBoolean() ? position(b) : random.nextInt(b.length);
        log.add("truncate to " + p + " of " + b.length + " bytes");
        return Arrays.copyOf(b, p);
      }
      case 3 -> {
        int p = position(b);
        byte[] chunk;
        if (random.nextBoolean()) {
          chunk = randomBytes(1 + random.nextInt(256));
          log.add("insert " + chunk.length + " random bytes at " + p);
        } else {
          int from = random.nextInt(b.length);
          chunk = Arrays.copyOfRange(b, from, Math.min(b.length, from + 1 + random.nextInt(512)));
          log.add("insert a copy of " + chunk.length + " bytes from " + from + " at " + p);
        }
        return insert(b, p, chunk);
      }
      case 4 -> {
        int p = position(b);
        int len = Math.min(b.length - p, 1 + random.nextInt(256));
        log.add("delete " + len + " bytes at " + p);
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, p);
        System.arraycopy(b, p + len, out, p, b.length - p - len);
        return out;
      }
      case 5, 6 -> {
        int p = position(b) & ~1;
        long v = random.nextInt(4) == 0 ? (random.nextBoolean() ? b.length : b.length + 1 + random.nextInt(16))
            : INTERESTING_32[random.nextInt(INTERESTING_32.length)];
        boolean big = random.nextInt(4) == 0;
        if (random.nextBoolean() && p + 4 <= b.length) {
          put(b, p, v, 4, big);
          log.add("32-bit " + (big ? "BE " : "LE ") + Long.toHexString(v) + " at " + p);
        } else if (p + 2 <= b.length) {
          int s = INTERESTING_16[random.nextInt(INTERESTING_16.length)];
          put(b, p, s, 2, big);
          log.add("16-bit " + (big ? "BE " : "LE ") + Integer.toHexString(s) + " at " + p);
        }
        return b;
      }
      case 7 -> {
        return number(b);
      }
      case 8 -> {
        return dicomPixelAttribute(b);
      }
      case 9 -> {
        return dicomLength(b);
      }
      default -> {
        int from = random.nextInt(b.length), to = position(b);
        int len = Math.min(Math.min(b.length - from, b.length - to), 1 + random.nextInt(256));
        System.arraycopy(b, from, b, to, len);
        log.add("copy " + len + " bytes from " + from + " over " + to);
        return b;
      }
    }
  }

  /** Half the time within the first 2 KB. */
  private int position(byte[] b) {
    int limit = random.nextBoolean() ? Math.min(b.length, 2048) : b.length;
    return random.nextInt(limit);
  }

  private byte[] randomBytes(int n) {
    byte[] c = new byte[n];
    random.nextBytes(c);
    return c;
  }

  private static byte[] insert(byte[] b, int p, byte[] chunk) {
    byte[] out = new byte[b.length + chunk.length];
    System.arraycopy(b, 0, out, 0, p);
    System.arraycopy(chunk, 0, out, p, chunk.length);
    System.arraycopy(b, p, out, p + chunk.length, b.length - p);
    return out;
  }

  private static void put(byte[] b, int p, long v, int bytes, boolean bigEndian) {
    for (int i = 0; i < bytes; i++) b[p + (bigEndian ? bytes - 1 - i : i)] = (byte) (v >>> (8 * i));
  }

  /** Replaces a run of decimal digits in the first 8 KB: same length (a lying value) or another text. */
  private byte[] number(byte[] b) {
    List<int[]> runs = new ArrayList<>();
    int limit = Math.min(b.length, 8192);
    for (int i = 0; i < limit; ) {
      if (b[i] >= '0' && b[i] <= '9') {
        int start = i;
        while (i < limit && b[i] >= '0' && b[i] <= '9') i++;
        runs.add(new int[] {start, i});
      } else {
        i++;
      }
    }
    if (runs.isEmpty()) return dicomPixelAttribute(b);
    int[] run = runs.get(random.nextInt(runs.size()));
    int len = run[1] - run[0];
    String text;
    if (random.nextBoolean()) {
      char digit = random.nextBoolean() ? '9' : random.nextBoolean() ? '0' : (char) ('0' + random.nextInt(10));
      text = String.valueOf(digit).repeat(len);
    } else {
      text = NUMBERS[random.nextInt(NUMBERS.length)];
    }
    log.add("number '" + new String(b, run[0], len, StandardCharsets.US_ASCII) + "' at " + run[0] + " -> '" + text + "'");
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[b.length - len + t.length];
    System.arraycopy(b, 0, out, 0, run[0]);
    System.arraycopy(t, 0, out, run[0], t.length);
    System.arraycopy(b, run[1], out, run[0] + t.length, b.length - run[1]);
    return out;
  }

  /**
   * Replaces the length of a DICOM element, item or fragment: finds item tags (FFFE,E000/E00D/E0DD)
   * and explicit-VR long-length headers (OB, OW, SQ, UN, UT...) and writes an interesting 32-bit
   * length, or the old length plus or minus a little.
   */
  private byte[] dicomLength(byte[] b) {
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i + 12 <= b.length; i++) {
      boolean item = (b[i] & 0xFF) == 0xFE && (b[i + 1] & 0xFF) == 0xFF && (b[i + 3] & 0xFF) == 0xE0;
      if (item) {
        lengths.add(i + 4);
      } else if (b[i + 6] == 0 && b[i + 7] == 0 && isLongVr(b[i + 4], b[i + 5])) {
        lengths.add(i + 8);
      }
    }
    if (lengths.isEmpty()) return number(b);
    int at = lengths.get(random.nextInt(lengths.size()));
    long old = (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    long v = random.nextBoolean() ? INTERESTING_32[random.nextInt(INTERESTING_32.length)] : old + random.nextInt(33) - 16;
    put(b, at, v, 4, false);
    log.add("DICOM length at " + at + ": " + old + " -> " + (v & 0xFFFF_FFFFL));
    return b;
  }

  private static boolean isLongVr(byte a, byte b) {
    String vr = new String(new byte[] {a, b}, StandardCharsets.US_ASCII);
    return switch (vr) {
      case "OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UN", "UT", "UC", "UR", "SV", "UV" -> true;
      default -> false;
    };
  }

  /** Replaces the value of a 16-bit group-0028 attribute (Rows, Columns, Bits*, SamplesPerPixel, LUT descriptors...). */
  private byte[] dicomPixelAttribute(byte[] b) {
    List<int[]> values = new ArrayList<>(); // value offset, big endian (1/0)
    for (int i = 0; i + 10 <= b.length; i++) {
      boolean le = b[i] == 0x28 && b[i + 1] == 0;
      boolean be = b[i] == 0 && b[i + 1] == 0x28;
      if (!le && !be) continue;
      if ((b[i + 4] == 'U' && b[i + 5] == 'S') || (b[i + 4] == 'S' && b[i + 5] == 'S')) {
        values.add(new int[] {i + 8, be ? 1 : 0}); // explicit VR: tag, VR, 16-bit length
      } else if (le && b[i + 4] == 2 && b[i + 5] == 0 && b[i + 6] == 0 && b[i + 7] == 0) {
        values.add(new int[] {i + 8, 0}); // implicit VR: tag, 32-bit length 2
      } else if (le && b[i + 4] == 6 && b[i + 5] == 0 && b[i + 6] == 0 && b[i + 7] == 0) {
        values.add(new int[] {i + 8 + 2 * random.nextInt(3), 0}); // an implicit LUT descriptor (3 values)
      }
    }
    values.removeIf(v -> v[0] + 2 > b.length);
    if (values.isEmpty()) {
      int p = position(b) & ~1;
      if (p + 2 <= b.length) {
        int s = INTERESTING_16[random.nextInt(INTERESTING_16.length)];
        put(b, p, s, 2, false);
        log.add("16-bit LE " + Integer.toHexString(s) + " at " + p + " (no DICOM pixel attribute found)");
      }
      return b;
    }
    int[] v = values.get(random.nextInt(values.size()));
    int s = random.nextInt(4) == 0 ? random.nextInt(65536) : INTERESTING_16[random.nextInt(INTERESTING_16.length)];
    put(b, v[0], s, 2, v[1] == 1);
    log.add("DICOM 16-bit attribute value at " + v[0] + " -> " + s);
    return b;
  }
}
