package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.gpu.Precision;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;
import sonogate.train.GanStep;

/**
 * {@code bench gpu}'s options, and its PyTorch worker ({@code bench_gpu_peer.py}) checked without a
 * GPU: the same script with {@code --device cpu} under Debian's PyTorch speaks the protocol and
 * computes what our CPU model computes (same weights and inputs), so on the GPU machine only the
 * device changes.
 */
class GpuPeerTest {
    static final String PYTHON = "/usr/bin/python3";

    @Test
    void parsesOptions() throws Exception {
        GpuBench.Options o = GpuBench.parse(new String[] {"--json", "g.json", "--quick", "--configs", "base", "--precisions", "tf32"});
        assertEquals(Path.of("g.json"), o.json());
        assertEquals(List.of("base"), o.configs());
        assertEquals(List.of(Precision.TF32), o.precisions());
        GpuBench.Options d = GpuBench.parse(new String[0]);
        assertEquals(List.of("small", "base"), d.configs());
        assertEquals(List.of(Precision.FP32, Precision.TF32), d.precisions());
        assertThrows(UsageException.class, () -> GpuBench.parse(new String[] {"--precisions", "fp16"}));
        assertThrows(UsageException.class, () -> GpuBench.parse(new String[] {"--configs", "huge"}));
        assertEquals(5, GpuBench.cases("small", false).size());
        assertEquals("model.small.train.b16", GpuBench.cases("small", false).get(4).name());
    }

    @Test
    void peerScriptMatchesOurCpuModel(@TempDir Path dir) throws Exception {
        assumeTrue(ModelBench.Peer.unavailable(ModelBench.findScript()) == null, "no PyTorch at " + PYTHON + " (scripts/setup-reference)");
        int n = 2, s = 64;
        float[][] in = ModelBench.inputs(n, s, 99);
        Path weights = dir.resolve("tiny.h5"), input = dir.resolve("in.bin"), refined = dir.resolve("refined.bin");
        ModelBench.writeRaw(input, in[0], in[1]);
        try (Translator model = new Translator(ModelConfig.TINY, Device.CPU, 5); GanStep step = GanStep.withSpecDefaults(model);
             GpuPeer peer = GpuPeer.start(GpuPeer.findScript(), "cpu", PYTHON);
             Tensor frames = Tensor.of(in[0], n, 1, s, s); Tensor masks = Tensor.of(in[1], n, 1, s, s)) {
            Checkpoint.saveWeights(weights, model, 0, Map.of());
            assertTrue(peer.call("version", "torch").contains("device cpu"));
            assertEquals("tiny", peer.call("load " + weights + " fp32", "ok"));
            peer.call("input " + input + " " + n, "ok");
            peer.call("forward " + refined, "ok");
            float[] ours;
            try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                ours = model.generator().forward(frames, masks).refined().toFloatArray();
            }
            double err = ModelBench.relativeError(ours, ModelBench.readRaw(refined));
            assertTrue(err <= 1e-4, "refined output: relative error " + err);
            GanStep.Losses l = step.step(frames, masks);
            String[] w = peer.call("trainstep", "losses").split(" ");
            assertEquals(l.dLoss(), Double.parseDouble(w[0]), 1e-4 * Math.abs(l.dLoss()), "d_loss");
            assertEquals(l.gLoss(), Double.parseDouble(w[1]), 1e-4 * Math.abs(l.gLoss()), "g_loss");
            double[] t = peer.time(new ModelBench.Case("tiny", "infer", n), 2);
            assertEquals(2, t.length);
            assertTrue(t[0] > 0 && t[1] > 0);
            peer.call("peakreset", "ok");
            assertArrayEquals(new long[] {0, 0}, peer.peakBytes(), "no device memory on the CPU");
            assertTrue(assertThrows(java.io.IOException.class, () -> peer.call("load " + weights + " fp16", "ok")).getMessage().contains("precision"));
            assertEquals("tiny", peer.call("load " + weights + " bf16", "ok"), "bf16 loads (autocast) on any device");
        }
    }
}
