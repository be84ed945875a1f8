package sonogate.train.data;

/**
 * One synthetic flow structure of a {@link CfdMaskGenerator} clip (a vessel, a chamber-like blob or
 * a jet) with its motion. {@link #rasterize} writes a shape field: 1 - d, where d is 0 on the
 * structure's axis or centre and 1 on its border (so the field is positive inside), taking the
 * maximum with what the field already holds. Only pixels within about two radii are touched.
 */
abstract sealed class FlowStructure {

    /** Smooth periodic motion shared by all structure kinds. */
    record Motion(double vx, double vy, double wobble, double wobblePeriod, double wobblePhase,
            double period, double phase, double sharpness, double swing) {

        /** Cardiac-like pulse in [0, 1]: a raised cosine sharpened to a shorter systole. */
        double pulse(double t) {
            double c = 0.5 * (1 - Math.cos(2 * Math.PI * (t / period + phase)));
            return Math.pow(c, sharpness);
        }

        /** Mean of {@link #pulse} over a period. */
        double meanPulse() {
            double s = 0;
            for (int i = 0; i < 64; i++) s += pulse(period * i / 64.0 - phase * period);
            return s / 64;
        }

        double dx(double t) {
            return vx * t + wobble * Math.sin(2 * Math.PI * t / wobblePeriod + wobblePhase);
        }

        double dy(double t) {
            return vy * t + wobble * Math.cos(2 * Math.PI * t / wobblePeriod + wobblePhase);
        }

        /** Relative size at frame t: 1 + swing * (pulse - mean pulse). */
        double scale(double t, double meanPulse) {
            return Math.max(0.2, 1 + swing * (pulse(t) - meanPulse));
        }
    }

    final Motion motion;
    final double meanPulse;

    FlowStructure(Motion motion) {
        this.motion = motion;
        this.meanPulse = motion.meanPulse();
    }

    abstract void rasterize(float[] field, boolean[] box, int height, int width, double t);

