package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.kernels.GateActivation;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * The generator's initialisation keeps a deep stack of gated convolutions trainable: a small
 * change of the input reaches the output of 12 freshly initialised layers with its mean square
 * kept within a factor 0.7 to 1.3 per layer (PyTorch's default initialisation: about 0.13 per
 * layer, i.e. 1e-11 after 12 layers, which is what stopped the generator from learning), and the
 * untrained generator's output depends on its input.
 */
class GatedConvInitTest {

    static final int LAYERS = 12, CHANNELS = 16, SIZE = 24;

    @Test
    void inputChangesReachTheOutputOfADeepStack() {
        long seed = System.nanoTime();
        try (ParameterStore store = new ParameterStore(); Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            List<GatedConv> stack = new ArrayList<>();
            for (int i = 0; i < LAYERS; i++) {
                stack.add(new GatedConv(store, "stack." + i, CHANNELS, 2 * CHANNELS, 3, 1, 1, false, GateActivation.ELU));
            }
            store.allocate(Device.CPU, seed);
            SplittableRandom rng = new SplittableRandom(seed + 1);
            Tensor x = Tensor.randn(rng, DType.F32, 2, CHANNELS, SIZE, SIZE);
            Tensor delta = Ops.mulScalar(Tensor.randn(rng, DType.F32, 2, CHANNELS, SIZE, SIZE), 1e-2);
            Tensor a = x, b = Ops.add(x, delta);
            for (GatedConv g : stack) {
                a = g.forward(a);
                b = g.forward(b);
            }
            double perLayer = Math.pow(meanSquare(Ops.sub(b, a)) / meanSquare(delta), 1.0 / LAYERS);
            System.out.printf("gated-conv stack (seed %d): mean-square gain of an input change per layer %.3f%n", seed, perLayer);
            assertTrue(perLayer > 0.7 && perLayer < 1.3, "per-layer mean-square gain " + perLayer + " (seed " + seed + ") is not near 1");
        }
    }

    @Test
    void untrainedGeneratorOutputFollowsItsInput() {
        long seed = System.nanoTime();
        ModelConfig cfg = ModelConfig.TINY;
        int s = cfg.frameSize();
        try (Translator model = new Translator(cfg, Device.CPU, seed); Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            SplittableRandom rng = new SplittableRandom(seed + 1);
            Tensor frames = Ops.tanh(Tensor.randn(rng, DType.F32, 2, 1, s, s));
            Tensor noHole = Tensor.zeros(2, 1, s, s);
            Tensor other = Ops.tanh(Tensor.randn(rng, DType.F32, 2, 1, s, s));
            Generator.Output a = model.generator().forward(frames, noHole), b = model.generator().forward(other, noHole);
            double change = meanSquare(Ops.sub(a.coarse(), b.coarse())) / meanSquare(Ops.sub(frames, other));
            System.out.printf("untrained tiny generator (seed %d): mean-square change of the coarse output / of the input %.3g%n", seed, change);
            // measured 1.2e-4 to 1.3e-3 with this initialisation (here and in the PyTorch reference), 3e-18 to 3e-17 with PyTorch's default
            assertTrue(change > 1e-6, "the untrained coarse output hardly depends on the input: " + change + " (seed " + seed + ")");
        }
    }

    private static double meanSquare(Tensor t) {
        double s = 0;
        float[] v = t.toFloatArray();
        for (float x : v) s += (double) x * x;
        return s / v.length;
    }
}
