package sonogate.io.mask;

/**
 * Binary and grey-level neighbourhood filters on row-major images of {@code w x h} pixels, with
 * square windows of radius r ((2r+1) x (2r+1)). Windows are clipped at the frame edge (pixels
 * outside the frame are ignored, not treated as background), so an all-true mask stays all-true
 * under erosion and a region touching the edge is not eaten away by it.
 */
final class Morphology {
  private Morphology() {}

  /** True where any pixel of the window is true. Works on the true pixels' bounding box grown by r only. */
  static boolean[] dilate(boolean[] m, int w, int h, int r) {
    if (r <= 0) return m.clone();
    int[] b = bounds(m, w, h);
    if (b == null) return new boolean[m.length];
    int x0 = Math.max(0, b[0] - r), y0 = Math.max(0, b[1] - r), x1 = Math.min(w - 1, b[2] + r), y1 = Math.min(h - 1, b[3] + r);
    int sw = x1 - x0 + 1, sh = y1 - y0 + 1;
    if (sw == w && sh == h) return window(m, w, h, r, false);
    boolean[] sub = new boolean[sw * sh];
    for (int y = 0; y < sh; y++) System.arraycopy(m, (y + y0) * w + x0, sub, y * sw, sw);
    boolean[] d = window(sub, sw, sh, r, false), out = new boolean[m.length];
    for (int y = 0; y < sh; y++) System.arraycopy(d, y * sw, out, (y + y0) * w + x0, sw);
    return out;
  }

  /** {x0, y0, x1, y1} of the true pixels, or null when there are none. */
  static int[] bounds(boolean[] m, int w, int h) {
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        if (!m[row + x]) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y0 == h) y0 = y;
        y1 = y;
      }
    }
    return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
  }

  /** True where every (in-frame) pixel of the window is true. */
  static boolean[] erode(boolean[] m, int w, int h, int r) {
    return r <= 0 ? m.clone() : window(m, w, h, r, true);
  }

  /** Dilation then erosion: fills gaps and dents narrower than the window. */
  static boolean[] close(boolean[] m, int w, int h, int r) {
    return erode(dilate(m, w, h, r), w, h, r);
  }

  /** Erosion then dilation: removes parts narrower than the window. */
  static boolean[] open(boolean[] m, int w, int h, int r) {
    return dilate(erode(m, w, h, r), w, h, r);
  }

  /**
   * Separable window test with running counts: along each row, then down the columns (all columns
   * at once, row by row, for cache-friendly access). For erosion a pixel survives when the count
   * equals the (clipped) window size, for dilation when it is positive.
   */
  private static boolean[] window(boolean[] m, int w, int h, int r, boolean all) {
    boolean[] rows = new boolean[m.length];
    for (int y = 0; y < h; y++) {
      int row = y * w, count = 0;
      for (int x = 0; x < Math.min(r, w); x++) if (m[row + x]) count++;
      for (int x = 0; x < w; x++) {
        int add = x + r, drop = x - r - 1;
        if (add < w && m[row + add]) count++;
        if (drop >= 0 && m[row + drop]) count--;
        int size = Math.min(w - 1, x + r) - Math.max(0, x - r) + 1;
        rows[row + x] = all ? count == size : count > 0;
      }
    }
    boolean[] out = new boolean[m.length];
    int[] count = new int[w];
    for (int y = 0; y < Math.min(r, h); y++) for (int x = 0; x < w; x++) if (rows[y * w + x]) count[x]++;
    for (int y = 0; y < h; y++) {
      int add = y + r, drop = y - r - 1;
      if (add < h) for (int x = 0, o = add * w; x < w; x++) if (rows[o + x]) count[x]++;
      if (drop >= 0) for (int x = 0, o = drop * w; x < w; x++) if (rows[o + x]) count[x]--;
      int size = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1, row = y * w;
      if (all) for (int x = 0; x < w; x++) out[row + x] = count[x] == size;
      else for (int x = 0; x < w; x++) out[row + x] = count[x] > 0;
    }
    return out;
  }

  /** Grey-level erosion: the minimum over the window (separable; small radii). */
  static int[] minFilter(int[] v, int w, int h, int r) {
    int[] rows = new int[v.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int m = Integer.MAX_VALUE;
        for (int k = Math.max(0, x - r), e = Math.min(w - 1, x + r); k <= e; k++) m = Math.min(m, v[row + k]);
        rows[row + x] = m;
      }
    }
    int[] out = new int[v.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      System.arraycopy(rows, row, out, row, w);
      for (int k = Math.max(0, y - r), e = Math.min(h - 1, y + r); k <= e; k++) {
        int o = k * w;
        for (int x = 0; x < w; x++) out[row + x] = Math.min(out[row + x], rows[o + x]);
      }
    }
    return out;
  }

  /** The standard deviation of {@code v} over each (clipped) window, from integral images. */
  static float[] localStd(int[] v, int w, int h, int r) {
    long[] sum = new long[(w + 1) * (h + 1)], sq = new long[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      long rs = 0, rq = 0;
      for (int x = 0; x < w; x++) {
        long a = v[y * w + x];
        rs += a;
        rq += a * a;
        int i = (y + 1) * (w + 1) + x + 1;
        sum[i] = sum[i - (w + 1)] + rs;
        sq[i] = sq[i - (w + 1)] + rq;
      }
    }
    float[] out = new float[v.length];
    for (int y = 0; y < h; y++) {
      int y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
      for (int x = 0; x < w; x++) {
        int x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
        long n = (long) (x1 - x0) * (y1 - y0);
        long s = rect(sum, w, x0, y0, x1, y1), q = rect(sq, w, x0, y0, x1, y1);
        double var = (q - (double) s * s / n) / n;
        out[y * w + x] = (float) Math.sqrt(Math.max(0, var));
      }
    }
    return out;
  }

  private static long rect(long[] integral, int w, int x0, int y0, int x1, int y1) {
    int s = w + 1;
    return integral[y1 * s + x1] - integral[y0 * s + x1] - integral[y1 * s + x0] + integral[y0 * s + x0];
  }
}
