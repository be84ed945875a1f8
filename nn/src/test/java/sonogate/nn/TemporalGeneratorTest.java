package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.tensor.check.GradCheck.Input.constant;
import static sonogate.tensor.check.GradCheck.Input.normal;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.check.GradCheck;
import sonogate.tensor.ops.Ops;

/** The temporal option (MODEL.md "Video"): 9 input channels at both stages, laid out as the Generator javadoc says. */
class TemporalGeneratorTest {
    private static final String[] FIRST_CONVS = {"coarse.1.conv.weight", "refine.dilated.1.conv.weight", "refine.attention.1.conv.weight"};

    /** Only the three first convolutions (k5, n = c) change: 6 more input channels each. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-noattn", "small"})
    void onlyTheFirstConvolutionsGrowBySixInputChannels(String base) {
        ModelConfig plain = ModelConfig.named(base), temporal = ModelConfig.named(base + "-temporal");
        assertTrue(temporal.temporal() && temporal.inputChannels() == 9);
        try (Translator p = Translator.forInference(plain, Device.CPU, 1); Translator t = Translator.forInference(temporal, Device.CPU, 1)) {
            int c = plain.width(), firstConvs = plain.attention() ? 3 : 2;
            assertEquals(firstConvs * (long) c * 6 * 5 * 5, t.generatorParameterCount() - p.generatorParameterCount());
            assertEquals((long) c * 6 * 5 * 5, t.parameters().count("coarse.") - p.parameters().count("coarse."));
            var pp = p.parameters().parameters();
            var tp = t.parameters().parameters();
            assertEquals(pp.keySet(), tp.keySet());
            for (String name : pp.keySet()) {
                int[] expected = pp.get(name).shape();
                if (java.util.Arrays.asList(FIRST_CONVS).contains(name)) expected[1] = 9;
                assertArrayEquals(expected, tp.get(name).shape(), name);
            }
        }
    }

    /** The generator equals the composition written out with loops over plain arrays, channel by channel. */
    @Test
    void equalsANaiveCompositionOfTheNineChannelInputs() {
        int n = 2, s = 64, hw = s * s;
        long seed = System.nanoTime();
        try (Translator t = Translator.forInference(ModelConfig.named("tiny-temporal"), Device.CPU, seed);
             Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            SplittableRandom rng = new SplittableRandom(seed + 1);
            float[][] in = {uniform(rng, n * hw), randomMask(rng, n * hw), uniform(rng, n * hw), randomMask(rng, n * hw),
                    uniform(rng, n * hw), randomMask(rng, n * hw)};   // x, m, previous, its mask, next, its mask
            Tensor[] ts = new Tensor[6];
            for (int i = 0; i < 6; i++) ts[i] = Tensor.of(in[i], n, 1, s, s);
            Generator.Output out = t.generator().forward(ts[0], ts[1], new Neighbours(ts[2], ts[3], ts[4], ts[5]));

            float[] x = in[0], m = in[1];
            float[] known = new float[n * hw];
            for (int i = 0; i < known.length; i++) known[i] = x[i] * (1 - m[i]);
            float[] coarseIn = naiveInput(known, m, in, n, hw);
            float[] x1 = t.generator().coarse().forward(Tensor.of(coarseIn, n, 9, s, s)).toFloatArray();
            float[] x1c = new float[n * hw];
            for (int i = 0; i < x1c.length; i++) x1c[i] = m[i] > 0.5f ? x1[i] : x[i];
            float[] refineIn = naiveInput(x1c, m, in, n, hw);
            float[] x2 = t.generator().refinement().forward(Tensor.of(refineIn, n, 9, s, s), ts[1]).toFloatArray();
            float[] composite = out.composite().toFloatArray();
            assertArrayEquals(x1, out.coarse().toFloatArray(), 1e-6f, "seed " + seed);
            assertArrayEquals(x2, out.refined().toFloatArray(), 1e-6f, "seed " + seed);
            for (int i = 0; i < composite.length; i++) assertEquals(m[i] > 0.5f ? x2[i] : x[i], composite[i], 1e-6f, "composite at " + i + " (seed " + seed + ")");
        }
    }

