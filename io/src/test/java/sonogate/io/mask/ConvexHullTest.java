package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvexHullTest {
  final long seed = System.nanoTime();
  final SplittableRandom rng = new SplittableRandom(seed);

  @Test
  void hullCoversItsPixelsAndIsTheSmallestConvexSetOfThem() {
    for (int trial = 0; trial < 30; trial++) {
      int w = 5 + rng.nextInt(60), h = 5 + rng.nextInt(60), k = 1 + rng.nextInt(12);
      int[] pixels = new int[k];
      for (int j = 0; j < k; j++) pixels[j] = rng.nextInt(w * h);
      ConvexHull hull = ConvexHull.of(pixels, 0, k, w);
      boolean[] filled = new boolean[w * h];
      hull.fill(filled, w, h);
      for (int p : pixels) assertTrue(filled[p], "pixel " + p + " outside its hull (seed " + seed + ")");
      // Naive reference (Caratheodory): a point is in the hull of S iff it lies in a triangle
      // (or on a segment, or is a point) of points of S.
      for (int i = 0; i < w * h; i++) {
        assertEquals(inSomeTriangle(i % w, i / w, pixels, w), filled[i], "pixel " + i + " (seed " + seed + ")");
        assertEquals(filled[i], hull.contains(i % w, i / w), "seed " + seed);
      }
      // Convexity: the midpoint of two filled pixels is inside.
      for (int t = 0; t < 200; t++) {
        int a = rng.nextInt(w * h), b = rng.nextInt(w * h);
        if (!filled[a] || !filled[b]) continue;
        assertTrue(hull.contains((a % w + b % w) / 2.0, (a / w + b / w) / 2.0), "seed " + seed);
      }
    }
  }

  static boolean inSomeTriangle(double x, double y, int[] p, int w) {
    for (int a = 0; a < p.length; a++) {
      for (int b = a; b < p.length; b++) {
        for (int c = b; c < p.length; c++) {
          if (inTriangle(x, y, p[a] % w, p[a] / w, p[b] % w, p[b] / w, p[c] % w, p[c] / w)) return true;
        }
      }
    }
    return false;
  }

  /** Inside or on a (possibly degenerate) triangle, in exact integer arithmetic. */
  static boolean inTriangle(double px, double py, long ax, long ay, long bx, long by, long cx, long cy) {
    long x = (long) px, y = (long) py;
    long d1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    long d2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
    long d3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
    boolean neg = d1 < 0 || d2 < 0 || d3 < 0, pos = d1 > 0 || d2 > 0 || d3 > 0;
    if (neg && pos) return false;
    // Degenerate triangles: require the point within the bounding box of the three (on the segment).
    return x >= Math.min(ax, Math.min(bx, cx)) && x <= Math.max(ax, Math.max(bx, cx))
        && y >= Math.min(ay, Math.min(by, cy)) && y <= Math.max(ay, Math.max(by, cy));
  }

  @Test
  void aTriangleFillsItsLatticePoints() {
    int w = 20, h = 20;
    int[] pixels = {0, 10, 10 * w};   // (0,0), (10,0), (0,10)
    boolean[] filled = new boolean[w * h];
    ConvexHull.of(pixels, 0, 3, w).fill(filled, w, h);
    int n = 0;
    for (boolean b : filled) if (b) n++;
    assertEquals(66, n);   // x + y <= 10, x, y >= 0
  }
}
