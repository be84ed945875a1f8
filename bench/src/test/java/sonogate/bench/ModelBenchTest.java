package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;
import sonogate.train.GanStep;

class ModelBenchTest {

    @Test
    void parsesOptions() throws Exception {
        ModelBench.Options o = ModelBench.parse(new String[] {"--json", "out/m.json", "--quick", "--configs", "small, tiny", "--threads", "3",
                "--torch-default-denormals", "--torch-omp-wait", "passive", "--perceptual", "none"});
        assertEquals(Path.of("out/m.json"), o.json());
        assertTrue(o.quick());
        assertEquals(List.of("small", "tiny"), o.configs());
        assertEquals(3, o.threads());
        assertFalse(o.flushDenormal());
        assertEquals("passive", o.ompWait());
        assertFalse(o.perceptual());
        ModelBench.Options d = ModelBench.parse(new String[0]);
        assertEquals("auto", d.ompWait());
        assertEquals(List.of("tiny", "tiny-temporal", "small", "small-temporal", "base"), d.configs(),
                "every size and the temporal option on tiny and small by default");
        assertEquals(2, d.threads());
        assertTrue(d.flushDenormal());
        assertTrue(d.perceptual(), "the training step includes the perceptual term by default, as sonogate train does");
        assertFalse(d.quick() || d.help());
        assertTrue(ModelBench.parse(new String[] {"--help"}).help());
        assertEquals(List.of("tiny-temporal", "small-temporal", "base-temporal", "tiny"),
                ModelBench.parse(new String[] {"--configs", "tiny-temporal,Small-Temporal, base-temporal,tiny,tiny-temporal"}).configs());
    }

    @Test
    void rejectsBadOptions() {
        for (String[] bad : List.of(new String[] {"--configs", "huge"}, new String[] {"--configs"}, new String[] {"--threads", "0"},
                new String[] {"--configs", "temporal"}, new String[] {"--configs", "tiny,huge-temporal"}, new String[] {"--configs", "tiny-temporal-prefill"},
                new String[] {"--configs", "tiny-noattn"},
                new String[] {"--json", "--quick"}, new String[] {"--fast"},
                new String[] {"--torch-omp-wait", "spin"}, new String[] {"--perceptual", "vgg16"}, new String[] {"--perceptual"})) {
            assertThrows(UsageException.class, () -> ModelBench.parse(bad), String.join(" ", bad));
        }
    }

    @Test
    void ompWaitIsPassiveOnABusyMachineInAuto() {
        assertTrue(ModelBench.passiveOmpWait("auto", 9.5, 2));
        assertFalse(ModelBench.passiveOmpWait("auto", 0.7, 2));
        assertTrue(ModelBench.passiveOmpWait("passive", 0, 2));
        assertFalse(ModelBench.passiveOmpWait("default", 30, 2));
    }

    @Test
    void casesPerConfig() {
        assertEquals(List.of("model.tiny.infer.b1", "model.tiny.infer.b8", "model.tiny.train.b4"),
                ModelBench.cases("tiny", false).stream().map(ModelBench.Case::name).toList());
        assertEquals(List.of("model.base.infer.b1", "model.base.infer.b8"), ModelBench.cases("base", false).stream().map(ModelBench.Case::name).toList());
        assertEquals(List.of("model.base.infer.b1"), ModelBench.cases("base", true).stream().map(ModelBench.Case::name).toList());
        // a temporal config has the cases of its size
        assertEquals(List.of("model.small-temporal.infer.b1", "model.small-temporal.infer.b8", "model.small-temporal.train.b4"),
                ModelBench.cases("small-temporal", true).stream().map(ModelBench.Case::name).toList());
        assertEquals(List.of("model.base-temporal.infer.b1", "model.base-temporal.infer.b8"),
                ModelBench.cases("base-temporal", false).stream().map(ModelBench.Case::name).toList());
        assertEquals(List.of("model.base-temporal.infer.b1"), ModelBench.cases("base-temporal", true).stream().map(ModelBench.Case::name).toList());
    }

