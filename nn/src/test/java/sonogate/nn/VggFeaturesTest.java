package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.tensor.check.GradCheck.Input.normal;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.check.GradCheck;
import sonogate.tensor.ops.Ops;

class VggFeaturesTest {

    /** All block outputs flattened into one tensor, for the gradient check. */
    private static Tensor flat(List<Tensor> features) {
        Tensor[] parts = new Tensor[features.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = Ops.reshape(features.get(i), features.get(i).dim(0), -1);
        return Ops.concat(1, parts);
    }

    @Test
    void inputGradientsInDoubleForBothInputScalings() {
        // a fresh draw, and the CI draw that put a ReLU/max-pool kink within the finite-difference step
        for (long seed : new long[] {System.nanoTime(), 33934569318167L}) {
            for (VggFeatures.Layout layout : new VggFeatures.Layout[] {VggFeatures.Layout.FEATURES.narrower(8), VggFeatures.Layout.VGG16.narrower(32)}) {
                // the network is rebuilt from the same seed in each dtype GradCheck runs (float64 reference, float32 kernels)
                GradCheck.check("VGG features " + layout.name(), x -> {
                    VggFeatures net = VggFeatures.random(layout, x[0].dtype(), seed);
                    return flat(net.forward(x[0]));
                }, seed, normal(2, 1, 9, 8));
            }
        }
    }

    @Test
    void blockOutputsHaveVggShapesAndTheWeightsGetNoGradient() {
        try (VggFeatures net = VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, 7); Scope s = Scope.open()) {
            Tensor x = Tensor.randn(new SplittableRandom(1), DType.F32, 2, 1, 64, 48).requiresGrad(true);
            List<Tensor> f = net.forward(x);
            assertEquals(4, f.size());
            assertArrayEquals(new int[] {2, 16, 64, 48}, f.get(0).shape());
            assertArrayEquals(new int[] {2, 32, 32, 24}, f.get(1).shape());
            assertArrayEquals(new int[] {2, 64, 16, 12}, f.get(2).shape());
            assertArrayEquals(new int[] {2, 128, 8, 6}, f.get(3).shape());
            for (float v : f.get(3).toFloatArray()) assertTrue(v >= 0, "ReLU output");
            Tape.backward(Ops.mean(f.get(3)));
            assertTrue(x.grad() != null, "the input gets a gradient");
            assertEquals(10, net.layout().convs().size(), "10 convolutions up to conv4_3");
        }
    }

    @Test
    void sizesMatchAnIndependentCount() {
        // VGG16 to conv4_3: 7,635,264 parameters (ImageNet VGG16 minus block5 and the classifier)
        assertEquals(7_635_264, VggFeatures.Layout.VGG16.parameterCount());
        // per 64x64 frame, multiply-adds x 2: sum over layers of H_l W_l Cout Cin 9 x 2
        double vgg = 2.0 * 9 * (64 * 64 * (3 * 64 + 64 * 64) + 32 * 32 * (64 * 128 + 128 * 128) + 16 * 16 * (128 * 256 + 2 * 256 * 256)
                + 8 * 8 * (256 * 512 + 2 * 512 * 512));
        assertEquals(vgg, VggFeatures.Layout.VGG16.flops(64, 64), 1e-6 * vgg);
        double features = 2.0 * 9 * (64 * 64 * (16 + 16 * 16) + 32 * 32 * (16 * 32 + 32 * 32) + 16 * 16 * (32 * 64 + 2 * 64 * 64)
                + 8 * 8 * (64 * 128 + 2 * 128 * 128));
        assertEquals(features, VggFeatures.Layout.FEATURES.flops(64, 64), 1e-6 * features);
    }

    @Test
    void randomWeightsAreFixedBySeed() {
        try (VggFeatures a = VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, 3);
             VggFeatures b = VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, 3);
             VggFeatures c = VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, 4);
             Scope s = Scope.open(); var ng = Tape.noGrad()) {
            Tensor x = Tensor.randn(new SplittableRandom(2), DType.F32, 1, 1, 16, 16);
            float[] fa = a.forward(x).get(3).toFloatArray(), fb = b.forward(x).get(3).toFloatArray(), fc = c.forward(x).get(3).toFloatArray();
            assertArrayEquals(fa, fb);
            assertFalse(java.util.Arrays.equals(fa, fc));
        }
    }

    @Test
    void badInputIsRefusedWithAMessage() {
        try (VggFeatures net = VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, 1); Scope s = Scope.open()) {
            var rgb = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 3, 16, 16)));
            assertTrue(rgb.getMessage().contains("expected grey frames [N, 1, H, W]"), rgb.getMessage());
            var small = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 1, 4, 16)));
            assertTrue(small.getMessage().contains("smaller than 8x8"), small.getMessage());
        }
        var wrong = assertThrows(IllegalArgumentException.class, () -> new VggFeatures(VggFeatures.Layout.FEATURES, DType.F32,
                c -> new VggFeatures.ConvWeights(new double[3], new double[c.outChannels()])));
        assertTrue(wrong.getMessage().contains("block1_conv1"), wrong.getMessage());
        assertNotEquals(VggFeatures.Layout.VGG16.name(), VggFeatures.Layout.FEATURES.name());
    }
}
