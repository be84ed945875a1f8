package sonogate.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TeleaInpaintingTest {
    /**
     * The first-order estimate extrapolates each known pixel along its gradient: exact on a linear ramp
     * (a convex hole 2 pixels off the edges, so every known pixel has a usable neighbour on each axis).
     */
    @Test
    void firstOrderReproducesALinearRamp() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int trial = 0; trial < 5; trial++) {
            int w = 20 + rng.nextInt(40), h = 20 + rng.nextInt(40);
            float[] ramp = Holes.linearRamp(rng, w, h);
            byte[] hole = Holes.blobs(rng, w, h, 1, 2);
            float[] damaged = ramp.clone();
            for (int i = 0; i < hole.length; i++) if (hole[i] != 0) damaged[i] = 999;
            float[] filled = TeleaInpainting.fill(damaged, hole, w, h, 1 + rng.nextInt(6), true);
            for (int i = 0; i < hole.length; i++) assertEquals(ramp[i], filled[i], 1e-3 * (1 + Math.abs(ramp[i])), "pixel " + i + " (seed " + seed + ")");
        }
    }

    /** The zero-order estimate is a convex combination: within the known range; a constant stays constant. */
    @Test
    void zeroOrderStaysWithinTheKnownRange() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int w = 40, h = 30;
        float[] img = new float[w * h];
        for (int i = 0; i < img.length; i++) img[i] = (float) rng.nextDouble(10, 200);
        byte[] hole = Holes.blobs(rng, w, h, 4, 0);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int i = 0; i < img.length; i++) {
            if (hole[i] != 0) continue;
            min = Math.min(min, img[i]);
            max = Math.max(max, img[i]);
        }
        float[] filled = TeleaInpainting.fill(img, hole, w, h, 5, false);
        for (int i = 0; i < img.length; i++) {
            if (hole[i] == 0) assertEquals(img[i], filled[i], 0f, "seed " + seed);
            else assertTrue(filled[i] >= min - 1e-3 && filled[i] <= max + 1e-3, "pixel " + i + ": " + filled[i] + " (seed " + seed + ")");
        }
        float[] constant = new float[w * h];
        java.util.Arrays.fill(constant, 42f);
        for (float v : TeleaInpainting.fill(constant, hole, w, h, 5, true)) assertEquals(42f, v, 1e-4f, "seed " + seed);
    }

    /** Marching from a straight front gives the exact distance; from a point, close to the Euclidean one. */
    @Test
    void fastMarchingDistances() {
        int w = 41, h = 31;
        double[] t = new double[w * h];
        byte[] flag = new byte[w * h];
        for (int i = 0; i < t.length; i++) {
            boolean start = i % w == 0;
            flag[i] = start ? FastMarching.BAND : FastMarching.FAR;
            t[i] = start ? 0 : Double.POSITIVE_INFINITY;
        }
        march(new FastMarching(w, h, t, flag));
        for (int i = 0; i < t.length; i++) assertEquals(i % w, t[i], 1e-12);
        for (int i = 0; i < t.length; i++) {
            boolean start = i == 15 * w + 20;
            flag[i] = start ? FastMarching.BAND : FastMarching.FAR;
            t[i] = start ? 0 : Double.POSITIVE_INFINITY;
        }
        march(new FastMarching(w, h, t, flag));
        for (int i = 0; i < t.length; i++) {
            double d = Math.hypot(i % w - 20, i / w - 15);
            assertTrue(t[i] >= d - 1e-9 && t[i] <= d * 1.1 + 1, "pixel " + i + ": " + t[i] + " vs " + d);   // first-order FMM errs upward, by < 10%
        }
    }

    private static void march(FastMarching fm) {
        int w = fm.width, h = fm.height;
        for (int p = fm.next(); p >= 0; p = fm.next()) {
            int x = p % w, y = p / w;
            for (int q : new int[] {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1}) {
                if (q >= 0 && fm.flag[q] != FastMarching.ACCEPTED) fm.update(q);
            }
        }
    }
}
