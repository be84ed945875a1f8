package sonogate.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text header of a MetaImage (.mha/.mhd) file: "Key = Value" lines up to ElementDataFile,
 * which must come last. Only technical keys are kept; per-frame {@code Seq_FrameNNNN_Timestamp}
 * values are collected for the frame rate.
 */
final class MetaImageHeader {
  /** Largest header read, so a file without ElementDataFile cannot make us read forever. */
  static final long MAX_HEADER_BYTES = 64L << 20;

  private static final Set<String> KEPT = Set.of("objecttype", "ndims", "dimsize", "elementtype",
      "elementnumberofchannels", "compresseddata", "compresseddatasize", "elementdatafile",
      "binarydatabyteordermsb", "elementbyteordermsb", "elementspacing", "headersize", "elementmin",
      "elementmax", "binarydata");

  final Map<String, String> values = new TreeMap<>(); // lower-case key -> value
  final TreeMap<Integer, Double> timestamps = new TreeMap<>();
  long dataOffset; // first byte after the header

  static boolean looksLikeHeader(byte[] head) {
    String s = new String(head, 0, Math.min(head.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
    return s.matches("(?s)(ObjectType|NDims|ObjectSubType|Comment|DimSize|ElementType)\\s*=.*");
  }

  static MetaImageHeader read(Path file) throws IOException {
    MetaImageHeader h = new MetaImageHeader();
    long fileSize = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long offset = 0;
      int lineNumber = 0;
      while (true) {
        int b = in.read();
        if (b < 0) throw new ClipFormatException(file, "MetaImage header ends without ElementDataFile");
        offset++;
        if (offset > MAX_HEADER_BYTES) throw new ClipFormatException(file, "MetaImage header longer than " + MAX_HEADER_BYTES + " bytes");
        if (b != '\n') {
          line.write(b);
          continue;
        }
        lineNumber++;
        String text = line.toString(StandardCharsets.ISO_8859_1).strip();
        line.reset();
        if (text.isEmpty()) continue;
        int eq = text.indexOf('=');
        if (eq <= 0) throw new ClipFormatException(file, "MetaImage header line " + lineNumber + " is not 'Key = Value'");
        String key = text.substring(0, eq).strip();
        String value = text.substring(eq + 1).strip();
        String lower = key.toLowerCase(Locale.ROOT);
        if (KEPT.contains(lower)) h.values.put(lower, value);
        if (lower.startsWith("seq_frame") && lower.endsWith("_timestamp")) h.timestamp(key, value);
        if (lower.equals("elementdatafile")) {
          h.dataOffset = offset;
          break;
        }
      }
    }
    if (h.dataOffset > fileSize) throw new ClipFormatException(file, "truncated MetaImage header");
    return h;
  }

  private void timestamp(String key, String value) {
    String digits = key.substring("Seq_Frame".length(), key.length() - "_Timestamp".length());
    try {
      timestamps.put(Integer.parseInt(digits), Double.parseDouble(value));
    } catch (NumberFormatException e) {
      // a malformed timestamp only costs the frame rate
    }
  }

  String get(String key) {
    return values.getOrDefault(key.toLowerCase(Locale.ROOT), "");
  }

  boolean flag(String key) {
    String v = get(key);
    return v.equalsIgnoreCase("true") || v.equals("1");
  }

  long[] longs(String key, Path file) throws ClipFormatException {
    String v = get(key);
    if (v.isEmpty()) return new long[0];
    String[] parts = v.trim().split("\\s+");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        throw new ClipFormatException(file, "MetaImage " + key + " is not a list of integers: " + v);
      }
    }
    return out;
  }

  double[] doubles(String key) {
    String v = get(key);
    if (v.isEmpty()) return new double[0];
    String[] parts = v.trim().split("\\s+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i]);
      } catch (NumberFormatException e) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }

  /** Frames per second from the first and last per-frame timestamps; NaN when unknown. */
  double frameRate() {
    if (timestamps.size() < 2) return Double.NaN;
    int first = timestamps.firstKey();
    int last = timestamps.lastKey();
    double span = timestamps.get(last) - timestamps.get(first);
    return span > 0 ? (last - first) / span : Double.NaN;
  }
}
