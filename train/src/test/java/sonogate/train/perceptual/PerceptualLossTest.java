package sonogate.train.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.nn.VggFeatures;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

class PerceptualLossTest {

    /** The loss against a plain double implementation of its formula on the network's own features. */
    @Test
    void isTheMeanOverBlocksOfTheRelativeFeatureL1() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        try (PerceptualLoss loss = new PerceptualLoss(VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, rng.nextLong()));
             Scope s = Scope.open(); var ng = Tape.noGrad()) {
            Tensor truth = Tensor.uniform(rng, DType.F32, -1, 1, 2, 1, 32, 24), other = Tensor.uniform(rng, DType.F32, -1, 1, 2, 1, 32, 24);
            List<Tensor> ft = loss.network().forward(truth), fo = loss.network().forward(other);
            double expected = 0;
            for (int l = 0; l < ft.size(); l++) {
                float[] t = ft.get(l).toFloatArray(), o = fo.get(l).toFloatArray();
                double diff = 0, mag = 0;
                for (int i = 0; i < t.length; i++) {
                    diff += Math.abs((double) o[i] - t[i]);
                    mag += Math.abs(t[i]);
                }
                expected += (diff / t.length) / (mag / t.length + PerceptualLoss.EPS);
            }
            expected /= ft.size();
            assertEquals(expected, loss.loss(other, truth).item(), 1e-5 * expected, "seed " + seed);
            assertEquals(0, loss.loss(truth, truth).item(), 0.0, "identical frames: no loss");
        }
    }

    @Test
    void settingsParseAndRoundTrip() {
        assertEquals(PerceptualSetting.Kind.FEATURES, PerceptualSetting.DEFAULT.kind());
        assertTrue(PerceptualSetting.DEFAULT.enabled());
        assertEquals("features", PerceptualSetting.parse("features", 0.3).spec());
        assertEquals("none", PerceptualSetting.parse("none", 0.3).spec());
        PerceptualSetting vgg = PerceptualSetting.parse("vgg16:weights/vgg.h5", 0.2);
        assertEquals(PerceptualSetting.Kind.VGG16, vgg.kind());
        assertEquals("vgg16:" + Path.of("weights/vgg.h5").toAbsolutePath(), vgg.spec());
        assertEquals(vgg.vggFile().toAbsolutePath(), PerceptualSetting.parse(vgg.spec(), 0.2).vggFile());
        assertNull(PerceptualSetting.parse("none", 1).create());
        assertNull(PerceptualSetting.parse("features", 0).create(), "weight 0: no network is built");
        for (String bad : new String[] {"vgg", "vgg16:", "VGG16:x", "random", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> PerceptualSetting.parse(bad, 0.1));
            assertTrue(e.getMessage().contains("none, features or vgg16:PATH"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PerceptualSetting.parse("features", -1));
        assertThrows(IllegalArgumentException.class, () -> PerceptualSetting.parse("features", Double.NaN));
        var missing = assertThrows(FeatureWeightsException.class, () -> PerceptualSetting.parse("vgg16:/nonexistent/vgg.h5", 0.1).create());
        assertEquals("/nonexistent/vgg.h5: no such file", missing.getMessage());
    }
}
