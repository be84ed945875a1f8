package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.train.data.Augmentation;
import sonogate.train.data.MaskMixer;

class BatchLoaderTest {
    @TempDir Path tmp;

    @Test
    void batchesAreAFunctionOfSeedAndIndex() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        Augmentation aug = new Augmentation(Augmentation.Config.defaults());
        BatchLoader.Batch[] a = new BatchLoader.Batch[6];
        try (BatchLoader l = new BatchLoader(data, MaskMixer.defaults(), aug, 7, 3, 0, 2)) {
            for (int i = 0; i < 6; i++) a[i] = l.next();
        }
        try (BatchLoader l = new BatchLoader(data, MaskMixer.defaults(), aug, 7, 3, 4, 2, 3)) { // three workers: the same batches, in order
            for (int i = 4; i < 6; i++) {
                BatchLoader.Batch b = l.next();
                assertEquals(i, b.index());
                assertArrayEquals(a[i].frames(), b.frames());
                assertArrayEquals(a[i].masks(), b.masks());
            }
        }
        BatchLoader.Batch other = BatchLoader.build(data, MaskMixer.defaults(), aug, 8, 3, 0);
        assertFalse(Arrays.equals(a[0].frames(), other.frames()), "another seed gives other batches");
        assertFalse(Arrays.equals(a[0].frames(), a[1].frames()), "consecutive batches differ");
        for (BatchLoader.Batch b : a) {
            assertEquals(3 * 64 * 64, b.frames().length);
            double holes = 0;
            for (float v : b.frames()) assertTrue(v >= -1 && v <= 1);
            for (float v : b.masks()) {
                assertTrue(v == 0 || v == 1);
                holes += v;
            }
            assertTrue(holes > 0, "every batch has holes");
        }
    }
}
