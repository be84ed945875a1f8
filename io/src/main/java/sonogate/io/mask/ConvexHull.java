package sonogate.io.mask;

import java.util.Arrays;

/**
 * The convex hull of a set of pixels (Andrew's monotone chain over pixel centres), as a polygon in
 * counter-clockwise order of the y-down frame; fills and point tests include the boundary with a
 * small tolerance so that the hull of a shape covers every pixel of the shape.
 */
final class ConvexHull {
  private static final double EPS = 1e-6;
  final double[] xs, ys;

  private ConvexHull(double[] xs, double[] ys) {
    this.xs = xs;
    this.ys = ys;
  }

  /** The hull of pixels {@code pixels[from..to)} of an image {@code w} wide. */
  static ConvexHull of(int[] pixels, int from, int to, int w) {
    // Only the leftmost and rightmost pixel of each row can be hull vertices.
    int minY = Integer.MAX_VALUE, maxY = -1;
    for (int j = from; j < to; j++) {
      int y = pixels[j] / w;
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    int rows = maxY - minY + 1;
    int[] left = new int[rows], right = new int[rows];
    Arrays.fill(left, Integer.MAX_VALUE);
    Arrays.fill(right, -1);
    for (int j = from; j < to; j++) {
      int p = pixels[j], x = p % w, r = p / w - minY;
      left[r] = Math.min(left[r], x);
      right[r] = Math.max(right[r], x);
    }
    long[] pts = new long[2 * rows];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      if (right[r] < 0) continue;
      pts[n++] = pack(left[r], r + minY);
      if (right[r] != left[r]) pts[n++] = pack(right[r], r + minY);
    }
    return ofPoints(Arrays.copyOf(pts, n));
  }

  private static long pack(int x, int y) {
    return ((long) x << 32) | (y & 0xFFFFFFFFL);
  }

  private static ConvexHull ofPoints(long[] pts) {
    Arrays.sort(pts);   // by x, then y
    int n = pts.length;
    if (n <= 2) {
      double[] xs = new double[n], ys = new double[n];
      for (int i = 0; i < n; i++) {
        xs[i] = (int) (pts[i] >> 32);
        ys[i] = (int) pts[i];
      }
      return new ConvexHull(xs, ys);
    }
    long[] hull = new long[2 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) k--;
      hull[k++] = pts[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) k--;
      hull[k++] = pts[i];
    }
    k--;   // the last point repeats the first
    double[] xs = new double[k], ys = new double[k];
    for (int i = 0; i < k; i++) {
      xs[i] = (int) (hull[i] >> 32);
      ys[i] = (int) hull[i];
    }
    return new ConvexHull(xs, ys);
  }

  private static long cross(long o, long a, long b) {
    long ox = o >> 32, oy = (int) o, ax = a >> 32, ay = (int) a, bx = b >> 32, by = (int) b;
    return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
  }

  /** True when (x, y) lies inside or on the hull (a point or a segment when degenerate). */
  boolean contains(double x, double y) {
    int n = xs.length;
    if (n == 0) return false;
    if (n <= 2) return distanceToSegment(x, y, xs[0], ys[0], xs[n - 1], ys[n - 1]) <= EPS;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      double c = (xs[j] - xs[i]) * (y - ys[i]) - (ys[j] - ys[i]) * (x - xs[i]);
      if (c < -EPS * (1 + Math.abs(xs[j] - xs[i]) + Math.abs(ys[j] - ys[i]))) return false;
    }
    return true;
  }

  private static double distanceToSegment(double x, double y, double x0, double y0, double x1, double y1) {
    double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
    return Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
  }

  /** Sets {@code out[i] = true} for every pixel inside or on the hull. */
  void fill(boolean[] out, int w, int h) {
    int n = xs.length;
    if (n == 0) return;
    double minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (double y : ys) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    for (int y = Math.max(0, (int) Math.ceil(minY - EPS)); y <= Math.min(h - 1, (int) Math.floor(maxY + EPS)); y++) {
      // The row's span: the extreme crossings of the hull's edges with this row.
      double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double ya = ys[i], yb = ys[j], xa = xs[i], xb = xs[j];
        if (y < Math.min(ya, yb) - EPS || y > Math.max(ya, yb) + EPS) continue;
        if (Math.abs(yb - ya) < EPS) {
          lo = Math.min(lo, Math.min(xa, xb));
          hi = Math.max(hi, Math.max(xa, xb));
        } else {
          double x = xa + (xb - xa) * (y - ya) / (yb - ya);
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
      if (hi < lo) continue;
      for (int x = Math.max(0, (int) Math.ceil(lo - EPS)); x <= Math.min(w - 1, (int) Math.floor(hi + EPS)); x++) {
        out[y * w + x] = true;
      }
    }
  }
}
