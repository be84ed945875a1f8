package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN in a batch: the step is skipped, the model keeps its last good state, training goes on. */
class TrainerNonFiniteTest {
    @TempDir Path tmp;

    @Test
    void nanBatchIsSkippedAndRolledBack() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        float[][] before = new float[1][];
        try (Trainer t = new Trainer(TrainerResumeTest.settings().withSnapshotEvery(1), data, tmp.resolve("run"), false,
                TrainerResumeTest.quiet(), false)) {
            t.setBatchFilter(b -> {
                if (b.index() != 2) return b;
                before[0] = Checkpoint.download(t.model().parameters().slab()); // state after step 2
                float[] f = b.frames().clone();
                f[17] = Float.NaN;
                return new BatchLoader.Batch(b.index(), b.batch(), b.size(), f, b.masks());
            });
            t.train(3);
            Trainer.StepRecord bad = t.history().get(2);
            assertNotNull(bad.skipped(), "step 3 must be skipped");
            assertTrue(bad.skipped().contains("non-finite"), bad.skipped());
            float[] after = Checkpoint.download(t.model().parameters().slab());
            assertArrayEquals(before[0], after, "weights after the skipped step equal the last good state");
            t.train(6);
            assertEquals(6, t.history().size());
            for (int i : new int[] {0, 1, 3, 4, 5}) {
                assertNull(t.history().get(i).skipped(), "step " + (i + 1));
                assertTrue(t.history().get(i).losses().allFinite());
            }
            for (float v : Checkpoint.download(t.model().parameters().slab())) assertTrue(Float.isFinite(v));
        }
        List<String> log = Files.readAllLines(tmp.resolve("run").resolve(Trainer.TRAIN_LOG));
        assertEquals(6, log.size());
        assertTrue(log.get(2).contains("\"skipped\":") && log.get(2).contains("\"rolled_back_to\":2"), log.get(2));
        // the checkpoint (written at the end) holds finite weights and step 6
        assertEquals(6, Checkpoint.readConfig(tmp.resolve("run").resolve(Trainer.CHECKPOINT)).step());
    }

    @Test
    void generatorSideFailureRollsBackTheDiscriminatorUpdateToo() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        try (Trainer t = new Trainer(TrainerResumeTest.settings().withSnapshotEvery(1), data, tmp.resolve("run"), false,
                TrainerResumeTest.quiet(), false)) {
            t.train(2);
            float[] good = Checkpoint.download(t.model().parameters().slab());
            float[] goodBuffers = Checkpoint.download(t.model().parameters().bufferSlab());
            // poison a generator weight: the D step runs (on a NaN fake) and is caught before its update,
            // or, if D survives, G's loss is NaN; either way nothing may stick
            var slab = t.model().parameters().slab();
            float[] poisoned = good.clone();
            poisoned[0] = Float.NaN;
            Checkpoint.upload(poisoned, slab);
            t.train(3);
            assertNotNull(t.history().get(2).skipped());
            assertArrayEquals(good, Checkpoint.download(slab));
            assertArrayEquals(goodBuffers, Checkpoint.download(t.model().parameters().bufferSlab()));
        }
    }
}
