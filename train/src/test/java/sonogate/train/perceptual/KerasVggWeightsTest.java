package sonogate.train.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.VggFeatures;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Hdf5Arrays;

/**
 * Keras-format VGG16 files with random weights, written at test time by
 * {@code scripts/reference/make_keras_vgg_files.py} (h5py; the full-size file is 59 MB, so it is
 * not committed), loaded by {@link KerasVggWeights}; our features must equal PyTorch's float64
 * computation of the same network on the same input (relative error <= 1e-4 per feature map,
 * max |ours - ref| / max |ref|). Bad files must give one-line errors naming the file.
 */
class KerasVggWeightsTest {
    static final double TOL = 1e-4;
    static final String[] FEATURES = {"relu1_2", "relu2_2", "relu3_3", "relu4_3"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "Keras VGG16 check skipped: /usr/bin/python3 not found");
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, h5py").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "Keras VGG16 check skipped: /usr/bin/python3 lacks torch or h5py (scripts/setup-reference installs them)");
        Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/reference/make_keras_vgg_files.py");
        long seed = System.nanoTime() % 100_000;
        System.out.println("KerasVggWeightsTest: reference files drawn with --seed " + seed);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--dir", dir.toString(), "--seed", Long.toString(seed))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "make_keras_vgg_files.py timed out");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void fullSizeVgg16MatchesPyTorch() throws Exception {
        try (VggFeatures net = KerasVggWeights.loadVgg16(dir.resolve("vgg16_keras2.h5"))) {
            assertEquals(VggFeatures.Layout.VGG16, net.layout());
            compare(net, "vgg16_keras2");
        }
    }

    @Test
    void wholeModelLayoutAndOldKerasNamesMatchPyTorch() throws Exception {
        VggFeatures.Layout narrow = VggFeatures.Layout.VGG16.narrower(8);
        try (VggFeatures model = KerasVggWeights.load(dir.resolve("narrow_model.h5"), narrow, DType.F32);
             VggFeatures keras1 = KerasVggWeights.load(dir.resolve("narrow_keras1.h5"), narrow, DType.F32)) {
            compare(model, "narrow_model");
            compare(keras1, "narrow_keras1");
        }
    }

    private static void compare(VggFeatures net, String stem) throws Exception {
        try (HdfFile ref = new HdfFile(dir.resolve("reference.h5")); Scope s = Scope.open(); var ng = Tape.noGrad()) {
            Hdf5Arrays.FloatArray input = Hdf5Arrays.read(ref, "input");
            List<Tensor> ours = net.forward(Tensor.of(input.data(), input.shape()));
            assertEquals(FEATURES.length, ours.size());
            for (int i = 0; i < FEATURES.length; i++) {
                Hdf5Arrays.FloatArray expected = Hdf5Arrays.read(ref, stem + "/" + FEATURES[i]);
                assertTrue(java.util.Arrays.equals(expected.shape(), ours.get(i).shape()), stem + " " + FEATURES[i] + " shape");
                float[] mine = ours.get(i).toFloatArray();
                double diff = 0, scale = 0;
                for (int k = 0; k < mine.length; k++) {
                    diff = Math.max(diff, Math.abs((double) mine[k] - expected.data()[k]));
                    scale = Math.max(scale, Math.abs((double) expected.data()[k]));
                }
                double rel = diff / scale;
                System.out.printf(Locale.ROOT, "Keras VGG16 %s %s: relative error %.2e (max %.3g)%n", stem, FEATURES[i], rel, scale);
                assertTrue(scale > 0, stem + " " + FEATURES[i] + " is all zero: the check would be empty");
                assertTrue(rel <= TOL, stem + " " + FEATURES[i] + ": relative error " + rel);
            }
        }
    }

    @Test
    void filesThatAreNotKerasVgg16AreRefusedInOneLine() throws Exception {
        expectError(dir.resolve("bad_missing_layer.h5"), VggFeatures.Layout.VGG16.narrower(8), "no layer block3_conv2 (not a Keras VGG16 weights file?)");
        expectError(dir.resolve("bad_channels_first.h5"), VggFeatures.Layout.VGG16.narrower(8), "is channels-first (Theano ordering)");
        expectError(dir.resolve("narrow_model.h5"), VggFeatures.Layout.VGG16, "layer block1_conv1 kernel /model_weights/block1_conv1/block1_conv1/kernel:0 has shape [3, 3, 3, 8], VGG16 needs [3, 3, 3, 64]");
        Path text = dir.resolve("weights.txt");
        Files.writeString(text, "not hdf5\n");
        expectError(text, VggFeatures.Layout.VGG16, "not an HDF5 file");
        expectError(dir.resolve("absent.h5"), VggFeatures.Layout.VGG16, "no such file");
        Path truncated = dir.resolve("truncated.h5");
        byte[] whole = Files.readAllBytes(dir.resolve("narrow_keras1.h5"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 3));
        expectError(truncated, VggFeatures.Layout.VGG16.narrower(8), "");
    }

    private static void expectError(Path file, VggFeatures.Layout layout, String expected) {
        FeatureWeightsException e = assertThrows(FeatureWeightsException.class, () -> KerasVggWeights.load(file, layout, DType.F32).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
