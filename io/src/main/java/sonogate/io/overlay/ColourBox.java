package sonogate.io.overlay;

import java.util.SplittableRandom;
import sonogate.io.mask.Sector;

/**
 * Where a scanner lets the user put the colour box: inside one part of the imaging sector, a wedge
 * between two beam angles and two depths in a fan, a rectangle (sometimes steered into a
 * parallelogram) in a linear image.
 */
final class ColourBox {
  /** Span of the box along each axis, as a fraction of the part's: drawn in [MIN, MAX], grown when too small. */
  static final double MIN_SPAN = 0.35, MAX_SPAN = 0.75;
  /** Chance of a steered (parallelogram) box in a rectangle, and its steering limit. */
  static final double STEER_PROBABILITY = 0.3, MAX_STEER_DEGREES = 20;

  private ColourBox() {}

  /**
   * A box in part {@code part} of {@code sector} (true inside), covering at least
   * {@code minFraction} of the part when it can (the spans grow over up to 12 draws; the last
   * draw is returned otherwise).
   */
  static boolean[] draw(SplittableRandom rng, Sector sector, int part, double minFraction) {
    Sector.Part p = sector.parts().get(part);
    boolean[] box = null;
    for (int attempt = 0; attempt < 12; attempt++) {
      double grow = attempt / 11.0;   // later attempts draw larger spans
      double lo = MIN_SPAN + grow * (1 - MIN_SPAN) * 0.6, hi = Math.max(lo, Math.min(0.95, MAX_SPAN + grow * 0.2));
      double f1 = rng.nextDouble(lo, hi + 1e-9), f2 = rng.nextDouble(lo, hi + 1e-9);
      box = p.kind() == Sector.Kind.FAN ? wedge(rng, sector, part, f1, f2) : rectangle(rng, sector, part, f1, f2);
      if (count(box) >= minFraction * p.area() && count(box) > 0) return box;
    }
    return box;
  }

  static int count(boolean[] m) {
    int n = 0;
    for (boolean b : m) if (b) n++;
    return n;
  }

  private static boolean[] wedge(SplittableRandom rng, Sector s, int part, double angleFraction, double depthFraction) {
    Sector.Part p = s.parts().get(part);
    double span = (p.angleMax() - p.angleMin()) * angleFraction;
    double centre = p.angleMin() + span / 2 + rng.nextDouble() * (p.angleMax() - p.angleMin() - span);
    double depth = (p.rMax() - p.rMin()) * depthFraction;
    double r0 = p.rMin() + rng.nextDouble() * (p.rMax() - p.rMin() - depth), r1 = r0 + depth;
    int w = s.width(), h = s.height();
    boolean[] box = new boolean[w * h];
    for (int y = p.y0(); y <= p.y1(); y++) {
      for (int x = p.x0(); x <= p.x1(); x++) {
        int i = y * w + x;
        if (s.partAt(i) != part) continue;
        double dx = x - p.apexX(), dy = y - p.apexY(), r = Math.hypot(dx, dy);
        box[i] = r >= r0 && r <= r1 && Math.abs(Math.atan2(dx, dy) - centre) <= span / 2;
      }
    }
    return box;
  }

  private static boolean[] rectangle(SplittableRandom rng, Sector s, int part, double widthFraction, double heightFraction) {
    Sector.Part p = s.parts().get(part);
    double pw = p.x1() - p.x0() + 1, ph = p.y1() - p.y0() + 1;
    double bw = Math.max(2, widthFraction * pw), bh = Math.max(2, heightFraction * ph);
    double shear = 0;
    if (rng.nextDouble() < STEER_PROBABILITY) {
      double max = Math.min(Math.tan(Math.toRadians(MAX_STEER_DEGREES)), Math.max(0, (pw - bw) / bh));
      shear = max > 0 ? rng.nextDouble(-max, max) : 0;
    }
    double extent = bw + bh * Math.abs(shear);
    double left = p.x0() + rng.nextDouble() * Math.max(0, pw - extent) + (shear < 0 ? -shear * bh : 0);
    double top = p.y0() + rng.nextDouble() * Math.max(0, ph - bh);
    int w = s.width(), h = s.height();
    boolean[] box = new boolean[w * h];
    for (int y = p.y0(); y <= p.y1(); y++) {
      double dy = y - top;
      if (dy < 0 || dy >= bh) continue;
      double x0 = left + shear * dy;
      for (int x = p.x0(); x <= p.x1(); x++) {
        int i = y * w + x;
        box[i] = s.partAt(i) == part && x >= x0 && x < x0 + bw;
      }
    }
    return box;
  }
}
