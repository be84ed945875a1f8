package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.kernels.Parallel;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Inference run in concurrent parts gives the same bits as the op-by-op forward: split by sample
 * (batch 3), and the refinement's branches at once (each sample alone, batch 1), against the
 * recording forward, which is never split.
 */
class ConcurrentInferenceTest {

    @Test
    void splitForwardEqualsWholeBatchAndSingleSamplesBitForBit() {
        check(ModelConfig.TINY);
    }

    /** The temporal option's neighbours are split with their samples. */
    @Test
    void temporalSplitForwardEqualsWholeBatchAndSingleSamplesBitForBit() {
        check(ModelConfig.named("tiny-temporal"));
    }

    private static void check(ModelConfig cfg) {
        int n = 3, s = 64;   // odd: the parts differ in size
        String previous = ConcurrentInference.mode("all");   // not "auto": the test must not depend on the machine's load
        try (Translator t = new Translator(cfg, Device.CPU, 11); Scope scope = Scope.open()) {
            long seed = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(seed);
            Tensor x = Tensor.uniform(rnd, DType.F32, -1, 1, n, 1, s, s);
            Tensor m = Tensor.of(DType.F32, ModelBlocksTest.bandMask(n, s), n, 1, s, s);
            // neighbours unlike the frames (other pixels, the masks in reverse sample order), so a part given another part's neighbours differs
            Neighbours nb = !cfg.temporal() ? null : new Neighbours(Tensor.uniform(rnd, DType.F32, -1, 1, n, 1, s, s),
                    Tensor.of(DType.F32, reversed(ModelBlocksTest.bandMask(n, s), n), n, 1, s, s),
                    Tensor.uniform(rnd, DType.F32, -1, 1, n, 1, s, s), Tensor.of(DType.F32, reversed(ModelBlocksTest.bandMask(n, s), n), n, 1, s, s));
            Generator.Output split;
            try (var ng = Tape.noGrad()) {
                assertEquals(Parallel.threads() >= 2, SampleSplit.suits(x, cfg), "inference of " + cfg.name() + " at batch 3 splits");
                split = t.generator().forward(x, m, nb);
            }
            Generator.Output whole = t.generator().forward(x, m, nb);   // recording: never split
            assertArrayEquals(whole.coarse().toFloatArray(), split.coarse().toFloatArray(), "coarse (seed " + seed + ")");
            assertArrayEquals(whole.refined().toFloatArray(), split.refined().toFloatArray(), "refined (seed " + seed + ")");
            assertArrayEquals(whole.composite().toFloatArray(), split.composite().toFloatArray(), "composite (seed " + seed + ")");
            float[] xs = x.toFloatArray(), ms = m.toFloatArray(), refined = split.refined().toFloatArray();
            for (int i = 0; i < n; i++) {
                try (var ng = Tape.noGrad()) {
                    Tensor xi = Tensor.of(Arrays.copyOfRange(xs, i * s * s, (i + 1) * s * s), 1, 1, s, s);
                    Tensor mi = Tensor.of(Arrays.copyOfRange(ms, i * s * s, (i + 1) * s * s), 1, 1, s, s);
                    assertEquals(Parallel.threads() >= 2, ConcurrentInference.branchesEnabled() && ConcurrentInference.suits(xi, cfg),
                            "branches at once");
                    Neighbours nbi = nb == null ? null : new Neighbours(sample(nb.previousFrame(), i), sample(nb.previousMask(), i),
                            sample(nb.nextFrame(), i), sample(nb.nextMask(), i));
                    float[] alone = t.generator().forward(xi, mi, nbi).refined().toFloatArray();
                    assertArrayEquals(alone, Arrays.copyOfRange(refined, i * s * s, (i + 1) * s * s), "sample " + i + " (seed " + seed + ")");
                }
            }
        } finally {
            ConcurrentInference.mode(previous);
        }
    }

    private static Tensor sample(Tensor t, int i) {
        int plane = t.dim(2) * t.dim(3);
        return Tensor.of(Arrays.copyOfRange(t.toFloatArray(), i * plane, (i + 1) * plane), 1, 1, t.dim(2), t.dim(3));
    }

    private static double[] reversed(double[] planes, int n) {
        int plane = planes.length / n;
        double[] out = new double[planes.length];
        for (int i = 0; i < n; i++) System.arraycopy(planes, i * plane, out, (n - 1 - i) * plane, plane);
        return out;
    }
}
