package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/** The prefill option: the hole enters filled by diffusion and both stages learn a correction of it. */
class GeneratorPrefillTest {
    private static final int N = 2, S = 64;

    /** The diffusion fill of each frame, from {@link HarmonicFill} directly. */
    private static double[] diffusion(double[] x, double[] m) {
        double[] out = new double[x.length];
        for (int b = 0; b < N; b++) {
            float[] img = new float[S * S];
            byte[] hole = new byte[S * S];
            for (int p = 0; p < S * S; p++) {
                img[p] = (float) x[b * S * S + p];
                hole[p] = (byte) (m[b * S * S + p] >= 0.5 ? 1 : 0);
            }
            float[] f = HarmonicFill.fill(img, hole, S, S, 1e-5);
            for (int p = 0; p < S * S; p++) out[b * S * S + p] = f[p];
        }
        return out;
    }

    /** Sets a parameter to values drawn by {@code values} (0 for zeros). */
    static void setParameter(Translator t, String name, java.util.function.DoubleSupplier values) {
        Tensor w = t.parameters().parameters().get(name).tensor();
        double[] v = new double[(int) w.numel()];
        for (int i = 0; i < v.length; i++) v[i] = values.getAsDouble();
        try (Tensor src = Tensor.of(DType.F32, v, w.shape())) {
            w.backend().copy(src, w, false);
        }
    }

    /** The two output convolutions' weights, the prefill option's corrections. */
    static final String[] OUTPUT_WEIGHTS = {"coarse.17.conv.weight", "refine.out.conv.weight"};

    @Test
    void withoutACorrectionTheModelReturnsExactlyTheDiffusionFill() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        // fixed weights: the bound on the untrained correction below depends on the draw (fresh frames)
        try (Translator t = new Translator(ModelConfig.named("tiny-prefill"), Device.CPU, 7); Scope s = Scope.open();
             var ng = Tape.noGrad()) {
            Tensor x = Tensor.uniform(rng, DType.F32, -1, 1, N, 1, S, S);
            Tensor m = Tensor.of(DType.F32, ModelBlocksTest.bandMask(N, S), N, 1, S, S);
            double[] want = diffusion(x.toDoubleArray(), m.toDoubleArray());
            double[] xs = x.toDoubleArray(), ms = m.toDoubleArray();

            // untrained: the correction starts small (a fraction of a grey level), not zero
            double[] untrained = t.generator().forward(x, m).composite().toDoubleArray();
            double largest = 0;
            for (int i = 0; i < want.length; i++) if (ms[i] != 0) largest = Math.max(largest, Math.abs(untrained[i] - want[i]));
            System.out.printf("untrained correction up to %.5f (seed %d)%n", largest, seed);
            assertTrue(largest > 0 && largest < 0.05, "untrained correction up to " + largest + " (seed " + seed + ")");

            for (String name : OUTPUT_WEIGHTS) setParameter(t, name, () -> 0);
            Generator.Output g = t.generator().forward(x, m);
            double[] out = g.composite().toDoubleArray(), coarse = g.coarse().toDoubleArray(), pre = g.prefill().toDoubleArray();
            int holes = 0;
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], pre[i], 1e-6, "prefill at " + i + " (seed " + seed + ")");
                assertEquals(want[i], coarse[i], 1e-6, "coarse stage at " + i + " (seed " + seed + ")");
                assertEquals(ms[i] == 0 ? xs[i] : want[i], out[i], 1e-6, "composite at " + i + " (seed " + seed + ")");
                if (ms[i] != 0) holes++;
            }
            assertTrue(holes > 0 && holes < want.length);
            // nothing of the hole's content reaches the fill (in training the hole holds the truth)
            double[] other = xs.clone();
            for (int i = 0; i < other.length; i++) if (ms[i] != 0) other[i] = rng.nextDouble(-1, 1);
            double[] again = t.generator().forward(Tensor.of(DType.F32, other, N, 1, S, S), m).composite().toDoubleArray();
            for (int i = 0; i < again.length; i++) assertEquals(out[i], again[i], 0.0, "composite at " + i + " (seed " + seed + ")");
        }
    }

    @Test
    void everyParameterLearnsAndTheFillIsCorrected() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        try (Translator t = new Translator(ModelConfig.named("tiny-prefill"), Device.CPU, rng.nextLong()); Scope s = Scope.open()) {
            for (String name : OUTPUT_WEIGHTS) setParameter(t, name, () -> rng.nextGaussian() * 0.05);
            Tensor x = Tensor.uniform(rng, DType.F32, -1, 1, N, 1, S, S);
            Tensor m = Tensor.of(DType.F32, ModelBlocksTest.bandMask(N, S), N, 1, S, S);
            Generator.Output g = t.generator().forward(x, m);
            double[] pre = g.prefill().toDoubleArray(), x1 = g.coarse().toDoubleArray(), x2 = g.refined().toDoubleArray();
            double[] ms = m.toDoubleArray();
            double change = 0;
            for (int i = 0; i < pre.length; i++) {
                if (ms[i] != 0) {
                    change += Math.abs(x2[i] - pre[i]);
                } else {
                    // the correction lives in the hole only: a pixel loss outside it would pin the correction to zero
                    assertEquals(pre[i], x1[i], 0.0, "coarse output outside the hole at " + i + " (seed " + seed + ")");
                    assertEquals(pre[i], x2[i], 0.0, "refined output outside the hole at " + i + " (seed " + seed + ")");
                }
            }
            assertNotEquals(0.0, change, "the refinement stage corrects the fill (seed " + seed + ")");
            Tensor loss = Ops.add(Ops.l1Loss(g.coarse(), x), Ops.l1Loss(g.refined(), x));
            Tape.backward(loss);
            for (ParameterStore.Entry e : t.parameters().parameters().values()) {
                if (e.name().startsWith("disc.")) continue;
                double norm = 0;
                for (double v : e.tensor().grad().toDoubleArray()) norm += v * v;
                assertTrue(norm > 0, "no gradient reached " + e.name() + " (seed " + seed + ")");
            }
        }
    }
}
