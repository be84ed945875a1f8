package sonogate.io.mask;

import sonogate.io.Frame;

/**
 * Pictures of a mask estimate for people to check: the frame with the mask tinted and outlined
 * and the sector outlined, and the mask on its own.
 */
public final class MaskPreview {
  /** Mask outline and tint colour (magenta: rare in ultrasound displays). */
  static final int[] MASK = {255, 0, 255};
  /** Sector outline colour, dashed. */
  static final int[] SECTOR = {0, 255, 0};
  /** Weight of the magenta tint inside the mask. */
  static final double TINT = 0.35;

  private MaskPreview() {}

  /**
   * The frame (as RGB) with the colour estimate tinted magenta, the outline of the dilated mask in
   * magenta and the sector's outline dashed green ({@code sector} may be null).
   */
  public static Frame overlay(Frame frame, ColourMask.Result r, Sector sector) {
    int w = frame.width(), h = frame.height(), n = w * h;
    if (r.width() != w || r.height() != h) throw new IllegalArgumentException("mask " + r.width() + "x" + r.height() + " for frame " + frame);
    byte[] in = frame.samples(), out = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < 3; ch++) {
        int v = in[frame.channels() == 1 ? i : 3 * i + ch] & 0xFF;
        if (r.colour()[i] != 0) v = (int) Math.round((1 - TINT) * v + TINT * MASK[ch]);
        out[3 * i + ch] = (byte) v;
      }
    }
    if (sector != null && sector.width() == w && sector.height() == h) {
      boolean[] s = sector.mask();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (((x + y) / 4) % 2 == 0 && edge(s, x, y, w, h)) paint(out, y * w + x, SECTOR);
        }
      }
    }
    boolean[] m = new boolean[n];
    for (int i = 0; i < n; i++) m[i] = r.mask()[i] != 0;
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if (edge(m, x, y, w, h)) paint(out, y * w + x, MASK);
    return new Frame(w, h, 3, out);
  }

  /** The mask as a grey image: 255 colour, 128 the dilation rim, 0 elsewhere. */
  public static Frame mask(ColourMask.Result r) {
    byte[] out = new byte[r.width() * r.height()];
    for (int i = 0; i < out.length; i++) out[i] = (byte) (r.colour()[i] != 0 ? 255 : r.mask()[i] != 0 ? 128 : 0);
    return new Frame(r.width(), r.height(), 1, out);
  }

  /** Inside with a 4-neighbour outside (or on the frame edge). */
  private static boolean edge(boolean[] m, int x, int y, int w, int h) {
    int i = y * w + x;
    if (!m[i]) return false;
    return x == 0 || y == 0 || x == w - 1 || y == h - 1 || !m[i - 1] || !m[i + 1] || !m[i - w] || !m[i + w];
  }

  private static void paint(byte[] rgb, int i, int[] c) {
    rgb[3 * i] = (byte) c[0];
    rgb[3 * i + 1] = (byte) c[1];
    rgb[3 * i + 2] = (byte) c[2];
  }
}
