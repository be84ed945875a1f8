package sonogate.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.Frame;
import sonogate.io.mask.ColourMask;
import sonogate.nn.ModelConfig;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;

/** Inference with the temporal option: each frame sees its previous and next frame, streaming keeps a lookahead of one. */
class TemporalInferenceTest {
    static final int S = 64, HW = S * S;
    @TempDir static Path dir;
    static Translator translator;
    static SonogateModel model;

    @BeforeAll
    static void build() {
        long seed = System.nanoTime();
        System.out.println("TemporalInferenceTest model seed " + seed);
        translator = Translator.forInference(ModelConfig.named("tiny-temporal"), Device.CPU, seed);
        model = SonogateModel.of(translator);
    }

    @AfterAll
    static void free() {
        translator.close();
    }

    /** n frames of model size with their colour masks (grey 0 under the colour, as the pipeline gives them). */
    static List<ColourMask.Result> masked(int n, int offset) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) frames.add(StreamingMemoryTest.rgbFrame(offset + i, S, S));
        List<ColourMask.Result> out = new ArrayList<>();
        new ColourMask().stream(frames.iterator()).forEachRemaining(out::add);
        return out;
    }

    static float[][] unit(ColourMask.Result r) {
        float[] g = new float[HW], m = new float[HW];
        for (int p = 0; p < HW; p++) {
            g[p] = SonogateModel.toUnit(r.grey()[p]);
            m[p] = r.mask()[p];
        }
        return new float[][] {g, m};
    }

    /** The generator on frame i with frames before and after as neighbours, composited: the definition written out. */
    static float[] naive(float[][] frame, float[][] before, float[][] after) {
        try (Scope s = Scope.open(); var ng = Tape.noGrad()) {
            Tensor[] t = new Tensor[6];
            float[][] planes = {zeroHole(frame), frame[1], zeroHole(before), before[1], zeroHole(after), after[1]};
            for (int k = 0; k < 6; k++) t[k] = Tensor.of(planes[k], 1, 1, S, S);
            float[] out = translator.generator().forward(t[0], t[1], new Neighbours(t[2], t[3], t[4], t[5])).composite().toFloatArray();
            for (int p = 0; p < HW; p++) out[p] = frame[1][p] >= 0.5f ? Math.clamp(out[p], -1f, 1f) : frame[0][p];
            return out;
        }
    }

    private static float[] zeroHole(float[][] gm) {
        float[] x = gm[0].clone();
        for (int p = 0; p < HW; p++) if (gm[1][p] > 0.5f) x[p] = 0f;
        return x;
    }

    @Test
    void sequenceFeedsEachFramesNeighboursAndRepeatsTheEnds() {
        List<ColourMask.Result> rs = masked(5, 3);
        List<float[]> g = new ArrayList<>(), m = new ArrayList<>();
        for (ColourMask.Result r : rs) {
            float[][] u = unit(r);
            g.add(u[0]);
            m.add(u[1]);
        }
        List<float[]> out = model.translateSequence(g, m, S, S, 2);
        for (int i = 0; i < 5; i++) {
            int before = Math.max(0, i - 1), after = Math.min(4, i + 1);
            float[] expected = naive(new float[][] {g.get(i), m.get(i)}, new float[][] {g.get(before), m.get(before)}, new float[][] {g.get(after), m.get(after)});
            assertArrayEquals(expected, out.get(i), 1e-5f, "frame " + i);
        }
        float[] single = model.translate(g.get(2), m.get(2), S, S);
        float[][] f2 = {g.get(2), m.get(2)};
        assertArrayEquals(naive(f2, f2, f2), single, 1e-5f, "a single image is its own neighbour");
    }

    /** Changing frame 3 changes frames 2, 3 and 4 only: nothing further away is seen. */
    @Test
    void aFrameSeesOnlyItsTwoNeighbours() {
        List<ColourMask.Result> rs = masked(7, 20);
        List<float[]> g = new ArrayList<>(), m = new ArrayList<>();
        for (ColourMask.Result r : rs) {
            float[][] u = unit(r);
            g.add(u[0]);
            m.add(u[1]);
        }
        List<float[]> a = model.translateSequence(g, m, S, S, 1);
        List<float[]> g2 = new ArrayList<>(g);
        float[] changed = g.get(3).clone();
        for (int p = 0; p < HW; p++) changed[p] = -changed[p];
        g2.set(3, changed);
        List<float[]> b = model.translateSequence(g2, m, S, S, 1);
        for (int i = 0; i < 7; i++) {
            boolean same = Arrays.equals(a.get(i), b.get(i));
            assertEquals(Math.abs(i - 3) > 1, same, "frame " + i + (same ? " did not change" : " changed"));
        }
    }

    /** Streaming at any batch size gives what the whole sequence gives (neighbours carried across batches). */
    @Test
    void streamingEqualsTheSequenceAtEveryBatchSize() {
        int n = 7;
        List<ColourMask.Result> rs = masked(n, 40);
        List<float[]> g = new ArrayList<>(), m = new ArrayList<>();
        for (ColourMask.Result r : rs) {
            float[][] u = unit(r);
            g.add(u[0]);
            m.add(u[1]);
        }
        List<float[]> expected = model.translateSequence(g, m, S, S, 1);
        List<Frame> rgb = new ArrayList<>();
        for (int i = 0; i < n; i++) rgb.add(StreamingMemoryTest.rgbFrame(40 + i, S, S));
        for (int batch : new int[] {1, 2, 3, 7, 8}) {
            List<Frame> out = new ArrayList<>();
            assertEquals(n, model.translateFrames(rgb.iterator(), new ColourMask(), out::add, batch));
            for (int i = 0; i < n; i++) {
                byte[] o = out.get(i).samples();
                for (int p = 0; p < HW; p++) {
                    int want = SonogateModel.toByte(expected.get(i)[p]) & 0xff, got = o[p] & 0xff;
                    assertTrue(Math.abs(want - got) <= 1, "batch " + batch + " frame " + i + " pixel " + p + ": " + got + " vs " + want);
                }
            }
        }
    }

    /** The temporal model reads at most one frame further ahead than a frame-by-frame model does. */
    @Test
    void streamingLookaheadIsOneFrameMore() {
        try (Translator plain = Translator.forInference(ModelConfig.TINY, Device.CPU, 1)) {
            for (int batch : new int[] {1, 3}) {
                int plainAhead = lookahead(SonogateModel.of(plain), batch), temporalAhead = lookahead(model, batch);
                assertTrue(temporalAhead <= plainAhead + 1, "batch " + batch + ": temporal reads " + temporalAhead + " frames ahead, frame by frame " + plainAhead);
            }
        }
    }

    /** The most frames the model had read beyond the ones it had handed out, over a 12-frame clip. */
    private static int lookahead(SonogateModel model, int batch) {
        int[] read = {0}, worst = {0}, written = {0};
        Iterator<Frame> frames = new Iterator<>() {
            public boolean hasNext() { return read[0] < 12; }
            public Frame next() { return StreamingMemoryTest.rgbFrame(read[0]++, S, S); }
        };
        model.translateFrames(frames, new ColourMask(), f -> {
            worst[0] = Math.max(worst[0], read[0] - written[0]);
            written[0]++;
        }, batch);
        return worst[0];
    }

    @Test
    void aTemporalCheckpointLoadsAsTemporal() {
        Path p = dir.resolve("tiny-temporal.h5");
        Checkpoint.saveWeights(p, translator, 0, Map.of());
        try (SonogateModel loaded = SonogateModel.load(p)) {
            assertTrue(loaded.config().temporal());
            float[][] in = SonogateModelTest.input(S, S, 5);
            assertArrayEquals(model.translate(in[0], in[1], S, S), loaded.translate(in[0], in[1], S, S), 0f);
        }
        assertFalse(ModelConfig.TINY.temporal());
    }
}
