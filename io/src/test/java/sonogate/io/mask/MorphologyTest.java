package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The filters against naive window loops, on fresh random images of odd sizes. */
class MorphologyTest {
  final long seed = System.nanoTime();
  final SplittableRandom rng = new SplittableRandom(seed);

  boolean[] random(int n, double p) {
    boolean[] m = new boolean[n];
    for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < p;
    return m;
  }

  /** any (dilate) or all (erode) over the window clipped to the frame. */
  static boolean[] naive(boolean[] m, int w, int h, int r, boolean all) {
    boolean[] out = new boolean[m.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean v = all;
        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) v = all ? v && m[yy * w + xx] : v || m[yy * w + xx];
        }
        out[y * w + x] = v;
      }
    }
    return out;
  }

  @Test
  void binaryFiltersMatchNaiveWindows() {
    for (int trial = 0; trial < 40; trial++) {
      int w = 1 + rng.nextInt(40), h = 1 + rng.nextInt(40), r = rng.nextInt(6);
      boolean[] m = random(w * h, rng.nextDouble());
      if (trial % 2 == 1) {   // confined to a sub-rectangle: exercises the bounding-box path of dilate
        int x0 = rng.nextInt(w), y0 = rng.nextInt(h), x1 = x0 + rng.nextInt(w - x0), y1 = y0 + rng.nextInt(h - y0);
        for (int i = 0; i < m.length; i++) if (i % w < x0 || i % w > x1 || i / w < y0 || i / w > y1) m[i] = false;
      }
      assertArrayEquals(naive(m, w, h, r, false), Morphology.dilate(m, w, h, r), "dilate " + w + "x" + h + " r" + r + " (seed " + seed + ")");
      assertArrayEquals(naive(m, w, h, r, true), Morphology.erode(m, w, h, r), "erode " + w + "x" + h + " r" + r + " (seed " + seed + ")");
      assertArrayEquals(naive(naive(m, w, h, r, false), w, h, r, true), Morphology.close(m, w, h, r), "close, seed " + seed);
      assertArrayEquals(naive(naive(m, w, h, r, true), w, h, r, false), Morphology.open(m, w, h, r), "open, seed " + seed);
    }
  }

  @Test
  void greyFiltersMatchNaiveWindows() {
    for (int trial = 0; trial < 10; trial++) {
      int w = 1 + rng.nextInt(30), h = 1 + rng.nextInt(30), r = rng.nextInt(4);
      int[] v = new int[w * h];
      for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(256);
      int[] min = Morphology.minFilter(v, w, h, r);
      float[] std = Morphology.localStd(v, w, h, r);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int m = Integer.MAX_VALUE;
          double s = 0, q = 0;
          int n = 0;
          for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
              int a = v[yy * w + xx];
              m = Math.min(m, a);
              s += a;
              n++;
            }
          }
          double mean = s / n;
          for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) q += (v[yy * w + xx] - mean) * (v[yy * w + xx] - mean);
          }
          assertEquals(m, min[y * w + x], "seed " + seed);
          assertEquals(Math.sqrt(q / n), std[y * w + x], 1e-3, "seed " + seed);
        }
      }
    }
  }

  @Test
  void aFullMaskSurvivesErosionAtTheFrameEdge() {
    boolean[] all = new boolean[7 * 5];
    java.util.Arrays.fill(all, true);
    assertArrayEquals(all, Morphology.erode(all, 7, 5, 3));
  }
}
