package sonogate.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import sonogate.nn.HarmonicFill;
import org.junit.jupiter.api.Test;

class HarmonicFillTest {
    /** A linear ramp is harmonic: filling any interior hole of it gives the ramp back. */
    @Test
    void reproducesALinearRampExactly() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int trial = 0; trial < 5; trial++) {
            int w = 20 + rng.nextInt(40), h = 20 + rng.nextInt(40);
            float[] ramp = Holes.linearRamp(rng, w, h);
            byte[] hole = Holes.blobs(rng, w, h, 3, 1);
            float[] damaged = ramp.clone();
            for (int i = 0; i < hole.length; i++) if (hole[i] != 0) damaged[i] = (float) rng.nextDouble(-100, 100);
            float[] filled = HarmonicFill.fill(damaged, hole, w, h, 1e-10);
            for (int i = 0; i < hole.length; i++) assertEquals(ramp[i], filled[i], 2e-3 * (1 + Math.abs(ramp[i])), "pixel " + i + " (seed " + seed + ")");
        }
    }

    /** Against plain Gauss-Seidel sweeps of the same equations (holes may touch the frame's edges). */
    @Test
    void matchesNaiveRelaxation() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int w = 17 + rng.nextInt(10), h = 13 + rng.nextInt(10);
        float[] img = new float[w * h];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextDouble(0, 255);
        byte[] hole = Holes.blobs(rng, w, h, 4, 0);
        float[] fast = HarmonicFill.fill(img, hole, w, h, 1e-12);
        double[] u = new double[w * h];
        for (int i = 0; i < u.length; i++) u[i] = hole[i] != 0 ? 0 : img[i];
        for (int sweep = 0; sweep < 20000; sweep++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (hole[i] == 0) continue;
                    double s = 0;
                    int k = 0;
                    if (x > 0) { s += u[i - 1]; k++; }
                    if (x < w - 1) { s += u[i + 1]; k++; }
                    if (y > 0) { s += u[i - w]; k++; }
                    if (y < h - 1) { s += u[i + w]; k++; }
                    u[i] = s / k;
                }
            }
        }
        boolean anyKnownTouch = false;
        for (int i = 0; i < u.length; i++) if (hole[i] == 0) anyKnownTouch = true;
        assertTrue(anyKnownTouch, "seed " + seed);
        for (int i = 0; i < u.length; i++) {
            if (hole[i] != 0) assertEquals(u[i], fast[i], 1e-3, "pixel " + i + " (seed " + seed + ")");
            else assertEquals(img[i], fast[i], 0, "known pixel " + i + " changed" + " (seed " + seed + ")");
        }
    }

    @Test
    void aHoleWithoutKnownNeighboursTakesTheKnownMean() {
        int w = 12, h = 12;
        float[] img = new float[w * h];
        byte[] hole = new byte[w * h];
        for (int i = 0; i < img.length; i++) img[i] = i % 7;
        for (int i = 0; i < img.length; i++) hole[i] = 1;
        float[] all = HarmonicFill.fill(img, hole, w, h);
        for (float v : all) assertEquals(0f, v, 0f);   // nothing known: 0
        hole[0] = 0;
        float[] one = HarmonicFill.fill(img, hole, w, h);
        for (float v : one) assertEquals(img[0], v, 1e-4);
    }

    /** A starting guess changes the path, not the answer (the model's full-size fill starts from its low-resolution one). */
    @Test
    void aStartingGuessGivesTheSameFill() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int w = 30 + rng.nextInt(30), h = 30 + rng.nextInt(30);
        float[] img = new float[w * h], guess = new float[w * h];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rng.nextDouble(0, 255);
            guess[i] = (float) rng.nextDouble(-500, 500);
        }
        byte[] hole = Holes.blobs(rng, w, h, 4, 0);
        float[] plain = HarmonicFill.fill(img, hole, w, h, 1e-10);
        float[] started = HarmonicFill.fill(img, hole, w, h, 1e-10, guess);
        for (int i = 0; i < img.length; i++) assertEquals(plain[i], started[i], 1e-3, "pixel " + i + " (seed " + seed + ")");
    }
}
