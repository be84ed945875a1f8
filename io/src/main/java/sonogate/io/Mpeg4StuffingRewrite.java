package sonogate.io;

/**
 * Rewrites one MPEG-4 Part 2 VOP so that JCodec 0.2.5 finds every resync marker.
 *
 * <p>A video packet ends with 1 to 8 stuffing bits (a zero, then ones up to the byte boundary)
 * before the next packet's byte-aligned resync marker. JCodec looks for a marker only 1 to 7 bits
 * ahead of the byte boundary, so when a packet's data ends exactly on a byte boundary, its whole
 * stuffing byte 0x7F hides the marker and the rest of the picture is decoded from the wrong bits.
 *
 * <p>The rewrite replaces each such 0x7F by two bytes that say the same thing in a form JCodec
 * reads: one macroblock stuffing code (ISO 14496-2, table B-6/B-7: 9 bits {@code 0000 0000 1} in an
 * I-VOP; in a P-VOP the not_coded bit 0 and that code, 10 bits) which decoders skip before a
 * macroblock, then the 7 or 6 stuffing bits up to the next byte boundary. The marker and all that
 * follows keep their bytes and their alignment, and the rewritten VOP is itself a valid stream.
 *
 * <p>Where the whole-byte stuffing is: a resync marker is 16 or more zero bits and a one, starting
 * on a byte boundary, and cannot occur inside macroblock data; the stuffing before it ends in a
 * one and is {@code 0111 1111} exactly when it is a whole byte (shorter stuffing leaves a zero in
 * the last 7 bits of the byte). So the pattern is bytes 7F 00 00 then neither 00 nor 01 (start
 * codes are 00 00 01 and never follow stuffing directly inside a VOP).
 */
final class Mpeg4StuffingRewrite {
  private static final int VOP_START = 0xB6;
  private static final int I_VOP = 0;
  private static final int P_VOP = 1;
  // macroblock stuffing, then the rest of the stuffing up to the byte boundary
  private static final byte[] I_VOP_STUFFING = {0x00, (byte) 0b1011_1111}; // 000000001 + 0111111
  private static final byte[] P_VOP_STUFFING = {0x00, (byte) 0b0101_1111}; // 0 000000001 + 011111

  private Mpeg4StuffingRewrite() {}

  /**
   * The number of whole stuffing bytes before resync markers in the first {@code length} bytes of
   * {@code data}, after its first VOP start code (0 when there is no VOP start code).
   */
  static int count(byte[] data, int length) {
    int vop = vopStart(data, length);
    if (vop < 0) return 0;
    int n = 0;
    for (int i = vop + 4; i + 3 < length; i++) {
      if (isWholeStuffingByte(data, i)) n++;
    }
    return n;
  }

  /**
   * The VOP in {@code data[0, length)} with each whole stuffing byte before a resync marker
   * replaced as described above; {@code data} itself when there is none. Only I- and P-VOPs are
   * rewritten (the reader refuses other VOP types before decoding).
   */
  static Bytes rewrite(byte[] data, int length) {
    int vop = vopStart(data, length);
    int found = vop < 0 ? 0 : count(data, length);
    if (found == 0 || vop + 4 >= length) return new Bytes(data, length);
    int type = (data[vop + 4] & 0xC0) >> 6;
    byte[] stuffing = switch (type) {
      case I_VOP -> I_VOP_STUFFING;
      case P_VOP -> P_VOP_STUFFING;
      default -> null;
    };
    if (stuffing == null) return new Bytes(data, length);
    byte[] out = new byte[length + found * (stuffing.length - 1)];
    int o = 0;
    int copied = 0;
    for (int i = vop + 4; i + 3 < length; i++) {
      if (!isWholeStuffingByte(data, i)) continue;
      System.arraycopy(data, copied, out, o, i - copied);
      o += i - copied;
      System.arraycopy(stuffing, 0, out, o, stuffing.length);
      o += stuffing.length;
      copied = i + 1;
    }
    System.arraycopy(data, copied, out, o, length - copied);
    return new Bytes(out, o + length - copied);
  }

  /** Bytes 7F 00 00 x at {@code i}, x neither 00 nor 01: whole-byte stuffing before a resync marker. */
  private static boolean isWholeStuffingByte(byte[] data, int i) {
    return data[i] == 0x7F && data[i + 1] == 0 && data[i + 2] == 0 && (data[i + 3] & 0xFF) > 1;
  }

  /** Offset of the first VOP start code 00 00 01 B6, or -1. */
  private static int vopStart(byte[] data, int length) {
    for (int i = 0; i + 3 < length; i++) {
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && (data[i + 3] & 0xFF) == VOP_START) return i;
    }
    return -1;
  }

  /** The first {@code length} bytes of {@code data}. */
  record Bytes(byte[] data, int length) {}
}
