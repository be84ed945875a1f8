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
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;

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
        assertEquals(List.of("tiny", "small", "base"), d.configs());
        assertEquals(2, d.threads());
        assertTrue(d.flushDenormal());
        assertTrue(d.perceptual(), "the training step includes the perceptual term by default, as sonogate train does");
        assertFalse(d.quick() || d.help());
        assertTrue(ModelBench.parse(new String[] {"--help"}).help());
    }

    @Test
    void rejectsBadOptions() {
        for (String[] bad : List.of(new String[] {"--configs", "huge"}, new String[] {"--configs"}, new String[] {"--threads", "0"},
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
        Path script = ModelBench.findScript();
        String missing = ModelBench.Peer.unavailable(script);
        if (missing != null) System.out.println("ModelBenchTest: SKIPPED the PyTorch worker round trip: " + missing);
        assumeTrue(missing == null, () -> "skipped: " + missing);
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
}
