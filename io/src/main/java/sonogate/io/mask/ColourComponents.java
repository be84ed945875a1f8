package sonogate.io.mask;

/**
 * Tells colour flow from the coloured graphics a scanner draws, one connected component of colour
 * pixels at a time:
 *
 * <ul>
 *   <li>{@link Role#BAR}: a colour bar (velocity or power scale) drawn over or beside the image:
 *       every row (vertical bar, at least as tall as wide) or column (horizontal bar) one colour
 *       while the colour changes along it. Never part of the mask.</li>
 *   <li>{@link Role#GRAPHIC}: text, calipers, markers, traces, outlines: fewer than
 *       {@link MaskSettings#minFlowArea()} pixels, or too thin (strokes of 1-2 px leave less than
 *       {@link MaskSettings#minThickFraction()} of pixels with all 8 neighbours colour), or one
 *       flat colour inside. Part of the mask only near flow or around it (see {@link ColourMask}).</li>
 *   <li>{@link Role#FLOW}: anything else: thick, varied colour, as a velocity or power map is.</li>
 * </ul>
 */
final class ColourComponents {
  enum Role { FLOW, BAR, GRAPHIC }

  /** Channel tolerance (levels) for "one colour": flat fills after mild compression. */
  static final int TOLERANCE = 12;
  /**
   * A bar is at least as long (along its colour ramp) as it is wide. (A power scale split by its
   * dark middle gives two near-square halves; flow that is smooth along a vessel is uniform along
   * its long axis, a scale across its short one.)
   */
  static final double BAR_ASPECT = 1.0;
  /** ... with at least this fraction of its pixels in one-colour rows (or columns). */
  static final double BAR_UNIFORM_LINES = 0.85;

  /** Neighbour pairs within this many levels (every channel) count as smooth. */
  static final int SMOOTH_STEP = 4;
  /**
   * Components with at least this fraction of smooth neighbour pairs are drawn graphics (panels,
   * scales, colour maps: measured 0.5-1.0 on the real displays), not flow (0.1-0.45, velocity
   * noise and mosaic).
   */
  static final double FLAT = 0.5;

  private ColourComponents() {}

  /**
   * The fraction of horizontally or vertically adjacent pixel pairs of component k whose colours
   * differ by at most {@link #SMOOTH_STEP} in every channel; 1 for a single pixel.
   */
  static double smoothFraction(Components c, int k, byte[] rgb) {
    int w = c.width, pairs = 0, smooth = 0;
    for (int j = c.start[k]; j < c.start[k + 1]; j++) {
      int p = c.pixels[j];
      for (int side = 0; side < 2; side++) {   // the right and the lower neighbour
        int q = side == 0 ? (p % w + 1 < w ? p + 1 : -1) : (p + w < c.label.length ? p + w : -1);
        if (q < 0 || c.label[q] != k + 1) continue;
        pairs++;
        if (near(rgb, p, q, SMOOTH_STEP)) smooth++;
      }
    }
    return pairs == 0 ? 1 : (double) smooth / pairs;
  }

  private static boolean near(byte[] rgb, int p, int q, int step) {
    for (int ch = 0; ch < 3; ch++) if (Math.abs((rgb[3 * p + ch] & 0xFF) - (rgb[3 * q + ch] & 0xFF)) > step) return false;
    return true;
  }

  static Role[] classify(Components c, boolean[] colour, byte[] rgb, MaskSettings s) {
    Role[] roles = new Role[c.count];
    for (int k = 0; k < c.count; k++) roles[k] = classify(c, k, colour, rgb, s);
    return roles;
  }