    /** Writes 1 - dist/r of a tapered capsule (segment a-b, radii ra, rb) where dist/r <= 2. */
    static void capsule(float[] field, boolean[] box, int height, int width, double ax, double ay, double bx,
            double by, double ra, double rb) {
        double rmax = Math.max(ra, rb) * 2 + 1;
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - rmax));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(ax, bx) + rmax));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - rmax));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(ay, by) + rmax));
        double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey;
        for (int y = y0; y <= y1; y++) {
            int row = y * width;
            for (int x = x0; x <= x1; x++) {
                int i = row + x;
                if (!box[i]) continue;
                double px = x - ax, py = y - ay;
                double s = len2 > 0 ? Math.max(0, Math.min(1, (px * ex + py * ey) / len2)) : 0;
                double qx = px - s * ex, qy = py - s * ey;
                double r = ra + s * (rb - ra);
                double v = 1 - Math.sqrt(qx * qx + qy * qy) / r;
                if (v > field[i]) field[i] = (float) v;
            }
        }
    }

    /** A vessel: a smooth polyline with a slowly varying radius; it keeps its width over the beat (only fills more). */
    static final class Tube extends FlowStructure {
        private final double[] xs, ys, rs, headings;

        /** Vertices (xs, ys), radius at each vertex, and the heading (radians, from +x) leaving each vertex. */
        Tube(Motion motion, double[] xs, double[] ys, double[] rs, double[] headings) {
            super(motion);
            this.xs = xs;
            this.ys = ys;
            this.rs = rs;
            this.headings = headings;
        }

        int vertexCount() {
            return xs.length;
        }

        double x(int i) {
            return xs[i];
        }

        double y(int i) {
            return ys[i];
        }

        double heading(int i) {
            return headings[i];
        }

        @Override
        void rasterize(float[] field, boolean[] box, int height, int width, double t) {
            double dx = motion.dx(t), dy = motion.dy(t);
            double k = Math.sqrt(motion.scale(t, meanPulse));
            for (int i = 0; i + 1 < xs.length; i++) {
                capsule(field, box, height, width, xs[i] + dx, ys[i] + dy, xs[i + 1] + dx, ys[i + 1] + dy,
                        rs[i] * k, rs[i + 1] * k);
            }
        }
    }

    /** A chamber-like blob: an ellipse with a wavy outline, slowly turning, its area following the pulse. */
    static final class Blob extends FlowStructure {
        private final double cx, cy, a, b, angle, spin;
        private final double[] harmonicAmp, harmonicPhase;

        Blob(Motion motion, double cx, double cy, double a, double b, double angle, double spin,
                double[] harmonicAmp, double[] harmonicPhase) {
            super(motion);
            this.cx = cx;
            this.cy = cy;
            this.a = a;
            this.b = b;
            this.angle = angle;
            this.spin = spin;
            this.harmonicAmp = harmonicAmp;
            this.harmonicPhase = harmonicPhase;
        }

        @Override
        void rasterize(float[] field, boolean[] box, int height, int width, double t) {
            double k = Math.sqrt(motion.scale(t, meanPulse));
            double ea = a * k, eb = b * k;
            double ccx = cx + motion.dx(t), ccy = cy + motion.dy(t);
            double th = angle + spin * t, c = Math.cos(th), s = Math.sin(th);
            double wave = 1;
            for (double h : harmonicAmp) wave += Math.abs(h);
            double reach = Math.max(ea, eb) * wave * 2 + 1;
            int x0 = Math.max(0, (int) Math.floor(ccx - reach)), x1 = Math.min(width - 1, (int) Math.ceil(ccx + reach));
            int y0 = Math.max(0, (int) Math.floor(ccy - reach)), y1 = Math.min(height - 1, (int) Math.ceil(ccy + reach));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int i = y * width + x;
                    if (!box[i]) continue;
                    double px = x - ccx, py = y - ccy;
                    double u = (px * c + py * s) / ea, v = (-px * s + py * c) / eb;
                    double rho = Math.sqrt(u * u + v * v);
                    double alpha = Math.atan2(v, u);
                    double rad = 1;
                    for (int h = 0; h < harmonicAmp.length; h++) rad += harmonicAmp[h] * Math.cos((h + 2) * alpha + harmonicPhase[h]);
                    double val = 1 - rho / rad;
                    if (val > field[i]) field[i] = (float) val;
                }
            }
        }
    }

    /** A jet: a tear drop from an orifice that lengthens and widens in systole and sways a little. */
    static final class Jet extends FlowStructure {
        private static final double PROFILE_MAX = profileMax();
        private final double ox, oy, direction, sway, length, halfWidth;

        Jet(Motion motion, double ox, double oy, double direction, double sway, double length, double halfWidth) {
            super(motion);
            this.ox = ox;
            this.oy = oy;
            this.direction = direction;
            this.sway = sway;
            this.length = length;
            this.halfWidth = halfWidth;
        }

        private static double profile(double s) {
            return Math.pow(s, 0.6) * Math.sqrt(Math.max(0, 1 - s * s));
        }

        private static double profileMax() {
            double m = 0;
            for (int i = 1; i < 1000; i++) m = Math.max(m, profile(i / 1000.0));
            return m;
        }

        @Override
        void rasterize(float[] field, boolean[] box, int height, int width, double t) {
            double p = motion.pulse(t);
            double len = length * (0.55 + 0.45 * p), hw = halfWidth * (0.7 + 0.3 * p);
            double dir = direction + sway * Math.sin(2 * Math.PI * (t / motion.period() + motion.phase()) * 0.5);
            double ux = Math.sin(dir), uy = Math.cos(dir);
            double oxt = ox + motion.dx(t), oyt = oy + motion.dy(t);
            double tx = oxt + ux * len, ty = oyt + uy * len, reach = hw * 2 + 1;
            int x0 = Math.max(0, (int) Math.floor(Math.min(oxt, tx) - reach));
            int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(oxt, tx) + reach));
            int y0 = Math.max(0, (int) Math.floor(Math.min(oyt, ty) - reach));
            int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(oyt, ty) + reach));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    int i = y * width + x;
                    if (!box[i]) continue;
                    double px = x - oxt, py = y - oyt;
                    double s = (px * ux + py * uy) / len;
                    if (s <= 0 || s >= 1) continue;
                    double v = Math.abs(-px * uy + py * ux);
                    double r = hw * profile(s) / PROFILE_MAX;
                    if (r <= 1e-9) continue;
                    double val = 1 - v / r;
                    if (val > field[i]) field[i] = (float) val;
                }
            }
        }
    }
}