    @Test
    void shiftMovesEachPlaneAndRepeatsItsEdges() {
        // two 3x3 planes: 0..8 and 10..18
        float[] planes = new float[18];
        for (int i = 0; i < 18; i++) planes[i] = i < 9 ? i : i + 1;
        assertEquals(List.of(0f, 0f, 1f, 0f, 0f, 1f, 3f, 3f, 4f, 10f, 10f, 11f, 10f, 10f, 11f, 13f, 13f, 14f),
                List.of(box(ModelBench.shifted(planes, 2, 3, 1))));
        assertEquals(List.of(4f, 5f, 5f, 7f, 8f, 8f, 7f, 8f, 8f, 14f, 15f, 15f, 17f, 18f, 18f, 17f, 18f, 18f),
                List.of(box(ModelBench.shifted(planes, 2, 3, -1))));
    }

    /** The temporal configs' neighbours: previous, current and next frames all differ, and so do their masks. */
    @Test
    void neighboursDifferFromTheFrameAndFromEachOther() {
        int n = 2, s = 64;
        float[][] in = ModelBench.inputs(n, s, 11);
        float[][] nb = ModelBench.neighbourInputs(in[0], in[1], n, s);
        assertEquals(4, nb.length);
        for (float[] p : nb) assertEquals(n * s * s, p.length);
        float[][] frames = {nb[0], in[0], nb[2]}, masks = {nb[1], in[1], nb[3]};
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                assertFalse(java.util.Arrays.equals(frames[i], frames[j]), "frames " + i + " and " + j + " are equal");
                assertFalse(java.util.Arrays.equals(masks[i], masks[j]), "masks " + i + " and " + j + " are equal");
            }
        }
        // the masks stay binary, each with a hole of (about) the frame's size
        for (float[] m : masks) {
            double holes = 0;
            for (float v : m) {
                assertTrue(v == 0f || v == 1f);
                holes += v;
            }
            assertTrue(holes > 0.05 * n * s * s && holes < 0.5 * n * s * s, "hole pixels " + holes);
        }
    }

    @Test
    void jsonRowsHaveTheKernelBenchFields() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ours_peak_rss_bytes", 1000L);
        extra.put("peer_peak_rss_bytes", 2000L);
        BenchRow infer = ModelBench.row(new ModelBench.Case("tiny", "infer", 8), 0.5, 1.0, extra);
        BenchRow train = ModelBench.row(new ModelBench.Case("small", "train", 4), 2.0, 1.0, Map.of());
        assertEquals(16.0, infer.ours(), 1e-12);
        assertEquals(8.0, infer.peer(), 1e-12);
        assertEquals(2.0, infer.ratio(), 1e-12);
        assertEquals("frames/s", infer.unit());
        assertEquals("steps/s", train.unit());
        assertEquals(0.5, train.ratio(), 1e-12);
        String json = JsonRows.toJson(List.of(infer, train));
        assertTrue(json.contains("{\"name\": \"model.tiny.infer.b8\", \"ours\": 16, \"peer\": 8, \"peer_name\": \"pytorch-cpu\", "
                + "\"unit\": \"frames/s\", \"ratio\": 2, \"ours_peak_rss_bytes\": 1000, \"peer_peak_rss_bytes\": 2000}"), json);
        assertTrue(json.contains("\"name\": \"model.small.train.b4\""), json);
    }

    @Test
    void rawFilesRoundTrip(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.bin");
        ModelBench.writeRaw(f, new float[] {1f, -2.5f}, new float[] {3e-8f});
        assertEquals(12, Files.size(f));
        assertEquals(List.of(1f, -2.5f, 3e-8f), List.of(box(ModelBench.readRaw(f))));
    }

    /** Random weights of the default feature network's size, in the worker's layout (per convolution: weight, bias). */
    private static float[] featureWeights() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom();
        int total = 0;
        for (var c : sonogate.nn.VggFeatures.Layout.FEATURES.convs()) total += c.outChannels() * c.inChannels() * 9 + c.outChannels();
        float[] w = new float[total];
        for (int i = 0; i < total; i++) w[i] = (float) (0.1 * (rng.nextDouble() - 0.5));
        return w;
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }

    /** The worker protocol on tiny, one repetition each: load, input, forward (checked against ours), case infer/train, trainstep, memory, errors. */
    @Test
    void peerProtocolRoundTripOnTiny(@TempDir Path dir) throws Exception {
        Path script = scriptOrSkip("round trip");
        int n = 1, s = 64;
        try (ModelBench.Peer peer = ModelBench.Peer.start(script, 2, false, false);
             Translator model = new Translator(ModelConfig.TINY, Device.CPU, ModelBench.SEED)) {
            Path weights = dir.resolve("w.h5");
            Checkpoint.saveWeights(weights, model, 0, Map.of());
            assertEquals("tiny", peer.call("load " + weights, "ok"));
            float[][] in = ModelBench.inputs(n, s, 5);
            Path input = dir.resolve("in.bin");
            ModelBench.writeRaw(input, in[0], in[1]);
            peer.call("input " + input + " " + n, "ok");
            Path out = dir.resolve("out.bin");
            peer.call("forward " + out, "ok");
            try (Tensor frames = Tensor.of(in[0], n, 1, s, s); Tensor masks = Tensor.of(in[1], n, 1, s, s)) {
                float[] mine;
                try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                    mine = model.generator().forward(frames, masks).refined().toFloatArray();
                }
                double err = ModelBench.relativeError(mine, ModelBench.readRaw(out));
                assertTrue(err <= 1e-4, "refined output relative error " + err);
                ModelBench.Case infer = new ModelBench.Case("tiny", "infer", 1);
                ModelBench.Timing t = peer.time(infer, 2);
                assertEquals(2, t.seconds().length);
                assertEquals(2, t.cpuSeconds().length);
                assertTrue(t.seconds()[0] > 0 && t.cpuSeconds()[1] > 0);
                // losses only (a cold Java GAN step takes long; PyTorchParityTest compares the step itself)
                String[] w = peer.call("trainstep", "losses").split(" ");
                assertTrue(Double.isFinite(Double.parseDouble(w[0])) && Double.isFinite(Double.parseDouble(w[1])), String.join(" ", w));
                assertTrue(peer.time(new ModelBench.Case("tiny", "train", 1), 1).seconds()[0] > 0);
                // the perceptual term: a weights file of the wrong size is refused, the right size is taken
                Path bad = dir.resolve("bad.bin");
                ModelBench.writeRaw(bad, new float[10]);
                IOException pe = assertThrows(IOException.class, () -> peer.call("perceptual " + bad + " 10", "ok"));
                assertTrue(pe.getMessage().contains("the feature network has"), pe.getMessage());
                Path features = dir.resolve("features.bin");
                ModelBench.writeRaw(features, featureWeights());
                peer.call("perceptual " + features + " 10", "ok");
                String[] wp = peer.call("trainstep", "losses").split(" ");
                assertTrue(Double.isFinite(Double.parseDouble(wp[1])), String.join(" ", wp));
                peer.call("perceptual none", "ok");
                peer.call("peakreset", "ok");
                assertTrue(peer.peakBytes() > 1 << 20);
                IOException e = assertThrows(IOException.class, () -> peer.time(new ModelBench.Case("small", "infer", 1), 1));
                assertTrue(e.getMessage().contains("loaded config is tiny"), e.getMessage());
            }
        }
    }

    /**
     * The temporal option end to end on tiny-temporal (batch 2): the worker builds the 9-channel model
     * from the checkpoint's temporal attribute, takes the six input planes (and refuses the two of a
     * plain config), and its refined output and first GAN step's losses match ours with the same
     * neighbours; previous and next are distinct, so a swap or a dropped neighbour on either side fails.
     */
    @Test
    void peerRunsTheTemporalOptionOnTinyTemporal(@TempDir Path dir) throws Exception {
        Path script = scriptOrSkip("temporal round trip");
        int n = 2, s = 64;
        ModelConfig cfg = ModelConfig.named("tiny-temporal");
        assertTrue(cfg.temporal());
        try (ModelBench.Peer peer = ModelBench.Peer.start(script, 2, false, false);
             Translator model = new Translator(cfg, Device.CPU, ModelBench.SEED);
             GanStep step = GanStep.withSpecDefaults(model)) {
            Path weights = dir.resolve("w.h5");
            Checkpoint.saveWeights(weights, model, 0, Map.of());
            assertEquals("tiny-temporal", peer.call("load " + weights, "ok"));
            float[][] in = ModelBench.inputs(n, s, 17);
            float[][] around = ModelBench.neighbourInputs(in[0], in[1], n, s);
            Path plain = dir.resolve("plain.bin");
            ModelBench.writeRaw(plain, in[0], in[1]);
            IOException e = assertThrows(IOException.class, () -> peer.call("input " + plain + " " + n, "ok"));
            assertTrue(e.getMessage().contains("expected 6 x 2 x 64 x 64") && e.getMessage().contains("temporal"), e.getMessage());
            Path input = dir.resolve("in.bin");
            ModelBench.writeRaw(input, in[0], in[1], around[0], around[1], around[2], around[3]);
            peer.call("input " + input + " " + n, "ok");
            Path out = dir.resolve("out.bin");
            peer.call("forward " + out, "ok");
            Tensor frames = Tensor.of(in[0], n, 1, s, s), masks = Tensor.of(in[1], n, 1, s, s);
            Neighbours nb = Neighbours.of(around, n, s, t -> t);
            try {
                float[] mine, swappedOut;
                try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                    mine = model.generator().forward(frames, masks, nb).refined().toFloatArray();
                    // the same frames with the neighbours swapped: what a mix-up on one side would give
                    Neighbours swapped = new Neighbours(nb.nextFrame(), nb.nextMask(), nb.previousFrame(), nb.previousMask());
                    swappedOut = model.generator().forward(frames, masks, swapped).refined().toFloatArray();
                }
                float[] theirs = ModelBench.readRaw(out);
                double err = ModelBench.relativeError(mine, theirs);
                assertTrue(err <= 1e-4, "refined output relative error " + err);
                assertTrue(ModelBench.relativeError(swappedOut, theirs) > 1e-3, "swapping previous and next must change the output");
                assertTrue(peer.time(new ModelBench.Case("tiny-temporal", "infer", n), 1).seconds()[0] > 0);
                // the first training step from the same weights: same losses (both without the perceptual term)
                peer.call("perceptual none", "ok");
                GanStep.Losses l = step.step(frames, masks, nb, GanStep.Probe.NONE);
                String[] w = peer.call("trainstep", "losses").split(" ");
                double d = Double.parseDouble(w[0]), g = Double.parseDouble(w[1]);
                assertEquals(d, l.dLoss(), 1e-4 * Math.abs(d), "D loss");
                assertEquals(g, l.gLoss(), 1e-4 * Math.abs(g), "G loss");
                assertTrue(peer.time(new ModelBench.Case("tiny-temporal", "train", n), 1).seconds()[0] > 0);
            } finally {
                frames.close();
                masks.close();
                nb.close();
            }
        }
    }

    /** The peer script, or the test is skipped (visibly) when /usr/bin/python3 lacks torch or h5py. */
    private static Path scriptOrSkip(String what) {
        Path script = ModelBench.findScript();
        String missing = ModelBench.Peer.unavailable(script);
        if (missing != null) System.out.println("ModelBenchTest: SKIPPED the PyTorch worker " + what + ": " + missing);
        assumeTrue(missing == null, () -> "skipped: " + missing);
        return script;
    }
}
