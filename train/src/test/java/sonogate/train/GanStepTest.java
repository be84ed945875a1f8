package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tensor;

/** What {@link GanStep} claims, run twice in Java (the PyTorch parity test covers one step's numbers). */
class GanStepTest {

    @Test
    void twoStepsMoveEveryNetworkAndIterateSpectralNormOncePerStep() {
        try (Scope scope = Scope.open();
             Translator model = new Translator(ModelConfig.TINY, Device.CPU, 11);
             GanStep step = GanStep.withSpecDefaults(model)) {
            Tensor frames = frames(2, 64, 3), masks = masks(2, 64, 4);
            for (int s = 1; s <= 2; s++) {
                double[][] expectedBuffers = onePowerIteration(model.parameters());
                float[] g0 = model.generatorParameters().toFloatArray(), d0 = model.discriminatorParameters().toFloatArray();

                GanStep.Losses losses = step.step(frames, masks);

                assertTrue(losses.allFinite(), "step " + s + ": " + losses);
                assertEquals(losses.l1Coarse() + losses.l1Refined() + 0.1 * losses.gAdv(), losses.gLoss(), 1e-6, "g_loss = L1 + L1 + 0.1 g_adv");
                assertTrue(losses.dLoss() >= 0, "hinge loss is non-negative: " + losses.dLoss());
                assertMoved("generator, step " + s, g0, model.generatorParameters().toFloatArray());
                assertMoved("discriminator, step " + s, d0, model.discriminatorParameters().toFloatArray());
                int i = 0;
                for (ParameterStore.Entry e : model.parameters().buffers().values()) {
                    float[] actual = e.tensor().toFloatArray();
                    for (int j = 0; j < actual.length; j++) {
                        assertEquals(expectedBuffers[i][j], actual[j], 1e-5, "step " + s + ": " + e.name() + "[" + j + "] is not one power iteration on");
                    }
                    i++;
                }
                assertEquals(s, step.generatorOptimizer().stepCount());
                assertEquals(s, step.discriminatorOptimizer().stepCount());
            }
        }
    }

    /**
     * A step leaves gradients in the slabs (D's from its own backward, G's from the G backward); the
     * next step must start from zero. A model that carried step 1's gradient slab on must compute the same
     * gradients in step 2 as a fresh copy of its state (whose gradients start at zero). Compared with
     * a tolerance, not bitwise: the CPU kernels' vector exp/expm1 differ by an ulp between JIT tiers.
     */
    @Test
    void leftoverGradientsDoNotLeakIntoTheNextStep() {
        try (Scope scope = Scope.open();
             Translator a = new Translator(ModelConfig.TINY, Device.CPU, 5);
             Translator b = new Translator(ModelConfig.TINY, Device.CPU, 6);
             GanStep stepA = GanStep.withSpecDefaults(a);
             GanStep stepB = GanStep.withSpecDefaults(b)) {
            Tensor frames = frames(2, 64, 8), masks = masks(2, 64, 9);
            stepA.step(frames, masks);
            double leftover = 0;
            for (float g : a.discriminatorGradients().toFloatArray()) leftover = Math.max(leftover, Math.abs(g));
            assertTrue(leftover > 0, "the step leaves gradients in D's slab (the case this test is about)");

            copy(a.parameters().slab(), b.parameters().slab());
            copy(a.parameters().bufferSlab(), b.parameters().bufferSlab());
            copyAdam(stepA.generatorOptimizer(), stepB.generatorOptimizer());
            copyAdam(stepA.discriminatorOptimizer(), stepB.discriminatorOptimizer());

            float[][] gradsA = new float[2][], gradsB = new float[2][];
            GanStep.Losses la = stepA.step(frames, masks, recorder(a, gradsA));
            GanStep.Losses lb = stepB.step(frames, masks, recorder(b, gradsB));
            assertEquals(lb.dLoss(), la.dLoss(), 1e-6);
            assertEquals(lb.gLoss(), la.gLoss(), 1e-6);
            double d = PyTorchParityTest.relativeError(gradsA[0], gradsB[0]), g = PyTorchParityTest.relativeError(gradsA[1], gradsB[1]);
            assertTrue(d <= 1e-4, "discriminator gradients of step 2 depend on step 1's leftovers: relative error " + d);
            assertTrue(g <= 1e-4, "generator gradients of step 2 depend on step 1's leftovers: relative error " + g);
        }
    }

