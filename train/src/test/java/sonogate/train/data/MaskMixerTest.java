package sonogate.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sonogate.train.Rng;

class MaskMixerTest {

    @Test
    void kindsFollowTheConfiguredRatio() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        MaskMixer mixer = new MaskMixer(new MaskMixer.Config(0.5, 0.3, true),
                new CfdMaskGenerator(CfdMaskConfig.defaults()), new FreeFormStrokes());
        Map<MaskMixer.Kind, Integer> counts = new EnumMap<>(MaskMixer.Kind.class);
        int n = 3000;
        for (int i = 0; i < n; i++) counts.merge(mixer.sample(rng, 2, 32, 32).kind(), 1, Integer::sum);
        String got = "seed=" + seed + " " + counts;
        assertBinomial(0.5, n, counts.getOrDefault(MaskMixer.Kind.CFD, 0), got);
        assertBinomial(0.3, n, counts.getOrDefault(MaskMixer.Kind.STROKES, 0), got);
        assertBinomial(0.2, n, counts.getOrDefault(MaskMixer.Kind.UNION, 0), got);
    }

    /**
     * A count of n draws with probability p lies within 6 standard deviations of n p except about
     * once in 5e8 runs (the former fixed 6% of n was 3.8 standard deviations for p = 0.5 at n = 1000:
     * a fresh draw failed about once in 5,000 runs). At n = 3000 the bound is 4.4-5.5% of n, so a
     * ratio off by 0.06 is still caught.
     */
    private static void assertBinomial(double p, int n, int count, String got) {
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(p * n, count, 6 * sd, got);
    }

    @Test
    void strokesHoldStillOverTheClipAndStayInTheSector() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        MaskMixer strokesOnly = new MaskMixer(new MaskMixer.Config(0, 1, true),
                new CfdMaskGenerator(CfdMaskConfig.defaults()), new FreeFormStrokes());
        for (int i = 0; i < 30; i++) {
            MaskMixer.Sample s = strokesOnly.sample(rng, 4, 64, 64);
            assertEquals(MaskMixer.Kind.STROKES, s.kind());
            float[] sector = s.sector().mask();
            for (int t = 1; t < 4; t++) assertArrayEquals(s.masks()[0], s.masks()[t], "seed=" + seed);
            int outside = 0;
            for (int p = 0; p < sector.length; p++) if (s.masks()[0][p] > sector[p]) outside++;
            assertEquals(0, outside, "seed=" + seed);
            assertTrue(MaskTestUtil.count(s.masks()[0]) > 0, "seed=" + seed + " empty stroke mask");
        }
    }

    @Test
    void theUnionContainsItsStrokesInEveryFrameAndMoves() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        MaskMixer unionOnly = new MaskMixer(new MaskMixer.Config(0, 0, false),
                new CfdMaskGenerator(CfdMaskConfig.defaults()), new FreeFormStrokes());
        for (int i = 0; i < 10; i++) {
            MaskMixer.Sample s = unionOnly.sample(rng, 6, 64, 64);
            assertEquals(MaskMixer.Kind.UNION, s.kind());
            float[] common = s.masks()[0].clone();
            for (float[] m : s.masks()) for (int p = 0; p < m.length; p++) common[p] = Math.min(common[p], m[p]);
            assertTrue(MaskTestUtil.count(common) > 0, "seed=" + seed);
        }
    }

    @Test
    void theSameRngStateGivesTheSameSample() {
        long seed = MaskTestUtil.freshSeed();
        MaskMixer mixer = MaskMixer.defaults();
        Rng a = new Rng(seed), b = new Rng(seed);
        for (int i = 0; i < 10; i++) {
            MaskMixer.Sample x = mixer.sample(a, 3, 48, 40), y = mixer.sample(b, 3, 48, 40);
            assertEquals(x.kind(), y.kind());
            for (int t = 0; t < 3; t++) assertArrayEquals(x.masks()[t], y.masks()[t], "seed=" + seed);
        }
    }
}
