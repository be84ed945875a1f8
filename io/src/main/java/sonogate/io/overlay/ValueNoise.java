package sonogate.io.overlay;

/**
 * Smooth deterministic noise in [0, 1] over (x, y, t): values hashed from a seed on a lattice of
 * cells {@code sx x sy} pixels by {@code st} frames, blended with smoothstep weights. Same seed and
 * point, same value, in any order of evaluation.
 */
final class ValueNoise {
  private final long seed;
  private final double sx, sy, st;

  ValueNoise(long seed, double sx, double sy, double st) {
    if (!(sx > 0 && sy > 0 && st > 0)) throw new IllegalArgumentException("noise scales must be positive");
    this.seed = seed;
    this.sx = sx;
    this.sy = sy;
    this.st = st;
  }

  double at(double x, double y, double t) {
    double fx = x / sx, fy = y / sy, ft = t / st;
    long ix = (long) Math.floor(fx), iy = (long) Math.floor(fy), it = (long) Math.floor(ft);
    double ux = smooth(fx - ix), uy = smooth(fy - iy), ut = smooth(ft - it);
    double v = 0;
    for (int c = 0; c < 8; c++) {
      int dx = c & 1, dy = (c >> 1) & 1, dt = c >> 2;
      double wgt = (dx == 1 ? ux : 1 - ux) * (dy == 1 ? uy : 1 - uy) * (dt == 1 ? ut : 1 - ut);
      v += wgt * lattice(ix + dx, iy + dy, it + dt);
    }
    return v;
  }

  private static double smooth(double u) {
    return u * u * (3 - 2 * u);
  }

  private double lattice(long x, long y, long t) {
    return (mix(seed ^ mix(x * 0x9E3779B97F4A7C15L ^ mix(y * 0xC2B2AE3D27D4EB4FL ^ mix(t * 0x165667B19E3779F9L)))) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
