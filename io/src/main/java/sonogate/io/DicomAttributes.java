package sonogate.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Raw values of the whitelisted attributes of one dataset (or one sequence item), interpreted on
 * request by the caller, who knows each tag's type (needed for implicit VR, which carries none).
 */
final class DicomAttributes {
  private final Map<Integer, byte[]> values = new HashMap<>();
  private final ByteOrder order;

  DicomAttributes(ByteOrder order) {
    this.order = order;
  }

  /** Keeps the first value of a (malformed) repeated attribute, as DCMTK does. */
  void put(int tag, byte[] value) {
    values.putIfAbsent(tag, value);
  }

  boolean has(int tag) {
    return values.containsKey(tag) && values.get(tag).length > 0;
  }

  byte[] raw(int tag) {
    return values.get(tag);
  }

  ByteOrder order() {
    return order;
  }

  /** A text value (CS, UI, IS, DS...), trimmed of padding; "" when absent. */
  String string(int tag) {
    byte[] v = values.get(tag);
    if (v == null) return "";
    return new String(v, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
  }

  /** The {@code index}-th value of a backslash-separated decimal (DS/IS); NaN when absent or bad. */
  double decimal(int tag, int index) {
    String[] parts = string(tag).split("\\\\");
    if (index >= parts.length || parts[index].isBlank()) return Double.NaN;
    try {
      return Double.parseDouble(parts[index].trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Every backslash-separated decimal (DS/IS) value; unparsable entries are NaN. */
  double[] decimals(int tag) {
    String s = string(tag);
    if (s.isEmpty()) return new double[0];
    String[] parts = s.split("\\\\");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) out[i] = decimal(tag, i);
    return out;
  }

  /** The {@code index}-th unsigned 16-bit value (US, or the bits of SS); {@code absent} when missing. */
  int u16(int tag, int index, int absent) {
    byte[] v = values.get(tag);
    if (v == null || v.length < 2 * (index + 1)) return absent;
    return ByteBuffer.wrap(v).order(order).getShort(2 * index) & 0xFFFF;
  }

  int u16(int tag, int absent) {
    return u16(tag, 0, absent);
  }

  /** An unsigned 32-bit value (UL) or, for a 2-byte value, an unsigned 16-bit one; {@code absent} when missing. */
  long u32(int tag, long absent) {
    byte[] v = values.get(tag);
    if (v == null || v.length < 2) return absent;
    if (v.length < 4) return u16(tag, (int) absent);
    return ByteBuffer.wrap(v).order(order).getInt(0) & 0xFFFF_FFFFL;
  }

  /** A 64-bit float (FD); NaN when missing. */
  double float64(int tag) {
    byte[] v = values.get(tag);
    if (v == null || v.length < 8) return Double.NaN;
    return ByteBuffer.wrap(v).order(order).getDouble(0);
  }
}