    /** Records D's gradients after the D backward and G's after the G backward. */
    private static GanStep.Probe recorder(Translator model, float[][] into) {
        return new GanStep.Probe() {
            @Override public void discriminatorBackward() { into[0] = model.discriminatorGradients().toFloatArray(); }
            @Override public void generatorBackward(Tensor gScores) { into[1] = model.generatorGradients().toFloatArray(); }
        };
    }

    private static void copy(Tensor from, Tensor to) {
        to.backend().copy(from, to, false);
    }

    private static void copyAdam(Adam from, Adam to) {
        copy(from.firstMoment(), to.firstMoment());
        copy(from.secondMoment(), to.secondMoment());
        to.setStepCount(from.stepCount());
    }

    private static void assertMoved(String what, float[] before, float[] after) {
        int moved = 0;
        double largest = 0;
        for (int i = 0; i < before.length; i++) {
            double d = Math.abs(after[i] - before[i]);
            if (d > 0) moved++;
            largest = Math.max(largest, d);
        }
        assertTrue(moved > before.length / 2, what + ": only " + moved + " of " + before.length + " parameters moved");
        assertTrue(largest > 0.5e-4 && largest < 3e-4, what + ": Adam's first steps move a parameter by about lr = 1e-4, not " + largest);
    }

    /** Each spectral-norm layer's (u, v) after one power iteration from the current state, in double: v = n(W^T u), u = n(W v). */
    private static double[][] onePowerIteration(ParameterStore store) {
        var buffers = store.buffers().values().toArray(new ParameterStore.Entry[0]);
        double[][] out = new double[buffers.length][];
        for (int i = 0; i < buffers.length; i += 2) {
            String layer = buffers[i].name().replace("weight_u", "");
            assertEquals(layer + "weight_v", buffers[i + 1].name());
            double[] w = store.parameters().get(layer + "weight").tensor().toDoubleArray();
            double[] u = buffers[i].tensor().toDoubleArray();
            int rows = u.length, cols = w.length / rows;
            double[] v = new double[cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[c] += w[r * cols + c] * u[r];
            normalise(v);
            double[] u2 = new double[rows];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) u2[r] += w[r * cols + c] * v[c];
            normalise(u2);
            out[i] = u2;
            out[i + 1] = v;
        }
        return out;
    }

    private static void normalise(double[] x) {
        double n = 0;
        for (double d : x) n += d * d;
        n = Math.max(Math.sqrt(n), 1e-12);
        for (int i = 0; i < x.length; i++) x[i] /= n;
    }

    /** Smooth grey structures plus speckle-like noise in [-1, 1]. */
    static Tensor frames(int n, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[n * size * size];
        for (int b = 0; b < n; b++) {
            double fx = 2 + 3 * rng.nextDouble(), fy = 2 + 3 * rng.nextDouble(), phase = 6 * rng.nextDouble();
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    double smooth = 0.4 * Math.sin(fx * x / size * Math.PI + phase) * Math.cos(fy * y / size * Math.PI);
                    double speckle = -Math.log(1 - rng.nextDouble());
                    d[(b * size + y) * size + x] = Math.max(-1, Math.min(1, (0.3 + smooth) * (0.6 + 0.4 * speckle) - 0.2));
                }
        }
        return Tensor.of(sonogate.tensor.DType.F32, d, n, 1, size, size);
    }

    /** One elliptic hole per frame (about 10% of the pixels). */
    static Tensor masks(int n, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[n * size * size];
        for (int b = 0; b < n; b++) {
            double cx = size * (0.3 + 0.4 * rng.nextDouble()), cy = size * (0.3 + 0.4 * rng.nextDouble());
            double rx = size * 0.15, ry = size * 0.2;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    double e = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
                    d[(b * size + y) * size + x] = e < 1 ? 1 : 0;
                }
        }
        return Tensor.of(sonogate.tensor.DType.F32, d, n, 1, size, size);
    }
}
