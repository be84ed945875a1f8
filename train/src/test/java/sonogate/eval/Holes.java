package sonogate.eval;

import java.util.SplittableRandom;

/** Random inputs for the baseline tests: hole masks (unions of ellipses) and linear ramps. */
final class Holes {
    private Holes() {}

    /** A w x h image a*x + b*y + c with random slopes and offset (a harmonic function: fills must reproduce it). */
    static float[] linearRamp(SplittableRandom rng, int w, int h) {
        double a = rng.nextDouble(-3, 3), b = rng.nextDouble(-3, 3), c = rng.nextDouble(-50, 50);
        float[] ramp = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) ramp[y * w + x] = (float) (a * x + b * y + c);
        return ramp;
    }

    /** Up to {@code count} ellipses; {@code margin} pixels along the edges stay known (0: holes may touch them). */
    static byte[] blobs(SplittableRandom rng, int w, int h, int count, int margin) {
        byte[] hole = new byte[w * h];
        for (int k = 0; k < count; k++) {
            double cx = rng.nextDouble(0, w), cy = rng.nextDouble(0, h);
            double rx = rng.nextDouble(1.5, w / 4.0), ry = rng.nextDouble(1.5, h / 4.0);
            for (int y = margin; y < h - margin; y++) {
                for (int x = margin; x < w - margin; x++) {
                    double dx = (x - cx) / rx, dy = (y - cy) / ry;
                    if (dx * dx + dy * dy <= 1) hole[y * w + x] = 1;
                }
            }
        }
        boolean empty = true;
        for (byte b : hole) empty &= b == 0;
        if (empty) hole[(h / 2) * w + w / 2] = 1;   // never empty
        return hole;
    }
}
