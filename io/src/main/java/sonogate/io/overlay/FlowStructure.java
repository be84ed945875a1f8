package sonogate.io.overlay;

/**
 * One moving region of flow inside a colour box: a vessel (a tube along a gently curving
 * polyline, laminar: fastest on its axis) or a chamber (a wobbly ellipse whose flow swirls: one
 * side towards the probe, the other away). Each drifts smoothly and pulses with the beat.
 *
 * <p>{@link #at} gives the structure's pose in frame t, whose {@link Pose#shape} is 1 on the axis
 * or centre, 0 on the border and negative outside (in units of the radius), and whose
 * {@link Pose#velocity} is the signed speed in [-1.3, 1.3] before noise.
 */
abstract sealed class FlowStructure permits FlowStructure.Vessel, FlowStructure.Chamber {
  /** Smooth drift (sinusoids in x and y) and a beat that swells the structure and speeds its flow. */
  record Motion(double ampX, double ampY, double periodX, double periodY, double phaseX, double phaseY,
      double beatPeriod, double beatPhase, double swing) {
    double dx(double t) {
      return ampX * Math.sin(2 * Math.PI * (t / periodX + phaseX));
    }

    double dy(double t) {
      return ampY * Math.sin(2 * Math.PI * (t / periodY + phaseY));
    }

    /** 0..1 over the beat. */
    double beat(double t) {
      return 0.5 * (1 + Math.sin(2 * Math.PI * (t / beatPeriod + beatPhase)));
    }

    double scale(double t) {
      return 1 + swing * (beat(t) - 0.5);
    }
  }

  /** A structure in one frame. */
  interface Pose {
    double shape(double x, double y);

    double velocity(double x, double y);

    /** {x0, y0, x1, y1} containing every pixel whose shape is above -3. */
    double[] reach();
  }

  final Motion motion;
  final double peak;   // peak speed, 0..1.3 (above 1 aliases)
  final int sign;      // +1 towards the probe, -1 away

  FlowStructure(Motion motion, double peak, int sign) {
    this.motion = motion;
    this.peak = peak;
    this.sign = sign;
  }

  abstract Pose at(double t);

  double speed(double t) {
    return peak * (0.45 + 0.55 * motion.beat(t));
  }

  static final class Vessel extends FlowStructure {
    private final double[] xs, ys;
    private final double radius;

    Vessel(Motion motion, double peak, int sign, double[] xs, double[] ys, double radius) {
      super(motion, peak, sign);
      this.xs = xs;
      this.ys = ys;
      this.radius = radius;
    }

    @Override
    Pose at(double t) {
      double dx = motion.dx(t), dy = motion.dy(t), r = radius * motion.scale(t), v = sign * speed(t);
      return new Pose() {
        /** Distance to the polyline, in radii. */
        private double q(double x, double y) {
          double px = x - dx, py = y - dy, best = Double.MAX_VALUE;
          for (int i = 0; i + 1 < xs.length; i++) {
            double ax = xs[i], ay = ys[i], vx = xs[i + 1] - ax, vy = ys[i + 1] - ay, len2 = vx * vx + vy * vy;
            double u = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
            double ex = px - ax - u * vx, ey = py - ay - u * vy;
            best = Math.min(best, ex * ex + ey * ey);
          }
          return Math.sqrt(best) / r;
        }

        @Override
        public double shape(double x, double y) {
          return 1 - q(x, y);
        }

        @Override
        public double velocity(double x, double y) {
          double q = q(x, y);
          return v * Math.max(0, 1 - q * q);
        }

        @Override
        public double[] reach() {
          double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
          for (int i = 0; i < xs.length; i++) {
            x0 = Math.min(x0, xs[i]);
            x1 = Math.max(x1, xs[i]);
            y0 = Math.min(y0, ys[i]);
            y1 = Math.max(y1, ys[i]);
          }
          double m = 4 * r;
          return new double[] {x0 + dx - m, y0 + dy - m, x1 + dx + m, y1 + dy + m};
        }
      };
    }
  }

  static final class Chamber extends FlowStructure {
    private final double cx, cy, a, b, angle, spin;
    private final double[] amp, cosPhase, sinPhase;

    Chamber(Motion motion, double peak, int sign, double cx, double cy, double a, double b, double angle, double spin,
        double[] amp, double[] phase) {
      super(motion, peak, sign);
      this.cx = cx;
      this.cy = cy;
      this.a = a;
      this.b = b;
      this.angle = angle;
      this.spin = spin;
      this.amp = amp;
      this.cosPhase = new double[phase.length];
      this.sinPhase = new double[phase.length];
      for (int h = 0; h < phase.length; h++) {
        cosPhase[h] = Math.cos(phase[h]);
        sinPhase[h] = Math.sin(phase[h]);
      }
    }

    @Override
    Pose at(double t) {
      double k = motion.scale(t), th = angle + spin * t, c = Math.cos(th), s = Math.sin(th);
      double ox = cx + motion.dx(t), oy = cy + motion.dy(t), ea = a * k, eb = b * k, v = sign * speed(t);
      return new Pose() {
        /**
         * rho over the outline's radius at the point's polar angle alpha: 1 + sum amp_h cos((h + 2) alpha
         * + phase_h), with cos(k alpha) and sin(k alpha) from the point's coordinates (no trigonometry per pixel).
         */
        private double rho(double px, double py) {
          double u = (px * c + py * s) / ea, w = (-px * s + py * c) / eb, r = Math.sqrt(u * u + w * w);
          if (r == 0) return 0;
          double ca = u / r, sa = w / r, ck = ca, sk = sa, rad = 1;
          for (int h = 0; h < amp.length; h++) {
            double cn = ck * ca - sk * sa, sn = sk * ca + ck * sa;   // angle (h + 2) alpha
            ck = cn;
            sk = sn;
            rad += amp[h] * (ck * cosPhase[h] - sk * sinPhase[h]);
          }
          return r / rad;
        }

        @Override
        public double shape(double x, double y) {
          return 1 - rho(x - ox, y - oy);
        }

        @Override
        public double velocity(double x, double y) {
          double px = x - ox, py = y - oy, w = (-px * s + py * c) / eb;
          // Swirl: the flow runs one way along one side of the long axis and back along the other.
          return v * Math.max(-1, Math.min(1, 1.6 * w)) * Math.max(0, 1 - 0.5 * rho(px, py));
        }

        @Override
        public double[] reach() {
          double wave = 1;
          for (double h : amp) wave += Math.abs(h);
          double m = 4 * Math.max(ea, eb) * wave;
          return new double[] {ox - m, oy - m, ox + m, oy + m};
        }
      };
    }
  }
}
