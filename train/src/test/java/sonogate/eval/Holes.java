package sonogate.eval;

import java.util.SplittableRandom;

/** Random hole masks for the baseline tests: unions of ellipses, optionally kept off the frame's edge. */
final class Holes {
    private Holes() {}

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
