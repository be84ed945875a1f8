package sonogate.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sonogate.train.Rng;

class MetricsTest {

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.uniform(-1, 1);
        return a;
    }

    @Test
    void identicalFramesScorePerfectly() {
        long seed = System.nanoTime();
        Rng rng = new Rng(seed);
        float[] a = random(rng, 20 * 30), mask = new float[600];
        mask[17] = 1f;
        assertEquals(1.0, Ssim.mean(a, a, 20, 30), 1e-12, "seed=" + seed);
        assertEquals(1.0, Ssim.meanInMask(a, a, mask, 20, 30), 1e-12, "seed=" + seed);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a, 20, 30));
        assertEquals(0.0, Metrics.l1InMask(a, a, mask, 20, 30));
    }

    @Test
    void knownValues() {
        int h = 12, w = 12, n = h * w;
        float[] zero = new float[n], fifth = new float[n], mask = new float[n];
        Arrays.fill(fifth, 0.2f);
        for (int i = 0; i < n; i += 2) mask[i] = 1f;
        // A 0.2 difference on [-1, 1] is 0.1 on [0, 1]: MSE 0.01 -> 20 dB; L1 0.1.
        assertEquals(20.0, Metrics.psnr(zero, fifth, h, w), 1e-5);
        assertEquals(20.0, Metrics.psnrInMask(zero, fifth, mask, h, w), 1e-5);
        assertEquals(0.1, Metrics.l1InMask(zero, fifth, mask, h, w), 1e-7);
        // Flat frames: SSIM reduces to the luminance term (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1).
        double m1 = 0.5, m2 = 0.6, c1 = 1e-4;
        assertEquals((2 * m1 * m2 + c1) / (m1 * m1 + m2 * m2 + c1), Ssim.mean(zero, fifth, h, w), 1e-9);
    }

    @Test
    void emptyMasksGiveNaN() {
        int h = 16, w = 16, n = h * w;
        long seed = System.nanoTime();
        Rng rng = new Rng(seed);
        float[] a = random(rng, n), b = random(rng, n), none = new float[n];
        assertTrue(Double.isNaN(Ssim.meanInMask(a, b, none, h, w)), "seed " + seed);
        assertTrue(Double.isNaN(Metrics.l1InMask(a, b, none, h, w)), "seed " + seed);
        assertTrue(Double.isNaN(Metrics.psnrInMask(a, b, none, h, w)), "seed " + seed);
        assertTrue(Double.isNaN(Metrics.flicker(new float[][] {a, b}, new float[][] {none, none}, h, w)), "seed " + seed);
        assertTrue(Double.isNaN(Metrics.flicker(new float[][] {a}, null, h, w)), "one frame has no change to measure");
    }

    @Test
    void framesSmallerThanTheWindowAreRejectedClearly() {
        float[] a = new float[8 * 8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ssim.mean(a, a, 8, 8));
        assertTrue(e.getMessage().contains("smaller than the 11x11 SSIM window"), e.getMessage());
        float[] b = new float[10 * 40];
        assertThrows(IllegalArgumentException.class, () -> Ssim.meanInMask(b, b, b, 10, 40));
        assertThrows(IllegalArgumentException.class, () -> Ssim.mean(a, new float[63], 8, 8));
        assertThrows(IllegalArgumentException.class, () -> Metrics.psnr(a, new float[63], 8, 8));
    }

    @Test
    void flickerMeasuresFrameToFrameChangeInsideTheMask() {
        int h = 4, w = 5, n = h * w;
        float[] f0 = new float[n], f1 = new float[n], m = new float[n], none = new float[n];
        Arrays.fill(f1, 0.2f);
        Arrays.fill(m, 0, 5, 1f);
        float[][] clip = {f0, f1, f0, f1};
        // Every masked pixel changes by 0.2 on [-1, 1] = 0.1 on [0, 1] between every pair.
        assertEquals(0.1, Metrics.flicker(clip, new float[][] {m, m, m, m}, h, w), 1e-7);
        assertEquals(0.1, Metrics.flicker(clip, null, h, w), 1e-7);
        // Masked in only one frame of a pair still counts for that pair.
        assertEquals(0.1, Metrics.flicker(clip, new float[][] {m, none, none, none}, h, w), 1e-7);
        assertEquals(0.0, Metrics.flicker(new float[][] {f0, f0, f0}, null, h, w));
        assertEquals(0.0, Metrics.flickerError(clip, clip, null, h, w));
        assertEquals(0.1, Metrics.flickerError(clip, new float[][] {f0, f0, f0, f0}, new float[][] {m, m, m, m}, h, w), 1e-7);
    }
}
