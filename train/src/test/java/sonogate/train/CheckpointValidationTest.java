package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;

/** Edited checkpoints: every problem is refused with a one-line message naming the dataset, and the model is left alone. */
class CheckpointValidationTest {
    /** Fresh draws: every assertion holds for any of them; the seed is printed to reproduce one. */
    private static final long SEED = System.nanoTime();
    private static final SplittableRandom rng = new SplittableRandom(SEED);

    static {
        System.out.println("CheckpointValidationTest seed " + SEED);
    }
    @TempDir static Path dir;
    private static Path good, weights;
    private static CheckpointFixture saved;
    private static String param, buffer, genParam;
    private CheckpointFixture target;

    @BeforeEach
    void target() {
        target = new CheckpointFixture(ModelConfig.TINY, rng.nextLong());
    }

    @AfterEach
    void closeTarget() {
        target.close();
    }

    @BeforeAll
    static void save() {
        saved = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 2, 2);
        good = dir.resolve("ckpt.h5");
        Checkpoint.save(good, saved.model, saved.gen, saved.disc, 10, new Rng(3), Map.of("lr", 1e-4));
        // edits that concern no optimiser state are made to a weights-only copy: a third of the size, faster to rewrite
        weights = dir.resolve("weights.h5");
        Checkpoint.saveWeights(weights, saved.model, 10, Map.of("lr", 1e-4));
        var params = saved.model.parameters().parameters().values().toArray(ParameterStore.Entry[]::new);
        param = params[rng.nextInt(params.length)].name();
        genParam = params[0].name();
        var buffers = saved.model.parameters().buffers().values().toArray(ParameterStore.Entry[]::new);
        buffer = buffers[rng.nextInt(buffers.length)].name();
    }

    @AfterAll
    static void close() {
        saved.close();
    }

    /** An edited copy of the weights-only export, or of the training checkpoint when an edit concerns {@code adam/}. */
    private Path edited(BiFunction<String, Hdf5Arrays.FloatArray, Hdf5Arrays.FloatArray> datasets, Map<String, Object> attributes,
                        Map<String, Hdf5Arrays.FloatArray> extra, boolean training) {
        Path out = dir.resolve("edited.h5");
        CheckpointSurgery.rewrite(training ? good : weights, out, datasets, attributes, extra);
        return out;
    }

    private Path edited(BiFunction<String, Hdf5Arrays.FloatArray, Hdf5Arrays.FloatArray> datasets, Map<String, Object> attributes,
                        Map<String, Hdf5Arrays.FloatArray> extra) {
        return edited(datasets, attributes, extra, false);
    }

    private Path editedDataset(String path, Hdf5Arrays.FloatArray replacement) {
        return edited((p, a) -> p.equals(path) ? replacement : a, Map.of(), Map.of());
    }

    /** Restore must fail with exactly {@code message} (after the file name) and leave the target as it was. */
    private void refused(Path file, String message, boolean resume) {
        float[] params = target.params(), buffers = target.buffers();
        float[][] moments = target.moments();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> { if (resume) Checkpoint.restore(file, target.model, target.gen, target.disc); else Checkpoint.loadWeights(file, target.model); });
        assertEquals(file + ": " + message, e.getMessage());
        assertArrayEquals(params, target.params());
        assertArrayEquals(buffers, target.buffers());
        for (int i = 0; i < 4; i++) assertArrayEquals(moments[i], target.moments()[i]);
        assertEquals(0, target.gen.stepCount());
    }

    private static Hdf5Arrays.FloatArray with(Hdf5Arrays.FloatArray a, int index, float value) {
        float[] d = a.data().clone();
        d[index] = value;
        return new Hdf5Arrays.FloatArray(a.shape(), d);
    }

    @Test
    void theUneditedCopyLoads() {
        Path copy = edited((p, a) -> a, Map.of(), Map.of(), true);
        Checkpoint.restore(copy, target.model, target.gen, target.disc);
        assertArrayEquals(saved.params(), target.params());
    }

    @Test
    void missingDatasetIsNamed() {
        Path f = edited((p, a) -> p.equals("params/" + param) ? null : a, Map.of(), Map.of());
        refused(f, "missing dataset params/" + param, false);
        f = edited((p, a) -> p.equals("adam/generator/v/" + genParam) ? null : a, Map.of(), Map.of(), true);
        refused(f, "missing dataset adam/generator/v/" + genParam, true);
    }

    @Test
    void wrongShapeIsNamed() {
        ParameterStore.Entry e = saved.model.parameters().buffers().get(buffer);
        int[] shape = e.shape();
        int[] wrong = shape.clone();
        wrong[wrong.length - 1]++;
        float[] data = new float[Math.toIntExact(e.numel() / shape[shape.length - 1] * wrong[wrong.length - 1])];
        Path f = editedDataset("buffers/" + buffer, new Hdf5Arrays.FloatArray(wrong, data));
        refused(f, "dataset buffers/" + buffer + " has shape " + Arrays.toString(wrong) + ", the model expects " + Arrays.toString(shape), false);
    }

    @Test
    void nonFiniteValuesAreRefused() {
        String p = "params/" + param;
        Path f = edited((path, a) -> path.equals(p) ? with(a, a.data().length - 1, Float.POSITIVE_INFINITY) : a, Map.of(), Map.of());
        refused(f, "dataset " + p + " holds Infinity at index " + (saved.model.parameters().parameters().get(param).numel() - 1), false);

        String m = "adam/generator/m/" + genParam;
        f = edited((path, a) -> path.equals(m) ? with(a, 0, Float.NaN) : a, Map.of(), Map.of(), true);
        refused(f, "dataset " + m + " holds NaN at index 0", true);
        Checkpoint.loadWeights(f, target.model); // inference does not read the optimiser state

        String v = "adam/generator/v/" + genParam;
        f = edited((path, a) -> path.equals(v) ? with(a, 1, -1f) : a, Map.of(), Map.of(), true);
        refused(f, "dataset " + v + " holds negative second moment -1.0 at index 1", true);
    }

    @Test
    void unknownDatasetIsRefused() {
        Path f = edited((p, a) -> a, Map.of(), Map.of("params/coarse.99.conv.weight", new Hdf5Arrays.FloatArray(new int[] {2}, new float[2])));
        refused(f, "dataset params/coarse.99.conv.weight is not a tensor of this model", false);
    }

    @Test
    void formatAndVersionAreChecked() {
        refused(edited((p, a) -> a, Map.of("@format_version", 2), Map.of()), "has checkpoint format version 2; this build reads version 1", false);
        refused(edited((p, a) -> a, Map.of("@format", "something-else"), Map.of()), "is not a sonogate checkpoint (format 'something-else')", false);
        refused(edited((p, a) -> a, Map.of("@width", 10), Map.of()), "invalid configuration: config tiny: width 10 must be a positive multiple of 4", false);
        refused(edited((p, a) -> a, Map.of("adam/generator@step", -3), Map.of(), true), "adam/generator step -3 is out of range", true);
    }
}
