package sonogate.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.mask.ColourMask;
import sonogate.io.Frame;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.Checkpoint;
import sonogate.train.CheckpointException;

class SonogateModelTest {
    @TempDir static Path dir;
    static Path ckpt;
    static SonogateModel model;

    /** A tiny untrained checkpoint (weights-only export). */
    static Path tinyCheckpoint(Path dir) {
        Path p = dir.resolve("tiny.h5");
        try (Translator t = new Translator(ModelConfig.TINY, Device.CPU, 42)) {
            Checkpoint.saveWeights(p, t, 0, Map.of());
        }
        return p;
    }

    @BeforeAll
    static void load() {
        ckpt = tinyCheckpoint(dir);
        model = SonogateModel.load(ckpt);
    }

    @AfterAll
    static void free() {
        model.close();
    }

    /** Grey in [-1, 1] and a mask with a disc of colour. */
    static float[][] input(int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] g = new float[h * w], m = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g[y * w + x] = (float) rng.nextDouble(-1, 1);
                int dx = x - w / 2, dy = y - h / 3;
                m[y * w + x] = dx * dx + dy * dy < (h * w) / 20 ? 1f : 0f;
            }
        }
        return new float[][] {g, m};
    }

    @Test
    void configComesFromTheFile() {
        assertEquals(ModelConfig.TINY.frameSize(), model.config().frameSize());
        assertEquals(ModelConfig.TINY.width(), model.config().width());
        assertTrue(model.checkpointInfo().summary().contains("weights only"), model.checkpointInfo().summary());
    }

    @Test
    void roundTripKeepsKnownPixelsExactlyAndIsDeterministic() {
        // the model's own size, a smaller odd size (upscaled) and a larger non-square one (downscaled, letterboxed)
        for (int[] hw : new int[][] {{64, 64}, {37, 50}, {90, 130}}) {
            int h = hw[0], w = hw[1];
            float[][] in = input(h, w, h * 1000L + w);
            float[] out = model.translate(in[0], in[1], h, w);
            assertEquals(h * w, out.length);
            int holes = 0, changed = 0;
            for (int p = 0; p < out.length; p++) {
                assertTrue(out[p] >= -1f && out[p] <= 1f, "value " + out[p]);
                if (in[1][p] == 0f) {
                    assertEquals(Float.floatToRawIntBits(in[0][p]), Float.floatToRawIntBits(out[p]), "known pixel " + p + " of " + h + "x" + w);
                } else {
                    holes++;
                    if (out[p] != in[0][p]) changed++;
                }
            }
            assertTrue(holes > 0 && changed > holes / 2, h + "x" + w + ": holes " + holes + ", changed " + changed);
            float[] again = model.translate(in[0], in[1], h, w);
            assertArrayEquals(out, again, 0f, "same input twice, same bits (" + h + "x" + w + ")");
        }
    }

    @Test
    void batchedEqualsOneByOne() {
        List<float[]> g = new ArrayList<>(), m = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[][] in = input(64, 64, i);
            g.add(in[0]);
            m.add(in[1]);
        }
        List<float[]> batch = model.translateBatch(g, m, 64, 64);
        for (int i = 0; i < 3; i++) {
            float[] single = model.translate(g.get(i), m.get(i), 64, 64);
            float maxDiff = 0;
            for (int p = 0; p < single.length; p++) maxDiff = Math.max(maxDiff, Math.abs(single[p] - batch.get(i)[p]));
            assertTrue(maxDiff < 1e-5f, "frame " + i + " batched vs single: " + maxDiff);
        }
    }

    @Test
    void streamingKeepsNonColourPixelsAndFrameSizes() {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) frames.add(StreamingMemoryTest.rgbFrame(i, i < 3 ? 64 : 40, i < 3 ? 64 : 72));
        List<Frame> out = new ArrayList<>();
        ColourMask cm = new ColourMask();
        assertEquals(5, model.translateFrames(frames.iterator(), cm, out::add, 2));
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) {
            Frame in = frames.get(i), o = out.get(i);
            assertEquals(in.width(), o.width());
            assertEquals(in.height(), o.height());
            assertEquals(1, o.channels());
            ColourMask.Result r = cm.apply(in);
            assertTrue(r.coverage() > 0.01);
            for (int p = 0; p < r.mask().length; p++) if (r.mask()[p] == 0) assertEquals(r.grey()[p], o.samples()[p]);
        }
    }

    @Test
    void badArgumentsAndFilesAreOneLineErrors() {
        assertThrows(IllegalArgumentException.class, () -> model.translate(new float[10], new float[10], 4, 4));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SonogateModel.load(dir.resolve("missing.h5")));
        assertTrue(e.getMessage().contains("missing.h5") && !e.getMessage().contains("\n"), e.getMessage());
    }

    /**
     * The prefill option at any frame size: with its output weights zeroed the model's correction
     * is zero, so the hole gets exactly the diffusion fill of the frame at its own size (not the
     * model's 64 x 64 one scaled up), and a saved prefill model loads as one.
     */
    @Test
    void aPrefillModelWithoutCorrectionFillsWithTheFullSizeDiffusionFill() {
        int h = 90, w = 150;
        long seed = System.nanoTime();
        System.out.println("prefill full-size fill, seed " + seed);
        float[][] in = input(h, w, seed);
        Path p = dir.resolve("tiny-prefill.h5");
        try (Translator t = new Translator(ModelConfig.named("tiny-prefill"), Device.CPU, 3)) {
            for (String name : new String[] {"coarse.17.conv.weight", "refine.out.conv.weight"}) {
                sonogate.tensor.Tensor weight = t.parameters().parameters().get(name).tensor();
                try (sonogate.tensor.Tensor zeros = sonogate.tensor.Tensor.zeros(weight.dtype(), weight.shape())) {
                    weight.backend().copy(zeros, weight, false);
                }
            }
            Checkpoint.saveWeights(p, t, 0, Map.of());
        }
        try (SonogateModel prefill = SonogateModel.load(p)) {
            assertTrue(prefill.config().prefill());
            float[] out = prefill.translate(in[0], in[1], h, w);
            byte[] hole = new byte[h * w];
            for (int i = 0; i < hole.length; i++) hole[i] = (byte) (in[1][i] >= 0.5f ? 1 : 0);
            float[] want = sonogate.nn.HarmonicFill.fill(in[0], hole, w, h);
            for (int i = 0; i < out.length; i++) assertEquals(want[i], out[i], 1e-4, "pixel " + i);
        }
    }
}
