package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.nn.VggFeatures;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.perceptual.PerceptualSetting;

/** {@link GanStep} with a perceptual term (the term's own numbers: PerceptualLossTest, PyTorchParityTest). */
class GanStepPerceptualTest {

    /** The term is added with its weight; gradients reach the generator; the feature network never changes. */
    @Test
    void ganStepAddsTheWeightedTermAndLeavesTheNetworkFrozen() {
        double w = 0.7;
        try (Scope scope = Scope.open();
             Translator model = new Translator(ModelConfig.TINY, Device.CPU, 21);
             Translator twin = new Translator(ModelConfig.TINY, Device.CPU, 21);
             GanStep plain = GanStep.withSpecDefaults(twin);
             GanStep step = new GanStep(model, GanStep.LossWeights.DEFAULT,
                     Adam.withSpecDefaults(model.generatorParameters(), model.generatorGradients()),
                     Adam.withSpecDefaults(model.discriminatorParameters(), model.discriminatorGradients()),
                     PerceptualSetting.DEFAULT.create(), w)) {
            Tensor frames = GanStepTest.frames(2, 64, 3), masks = GanStepTest.masks(2, 64, 4);
            float[] before = weightsOf(step.perceptual().network(), frames);
            float[][] generatorGrads = new float[2][];
            GanStep.Losses a = step.step(frames, masks, probe(model, generatorGrads, 0));
            GanStep.Losses b = plain.step(frames, masks, probe(twin, generatorGrads, 1));
            assertTrue(a.perceptual() > 0 && a.allFinite(), a.toString());
            assertEquals(0, b.perceptual(), 0.0);
            assertEquals(a.l1Coarse() + a.l1Refined() + 0.1 * a.gAdv() + w * a.perceptual(), a.gLoss(), 1e-6);
            assertEquals(b.dLoss(), a.dLoss(), 1e-6, "the D step does not see the perceptual term");
            assertEquals(b.l1Refined(), a.l1Refined(), 1e-6, "same model, same batch");
            double diff = 0, norm = 0;
            for (int i = 0; i < generatorGrads[0].length; i++) {
                diff += Math.abs(generatorGrads[0][i] - generatorGrads[1][i]);
                norm += Math.abs(generatorGrads[1][i]);
            }
            assertTrue(diff > 1e-3 * norm, "the perceptual term changes the generator's gradients: " + diff + " vs " + norm);
            assertArrayEquals(before, weightsOf(step.perceptual().network(), frames), "the feature network is frozen");
        }
    }

    private static GanStep.Probe probe(Translator m, float[][] into, int slot) {
        return new GanStep.Probe() {
            @Override public void generatorBackward(Tensor gScores) {
                into[slot] = m.generatorGradients().toFloatArray();
            }
        };
    }

    /** The network's output on fixed frames: a fingerprint of its weights. */
    private static float[] weightsOf(VggFeatures net, Tensor frames) {
        try (Scope s = Scope.open(); var ng = Tape.noGrad()) {
            return net.forward(frames).get(3).toFloatArray();
        }
    }

}