  private static Role classify(Components c, int k, boolean[] colour, byte[] rgb, MaskSettings s) {
    int w = c.width, h = c.height, area = c.area(k);
    int[] b = c.bounds(k);
    int bw = b[2] - b[0] + 1, bh = b[3] - b[1] + 1;
    if (bh >= BAR_ASPECT * bw && linesUniform(c, k, rgb, b, true)) return Role.BAR;
    if (bw >= BAR_ASPECT * bh && linesUniform(c, k, rgb, b, false)) return Role.BAR;
    if (area < s.minFlowArea()) return Role.GRAPHIC;
    int[] interior = new int[area];
    int thick = 0;
    for (int j = c.start[k]; j < c.start[k + 1]; j++) {
      int p = c.pixels[j];
      if (allNeighbours(colour, p % w, p / w, w, h)) interior[thick++] = p;
    }
    if (thick < s.minThickFraction() * area) return Role.GRAPHIC;
    if (oneColour(rgb, interior, thick) >= s.uniformFraction()) return Role.GRAPHIC;
    return Role.FLOW;
  }

  static boolean allNeighbours(boolean[] m, int x, int y, int w, int h) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h || !m[yy * w + xx]) return false;
      }
    }
    return true;
  }

  /** The fraction of {@code pixels[0..n)} within {@link #TOLERANCE} of their per-channel median colour. */
  static double oneColour(byte[] rgb, int[] pixels, int n) {
    return oneColour(rgb, pixels, n, TOLERANCE);
  }

  /** The fraction of {@code pixels[0..n)} within {@code tolerance} levels of their per-channel median colour. */
  static double oneColour(byte[] rgb, int[] pixels, int n, int tolerance) {
    if (n == 0) return 0;
    int[] median = medianColour(rgb, pixels, n);
    int near = 0;
    for (int j = 0; j < n; j++) if (within(rgb, pixels[j], median, tolerance)) near++;
    return (double) near / n;
  }

  /** The per-channel median colour of {@code pixels[0..n)} (n > 0). */
  static int[] medianColour(byte[] rgb, int[] pixels, int n) {
    int[] median = new int[3];
    for (int ch = 0; ch < 3; ch++) {
      int[] hist = new int[256];
      for (int j = 0; j < n; j++) hist[rgb[3 * pixels[j] + ch] & 0xFF]++;
      int seen = 0, v = 0;
      while (seen + hist[v] <= n / 2) seen += hist[v++];
      median[ch] = v;
    }
    return median;
  }

  /** Whether pixel {@code p}'s every channel is within {@code tolerance} levels of {@code colour}. */
  static boolean within(byte[] rgb, int p, int[] colour, int tolerance) {
    for (int ch = 0; ch < 3; ch++) if (Math.abs((rgb[3 * p + ch] & 0xFF) - colour[ch]) > tolerance) return false;
    return true;
  }

  /**
   * True when the component is a one-dimensional palette: most of its pixels lie in rows (or
   * columns) of one colour, and it is not one colour as a whole.
   */
  private static boolean linesUniform(Components c, int k, byte[] rgb, int[] b, boolean rows) {
    int w = c.width, lines = rows ? b[3] - b[1] + 1 : b[2] - b[0] + 1;
    int[] min = new int[3 * lines], max = new int[3 * lines], count = new int[lines];
    java.util.Arrays.fill(min, 255);
    for (int j = c.start[k]; j < c.start[k + 1]; j++) {
      int p = c.pixels[j], line = rows ? p / w - b[1] : p % w - b[0];
      count[line]++;
      for (int ch = 0; ch < 3; ch++) {
        int v = rgb[3 * p + ch] & 0xFF;
        min[3 * line + ch] = Math.min(min[3 * line + ch], v);
        max[3 * line + ch] = Math.max(max[3 * line + ch], v);
      }
    }
    int inUniform = 0, area = c.area(k);
    for (int line = 0; line < lines; line++) {
      if (count[line] < 2) continue;
      boolean uniform = true;
      for (int ch = 0; ch < 3; ch++) uniform &= max[3 * line + ch] - min[3 * line + ch] <= TOLERANCE;
      if (uniform) inUniform += count[line];
    }
    if (inUniform < BAR_UNIFORM_LINES * area) return false;
    int[] all = java.util.Arrays.copyOfRange(c.pixels, c.start[k], c.start[k + 1]);
    return oneColour(rgb, all, all.length) < 0.9;   // a flat block is a graphic, not a scale
  }
}
