package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;

class CheckpointTest {
    /** Fresh draws (model weights, training data): every assertion holds for any of them; the seed is printed to reproduce one. */
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    {
        System.out.println("CheckpointTest seed " + seed);
    }

    private static Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lr", 1e-4);
        s.put("beta1", 0.5f);
        s.put("l1_weight", 1.0);
        s.put("batch", 4);
        s.put("seed", 1234567890123L);
        s.put("data", "/data/clips with spaces/é");
        s.put("amp", false);
        return s;
    }

    @Test
    void anInferenceOnlyModelLoadsTheGeneratorOfAFullCheckpoint(@TempDir Path dir) {
        Path file = dir.resolve("weights.h5");
        try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 2, 2);
             sonogate.nn.Translator g = sonogate.nn.Translator.forInference(ModelConfig.TINY, sonogate.tensor.Device.CPU, rng.nextLong())) {
            Checkpoint.saveWeights(file, a.model, 7, settings());
            Checkpoint.loadWeights(file, g);
            float[] full = a.params();
            int n = Math.toIntExact(a.model.generatorSlabLength());
            assertEquals(a.model.generatorParameterCount(), g.parameters().parameterCount(), "the inference model holds the generator alone");
            assertArrayEquals(java.util.Arrays.copyOf(full, n), g.parameters().slab().toFloatArray());
            assertFalse(g.hasDiscriminator());
            assertThrows(IllegalStateException.class, g::discriminator);
        }
    }

    @Test
    void roundTripIsBitExactAndTrainingContinuesIdentically(@TempDir Path dir) {
        Path file = dir.resolve("ckpt.h5");
        Rng runRng = new Rng(rng.nextLong());
        for (int i = rng.nextInt(1, 50); i > 0; i--) runRng.nextLong();
        long step = rng.nextLong(1, 1L << 40);
        try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 3, 5);
             CheckpointFixture b = new CheckpointFixture(ModelConfig.TINY, rng.nextLong())) {
            Checkpoint.save(file, a.model, a.gen, a.disc, step, runRng, settings());
            assertFalse(java.util.Arrays.equals(a.params(), b.params()), "fresh model differs before restore");

            CheckpointInfo info = Checkpoint.restore(file, b.model, b.gen, b.disc);
            assertArrayEquals(a.params(), b.params());
            assertArrayEquals(a.buffers(), b.buffers());
            float[][] ma = a.moments(), mb = b.moments();
            for (int i = 0; i < 4; i++) assertArrayEquals(ma[i], mb[i], "moment " + i);
            assertEquals(3, b.gen.stepCount());
            assertEquals(5, b.disc.stepCount());
            assertEquals(step, info.step());
            assertTrue(info.hasTrainingState());
            assertEquals(ModelConfig.TINY, info.config());
            assertEquals(new java.util.TreeMap<>(settings()), info.settings());
            assertEquals(Integer.class, info.settings().get("batch").getClass());
            assertEquals(Float.class, info.settings().get("beta1").getClass());
            Rng resumed = info.rng();
            for (int i = 0; i < 100; i++) assertEquals(runRng.nextLong(), resumed.nextLong());

            // one more step on the same gradients: the resumed run stays identical
            float[] grads = CheckpointFixture.gaussian(rng, a.model.parameters().gradSlab().numel(), 1);
            for (CheckpointFixture f : new CheckpointFixture[] {a, b}) {
                Checkpoint.upload(grads, f.model.parameters().gradSlab());
                f.gen.step();
                f.disc.step();
            }
            assertArrayEquals(a.params(), b.params());
        }
    }

    @Test
    void h5pyReadsNamedArrays(@TempDir Path dir) throws Exception {
        boolean python = Files.isExecutable(Path.of("/usr/bin/python3"));
        assumeTrue(python, "h5py check skipped: /usr/bin/python3 not found");
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "h5py check skipped: /usr/bin/python3 has no h5py");

        Path file = dir.resolve("ckpt.h5");
        try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 2, 2)) {
            Checkpoint.save(file, a.model, a.gen, a.disc, 42, new Rng(7), settings());
            ParameterStore.Entry e = a.model.parameters().parameters().values().stream().filter(x -> x.shape().length == 4).findFirst().orElseThrow();
            int[] s = e.shape();
            int flat = ((1 * s[1] + 2 % s[1]) * s[2] + 0) * s[3] + 1; // element [1, 2 % C, 0, 1]
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                    "import h5py, sys",
                    "f = h5py.File(sys.argv[1], 'r')",
                    "w = f['params/' + sys.argv[2]]",
                    "m = f['adam/generator/m/' + sys.argv[2]]",
                    "print(w.dtype, tuple(w.shape), repr(float(w[1, 2 % w.shape[1], 0, 1])), repr(float(m[1, 2 % w.shape[1], 0, 1])))",
                    "s = lambda v: v.decode() if isinstance(v, bytes) else str(v)",
                    "print(s(f.attrs['format']), int(f.attrs['step']), s(f.attrs['config']), int(f.attrs['width']), int(f['adam/discriminator'].attrs['step']),",
                    "      repr(float(f.attrs['settings.lr'])), s(f.attrs['settings.data']))"),
                    file.toString(), e.name()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            String[] lines = out.split("\n");
            String[] w = lines[0].split(" ", 2);
            assertEquals("float32", w[0]);
            String shape = "(" + s[0] + ", " + s[1] + ", " + s[2] + ", " + s[3] + ")";
            assertTrue(w[1].startsWith(shape + " "), out);
            String[] values = w[1].substring(shape.length() + 1).split(" ");
            int start = Math.toIntExact(e.offset());
            assertEquals(a.params()[start + flat], Double.parseDouble(values[0]), 0.0);
            assertEquals(a.moments()[0][start + flat], Double.parseDouble(values[1]), 0.0);
            assertEquals(Checkpoint.FORMAT + " 42 tiny 8 2 0.0001 /data/clips with spaces/é", lines[1].trim());
        }
    }

    @Test
    void weightsOnlyExportLoadsForInferenceAndIsNotResumable(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("model.h5"), training = dir.resolve("ckpt.h5");
        try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 2, 1);
             CheckpointFixture b = new CheckpointFixture(ModelConfig.TINY, rng.nextLong());
             CheckpointFixture c = new CheckpointFixture(ModelConfig.TINY, rng.nextLong())) {
            Checkpoint.saveWeights(weights, a.model, 1000, Map.of("source", "ckpt.h5"));
            CheckpointInfo info = Checkpoint.readConfig(weights);
            assertFalse(info.hasTrainingState());
            assertEquals(ModelConfig.TINY, info.config());
            assertEquals(Map.of("source", "ckpt.h5"), info.settings());
            assertEquals(1000, info.step());
            assertEquals("config 'tiny' (c=8, 64x64, attention on), weights only, step 1000", info.summary());

            Checkpoint.loadWeights(weights, b.model);
            assertArrayEquals(a.params(), b.params());
            assertArrayEquals(a.buffers(), b.buffers());

            float[] before = c.params();
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.restore(weights, c.model, c.gen, c.disc));
            assertEquals(weights + ": is a weights-only export without optimiser state; resuming training needs a training checkpoint", e.getMessage());
            assertArrayEquals(before, c.params(), "a refused restore leaves the model alone");

            // inference can load a training checkpoint too
            Checkpoint.save(training, a.model, a.gen, a.disc, 5, new Rng(1), Map.of());
            Checkpoint.loadWeights(training, c.model);
            assertArrayEquals(a.params(), c.params());
            assertTrue(Files.size(weights) < Files.size(training) / 2, "weights-only is about a third of a training checkpoint");
        }
    }

    @Test
    void anotherConfigIsRefusedNamingBoth(@TempDir Path dir) {
        Path file = dir.resolve("ckpt.h5");
        ModelConfig noattn = ModelConfig.named("tiny-noattn");
        ModelConfig wide = new ModelConfig("wide", 12, 64, false, false, false);
        try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, rng.nextLong());
             CheckpointFixture b = new CheckpointFixture(noattn, rng.nextLong());
             CheckpointFixture c = new CheckpointFixture(wide, rng.nextLong())) {
            Checkpoint.save(file, a.model, a.gen, a.disc, 1, new Rng(1), Map.of());
            float[] before = b.params();
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.restore(file, b.model, b.gen, b.disc));
            assertEquals(file + ": checkpoint is config 'tiny' (c=8, 64x64, attention on), model is 'tiny-noattn' (c=8, 64x64, attention off)",
                    e.getMessage());
            assertArrayEquals(before, b.params());
            e = assertThrows(CheckpointException.class, () -> Checkpoint.loadWeights(file, c.model));
            assertEquals(file + ": checkpoint is config 'tiny' (c=8, 64x64, attention on), model is 'wide' (c=12, 64x64, attention off)",
                    e.getMessage());
            assertEquals(ModelConfig.TINY, Checkpoint.readConfig(file).config());
        }
    }

    @Test
    void missingFileIsOneLine(@TempDir Path dir) {
        Path file = dir.resolve("run").resolve("none.h5");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.readConfig(file));
        assertEquals(file + ": no such file", e.getMessage());
        CheckpointException w = assertThrows(CheckpointException.class, () -> {
            try (CheckpointFixture a = new CheckpointFixture(ModelConfig.TINY, 1)) {
                Checkpoint.saveWeights(file, a.model, 0, Map.of());
            }
        });
        assertTrue(w.getMessage().startsWith(file + ": cannot write checkpoint: "), w.getMessage());
        assertFalse(w.getMessage().contains("\n"));
    }
}
