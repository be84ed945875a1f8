package sonogate.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sonogate.train.Rng;

class AugmentationTest {
    private static final int H = 40, W = 56;

    private static float[] randomFrame(Rng rng) {
        float[] f = new float[H * W];
        for (int i = 0; i < f.length; i++) {
            double u = rng.nextDouble();
            f[i] = u < 0.1 ? -1f : u > 0.9 ? 1f : (float) rng.uniform(-1, 1);
        }
        return f;
    }

    /** A hard-edged binary picture (a few discs) as 0/1. */
    private static float[] discs(Rng rng) {
        float[] m = new float[H * W];
        for (int k = 0; k < 3; k++) {
            double cx = rng.uniform(8, W - 8), cy = rng.uniform(8, H - 8), r = rng.uniform(3, 9);
            for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) if (Math.hypot(x - cx, y - cy) <= r) m[y * W + x] = 1f;
        }
        return m;
    }

    @Test
    void valuesStayInRangeAndMasksStayBinary() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        Augmentation aug = new Augmentation(new Augmentation.Config(10, 0.5, 0.5, 0.5, 2.0, 0.5, 2.0, 0.2, 0.5, -1f));
        for (int s = 0; s < 30; s++) {
            float[][] frames = {randomFrame(rng), randomFrame(rng), randomFrame(rng)};
            float[][] masks = {discs(rng), discs(rng)};
            Augmentation.Result r = aug.apply(rng, frames, masks, H, W);
            for (float[] f : r.frames()) for (float v : f) assertTrue(v >= -1f && v <= 1f && !Float.isNaN(v), "seed=" + seed + " value " + v);
            for (float[] m : r.masks()) for (float v : m) assertTrue(v == 0f || v == 1f, "seed=" + seed + " mask value " + v);
        }
    }

    @Test
    void everyFrameAndMaskGetsTheSameGeometricTransform() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        // Geometry only (no intensity change, no noise) so frames can be compared exactly.
        Augmentation aug = new Augmentation(new Augmentation.Config(8, 0.5, 0.5, 1, 1, 1, 1, 0, 0, -1f));
        for (int s = 0; s < 40; s++) {
            float[] picture = discs(rng);
            float[] grey = new float[picture.length];
            for (int i = 0; i < grey.length; i++) grey[i] = 2 * picture[i] - 1;
            float[] other = randomFrame(rng);
            Augmentation.Params p = aug.sample(rng);
            Augmentation.Result clip = aug.apply(p, new float[][] {grey, other, grey}, new float[][] {picture}, H, W);
            // Same input frame, same output, wherever it sits in the clip.
            assertArrayEquals(clip.frames()[0], clip.frames()[2], "seed=" + seed);
            // Each frame transformed alone with the same parameters gives the same result.
            assertArrayEquals(clip.frames()[1], aug.apply(p, new float[][] {other}, new float[0][], H, W).frames()[0], "seed=" + seed);
            // The mask moved with the picture: where the bilinear grey is fully inside/outside a
            // disc, the nearest-neighbour mask agrees; disagreement is only on the rims.
            float[] g = clip.frames()[0], m = clip.masks()[0];
            int agree = 0, disagree = 0;
            for (int i = 0; i < g.length; i++) {
                if (g[i] == 1f) {
                    if (m[i] == 1f) agree++; else disagree++;
                } else if (g[i] == -1f) {
                    if (m[i] == 0f) agree++; else disagree++;
                }
            }
            assertEquals(0, disagree, "seed=" + seed + " sample " + s + " params " + p);
            assertTrue(agree > g.length / 2, "seed=" + seed);
        }
    }

    @Test
    void horizontalFlipMirrorsFramesAndMasks() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        Augmentation aug = new Augmentation(Augmentation.Config.none());
        float[] f = randomFrame(rng), m = discs(rng);
        Augmentation.Result r = aug.apply(new Augmentation.Params(0, true, false, 1, 1, 0, 0, 0), new float[][] {f},
                new float[][] {m}, H, W);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(f[y * W + W - 1 - x], r.frames()[0][y * W + x], "seed=" + seed);
                assertEquals(m[y * W + W - 1 - x], r.masks()[0][y * W + x], "seed=" + seed);
            }
        }
    }

    @Test
    void rotationTurnsAboutTheCentreAndFillsTheCornersWithTheBorderValue() {
        Augmentation aug = new Augmentation(Augmentation.Config.none());
        float[] white = new float[H * W];
        Arrays.fill(white, 1f);
        float[] ones = new float[H * W];
        Arrays.fill(ones, 1f);
        Augmentation.Result r = aug.apply(new Augmentation.Params(Math.toRadians(5), false, false, 1, 1, 0, 0, 0),
                new float[][] {white}, new float[][] {ones}, H, W);
        float[] g = r.frames()[0], m = r.masks()[0];
        assertEquals(1f, g[(H / 2) * W + W / 2], 1e-6f);
        assertEquals(-1f, g[0], 1e-6f, "a corner comes from outside the frame");
        assertEquals(0f, m[0]);
        assertEquals(1f, m[(H / 2) * W + W / 2]);
    }

    @Test
    void theIdentityConfigurationChangesNothing() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        Augmentation aug = new Augmentation(Augmentation.Config.none());
        float[] f = randomFrame(rng), m = discs(rng);
        Augmentation.Result r = aug.apply(rng, new float[][] {f}, new float[][] {m}, H, W);
        assertArrayEquals(f, r.frames()[0], "seed=" + seed);
        assertArrayEquals(m, r.masks()[0], "seed=" + seed);
    }

    @Test
    void intensityChangesAreSharedAndNoiseIsDrawnPerFrame() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        Augmentation gainOnly = new Augmentation(new Augmentation.Config(0, 0, 0, 0.7, 1.3, 0.7, 1.4, 0, 0, -1f));
        float[] f = randomFrame(rng);
        Augmentation.Result r = gainOnly.apply(rng, new float[][] {f, f}, new float[0][], H, W);
        assertArrayEquals(r.frames()[0], r.frames()[1], "seed=" + seed);
        Augmentation noisy = new Augmentation(new Augmentation.Config(0, 0, 0, 1, 1, 1, 1, 0.05, 0.1, -1f));
        Augmentation.Params p = noisy.sample(rng);
        Augmentation.Result n = noisy.apply(p, new float[][] {f, f}, new float[0][], H, W);
        assertFalse(Arrays.equals(n.frames()[0], n.frames()[1]), "seed=" + seed + " noise repeated across frames");
        // ... and reproducibly so.
        assertArrayEquals(n.frames()[1], noisy.apply(p, new float[][] {f, f}, new float[0][], H, W).frames()[1]);
    }

    @Test
    void theSameRngStateGivesTheSameAugmentation() {
        long seed = MaskTestUtil.freshSeed();
        Rng data = new Rng(seed ^ 1);
        float[] f = randomFrame(data), m = discs(data);
        Augmentation aug = new Augmentation(Augmentation.Config.defaults());
        Augmentation.Result a = aug.apply(new Rng(seed), new float[][] {f}, new float[][] {m}, H, W);
        Augmentation.Result b = aug.apply(new Rng(seed), new float[][] {f}, new float[][] {m}, H, W);
        assertArrayEquals(a.frames()[0], b.frames()[0], "seed=" + seed);
        assertArrayEquals(a.masks()[0], b.masks()[0], "seed=" + seed);
    }
}
