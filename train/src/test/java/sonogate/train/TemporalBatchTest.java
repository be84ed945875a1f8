package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.train.data.Augmentation;
import sonogate.train.data.CfdMaskConfig;
import sonogate.train.data.CfdMaskGenerator;
import sonogate.train.data.FreeFormStrokes;
import sonogate.train.data.MaskMixer;

/** Training batches and runs of a temporal config: each sample's neighbours come from its own clip, with moving masks. */
class TemporalBatchTest {
    static final int S = 64, HW = S * S;
    @TempDir Path tmp;

    /**
     * Clips of 5, 4, 1 and 3 flat frames (the loader holds one out for validation); each frame's grey
     * value is unique, so a frame names its clip and index.
     */
    private FrameDataset flatClips() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("clips"));
        int[] lengths = {5, 4, 1, 3};
        for (int c = 0; c < lengths.length; c++) {
            float[] v = new float[lengths[c] * HW];
            for (int k = 0; k < lengths[c]; k++) Arrays.fill(v, k * HW, (k + 1) * HW, (20 + 50 * c + 10 * k) / 255f);
            try (WritableHdfFile out = HdfFile.write(dir.resolve("clip" + c + ".h5"))) {
                Hdf5Arrays.write(out, "frames", new int[] {lengths[c], S, S}, v);
            }
        }
        return FrameDataset.load(List.of(dir), S, 0, 1000, 256);   // none held out
    }

    @Test
    void neighboursAreTheAdjacentFramesOfTheSameClipAndTheEndsRepeat() throws Exception {
        FrameDataset data = flatClips();
        assertEquals(3, data.train().size(), data.notes().toString());
        Map<Float, int[]> where = new HashMap<>();   // grey value -> {clip, frame}
        for (int c = 0; c < data.train().size(); c++) {
            FrameDataset.Clip clip = data.train().get(c);
            for (int k = 0; k < clip.frameCount(); k++) assertNull(where.put(clip.frame(k)[0], new int[] {c, k}), "values are unique");
        }
        Augmentation none = new Augmentation(Augmentation.Config.none());
        int seen = 0, ends = 0;
        for (long index = 0; index < 6; index++) {
            BatchLoader.Batch b = BatchLoader.buildTemporal(data, MaskMixer.defaults(), none, 11, 4, index);
            assertTrue(b.temporal());
            assertArrayEquals(b.frames(), BatchLoader.buildTemporal(data, MaskMixer.defaults(), none, 11, 4, index).frames(), "a function of seed and index");
            for (int i = 0; i < 4; i++) {
                int[] at = where.get(b.frames()[i * HW]);
                assertNotNull(at);
                FrameDataset.Clip clip = data.train().get(at[0]);
                int before = Math.max(0, at[1] - 1), after = Math.min(clip.frameCount() - 1, at[1] + 1);
                assertArrayEquals(clip.frame(before), Arrays.copyOfRange(b.previousFrames(), i * HW, (i + 1) * HW));
                assertArrayEquals(clip.frame(after), Arrays.copyOfRange(b.nextFrames(), i * HW, (i + 1) * HW));
                float[] mask = Arrays.copyOfRange(b.masks(), i * HW, (i + 1) * HW);
                if (before == at[1]) assertArrayEquals(mask, Arrays.copyOfRange(b.previousMasks(), i * HW, (i + 1) * HW), "a repeated frame keeps its mask");
                if (after == at[1]) assertArrayEquals(mask, Arrays.copyOfRange(b.nextMasks(), i * HW, (i + 1) * HW), "a repeated frame keeps its mask");
                if (before == at[1] || after == at[1]) ends++;
                seen++;
            }
        }
        assertTrue(ends > 0 && ends < seen, ends + " of " + seen + " samples at a clip's end");
        BatchLoader.Batch plain = BatchLoader.build(data, MaskMixer.defaults(), none, 11, 4, 0);
        assertFalse(plain.temporal());
    }

    /** CFD-like masks move between the three frames (a fixed seed: a draw could hold still by chance). */
    @Test
    void cfdMasksMoveFromFrameToFrame() throws Exception {
        FrameDataset data = flatClips();
        MaskMixer cfdOnly = new MaskMixer(new MaskMixer.Config(1, 0, true), new CfdMaskGenerator(CfdMaskConfig.defaults()), new FreeFormStrokes());
        List<FrameDataset.Clip> all = new ArrayList<>(data.train());
        all.addAll(data.validation());
        FrameDataset.Clip clip = all.stream().filter(c -> c.frameCount() == 5).findFirst().orElseThrow();
        BatchLoader.TemporalSample s = BatchLoader.temporalSample(cfdOnly, new Rng(3), clip, 2, S);
        assertFalse(Arrays.equals(s.masks()[0], s.masks()[1]));
        assertFalse(Arrays.equals(s.masks()[1], s.masks()[2]));
        int overlap = 0, area = 0;
        for (int p = 0; p < HW; p++) {
            area += (int) s.masks()[1][p];
            overlap += (int) (s.masks()[0][p] * s.masks()[1][p]);
        }
        assertTrue(area > 0 && overlap > area / 2, "smooth motion: " + overlap + " of " + area + " pixels stay");
    }

    /** A temporal run trains, validates, keeps its config in the checkpoint and resumes bit for bit. */
    @Test
    void aTemporalRunResumesExactly() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), S);
        Trainer.Settings settings = Trainer.Settings.defaults(ModelConfig.named("tiny-temporal"), 2, 5).withValEvery(2).withCkptEvery(0).withValSamples(2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        List<Trainer.StepRecord> straight;
        try (Trainer t = new Trainer(settings, data, tmp.resolve("a"), false, quiet, false)) {
            t.train(4);
            straight = new ArrayList<>(t.history());
            assertEquals(2, t.validations().size());
            assertTrue(Double.isFinite(t.validations().get(1).ssim()));
        }
        try (Trainer t = new Trainer(settings, data, tmp.resolve("b"), false, quiet, false)) {
            t.train(2);
        }
        assertEquals("tiny-temporal", Checkpoint.readConfig(tmp.resolve("b").resolve(Trainer.CHECKPOINT)).config().name());
        try (Trainer t = new Trainer(settings, data, tmp.resolve("b"), true, quiet, false)) {
            t.train(4);
            for (int i = 0; i < 2; i++) {
                assertEquals(straight.get(2 + i).losses(), t.history().get(i).losses(), "step " + (3 + i));
            }
        }
    }
}