    /** [x_in, 1, m, p * (1 - mp), 1, mp, q * (1 - mq), 1, mq]. */
    private static float[] naiveInput(float[] xIn, float[] m, float[][] in, int n, int hw) {
        float[] out = new float[n * 9 * hw];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < hw; i++) {
                int at = b * hw + i, base = b * 9 * hw + i;
                out[base] = xIn[at];
                out[base + hw] = 1;
                out[base + 2 * hw] = m[at];
                for (int k = 0; k < 2; k++) {
                    float[] frame = in[2 + 2 * k], mask = in[3 + 2 * k];
                    out[base + (3 + 3 * k) * hw] = frame[at] * (1 - mask[at]);
                    out[base + (4 + 3 * k) * hw] = 1;
                    out[base + (5 + 3 * k) * hw] = mask[at];
                }
            }
        }
        return out;
    }

    /**
     * Channels 0-2 mean what they mean without the option: with the weights of the neighbour channels
     * zeroed, the temporal generator equals the plain one carrying the same remaining weights.
     */
    @Test
    void withNeighbourWeightsZeroedItEqualsThePlainGenerator() {
        int n = 2, s = 64, hw = s * s;
        long seed = System.nanoTime();
        try (Translator plain = Translator.forInference(ModelConfig.TINY, Device.CPU, seed);
             Translator temporal = Translator.forInference(ModelConfig.named("tiny-temporal"), Device.CPU, seed + 1);
             Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            for (ParameterStore.Entry e : plain.parameters().parameters().values()) {
                ParameterStore.Entry te = temporal.parameters().parameters().get(e.name());
                float[] w = e.tensor().toFloatArray();
                if (java.util.Arrays.asList(FIRST_CONVS).contains(e.name())) {
                    int[] shape = te.shape();   // [n, 9, 5, 5]: channels 0-2 from the plain model, 3-8 zero
                    float[] wide = new float[(int) te.numel()];
                    int k2 = shape[2] * shape[3];
                    for (int o = 0; o < shape[0]; o++) System.arraycopy(w, o * 3 * k2, wide, o * 9 * k2, 3 * k2);
                    w = wide;
                }
                try (Tensor v = Tensor.of(w, te.shape())) {
                    te.tensor().backend().copy(v, te.tensor(), false);
                }
            }
            SplittableRandom rng = new SplittableRandom(seed + 2);
            Tensor x = Tensor.of(uniform(rng, n * hw), n, 1, s, s), m = Tensor.of(randomMask(rng, n * hw), n, 1, s, s);
            Neighbours nb = new Neighbours(Tensor.of(uniform(rng, n * hw), n, 1, s, s), Tensor.of(randomMask(rng, n * hw), n, 1, s, s),
                    Tensor.of(uniform(rng, n * hw), n, 1, s, s), Tensor.of(randomMask(rng, n * hw), n, 1, s, s));
            float[] expected = plain.generator().forward(x, m).composite().toFloatArray();
            assertArrayEquals(expected, temporal.generator().forward(x, m, nb).composite().toFloatArray(), 1e-5f, "seed " + seed);
        }
    }

    @Test
    void neighbourChannelGradientsInDouble() {
        GradCheck.check("temporal neighbour channels", x -> new Neighbours(x[0], x[1], x[2], x[3]).channels(), System.nanoTime(),
                normal(2, 1, 5, 6), constant(mask(2 * 30, 1), 2, 1, 5, 6), normal(2, 1, 5, 6), constant(mask(2 * 30, 2), 2, 1, 5, 6));
    }

    /**
     * Through the whole model the loss reaches the neighbours' known pixels and none of their hole
     * pixels (those are masked out of the input, as the frame's own hole is).
     */
    @Test
    void gradientsReachTheNeighboursKnownPixelsOnly() {
        int n = 1, s = 64, hw = s * s;
        long seed = System.nanoTime();
        try (Translator t = new Translator(ModelConfig.named("tiny-temporal"), Device.CPU, seed); Scope scope = Scope.open()) {
            SplittableRandom rng = new SplittableRandom(seed + 1);
            Tensor x = Tensor.of(uniform(rng, hw), n, 1, s, s), m = Tensor.of(randomMask(rng, hw), n, 1, s, s);
            Tensor p = Tensor.of(uniform(rng, hw), n, 1, s, s).requiresGrad(true), q = Tensor.of(uniform(rng, hw), n, 1, s, s).requiresGrad(true);
            Tensor mp = Tensor.of(randomMask(rng, hw), n, 1, s, s), mq = Tensor.of(randomMask(rng, hw), n, 1, s, s);
            Generator.Output out = t.generator().forward(x, m, new Neighbours(p, mp, q, mq));
            Tape.backward(Ops.add(Ops.l1Loss(out.coarse(), x), Ops.l1Loss(out.refined(), x)));
            for (Tensor[] pair : new Tensor[][] {{p, mp}, {q, mq}}) {
                float[] g = pair[0].grad().toFloatArray(), mask = pair[1].toFloatArray();
                int reached = 0;
                for (int i = 0; i < hw; i++) {
                    if (mask[i] > 0.5f) assertEquals(0f, g[i], "gradient inside a neighbour's hole at " + i + " (seed " + seed + ")");
                    else if (g[i] != 0f) reached++;
                }
                assertTrue(reached > hw / 4, "the loss reaches only " + reached + " known neighbour pixels (seed " + seed + ")");
            }
        }
    }

    @Test
    void neighboursAreRequiredExactlyForATemporalConfig() {
        int s = 64;
        try (Translator temporal = Translator.forInference(ModelConfig.named("tiny-temporal"), Device.CPU, 1);
             Translator plain = Translator.forInference(ModelConfig.TINY, Device.CPU, 1);
             Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            Tensor x = Tensor.zeros(DType.F32, 1, 1, s, s), m = Tensor.zeros(DType.F32, 1, 1, s, s);
            Neighbours nb = new Neighbours(x, m, x, m);
            var e1 = assertThrows(IllegalArgumentException.class, () -> temporal.generator().forward(x, m));
            assertTrue(e1.getMessage().contains("is temporal"), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> plain.generator().forward(x, m, nb));
            assertTrue(e2.getMessage().contains("not temporal"), e2.getMessage());
            Tensor small = Tensor.zeros(DType.F32, 1, 1, 8, 8);
            var e3 = assertThrows(IllegalArgumentException.class, () -> temporal.generator().forward(x, m, new Neighbours(x, m, small, m)));
            assertTrue(e3.getMessage().contains("next frames"), e3.getMessage());
        }
    }

    private static float[] uniform(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextDouble(-1, 1);
        return v;
    }

    /** Random blobs: about a third of the pixels, in runs, so every frame has both known and hole pixels. */
    private static float[] randomMask(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i += 8) {
            float on = rng.nextDouble() < 0.33 ? 1f : 0f;
            for (int k = i; k < Math.min(n, i + 8); k++) v[k] = on;
        }
        return v;
    }

    /** A deterministic 0/1 pattern (GradCheck's constants are given values). */
    private static double[] mask(int n, int phase) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i + phase) % 3 == 0 ? 1 : 0;
        return v;
    }
}
