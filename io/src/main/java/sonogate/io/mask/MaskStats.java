package sonogate.io.mask;

/** Agreement and size of 0/1 masks (row-major bytes, non-zero = in). */
public final class MaskStats {
  private MaskStats() {}

  /** Intersection over union; 1 when both are empty. */
  public static double iou(byte[] a, byte[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("masks of " + a.length + " and " + b.length + " pixels");
    long inter = 0, union = 0;
    for (int i = 0; i < a.length; i++) {
      boolean x = a[i] != 0, y = b[i] != 0;
      if (x && y) inter++;
      if (x || y) union++;
    }
    return union == 0 ? 1 : (double) inter / union;
  }

  /** Pixels in the mask. */
  public static long count(byte[] m) {
    long n = 0;
    for (byte b : m) if (b != 0) n++;
    return n;
  }

  /** {@code m} dilated by a (2r+1)-square, as a new mask. */
  public static byte[] dilate(byte[] m, int width, int height, int r) {
    boolean[] in = new boolean[m.length];
    for (int i = 0; i < m.length; i++) in[i] = m[i] != 0;
    boolean[] out = Morphology.dilate(in, width, height, r);
    byte[] b = new byte[m.length];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (out[i] ? 1 : 0);
    return b;
  }
}
