package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.train.metrics.Metrics;

/**
 * Training on real ultrasound frames lowers the validation in-mask L1 clearly: below 0.9 times the
 * untrained model's, and below 0.9 times a trivial fill (each hole filled with the mean of its
 * frame's known pixels). Tiny config, batch 4, 300 steps, held-out clips of the shared data folder's
 * B-mode images and clips (skipped, visibly, when absent).
 *
 * <p>Measured with model seeds 1-4 (seed 1 is the test's): in-mask L1 0.164-0.292 untrained,
 * 0.115-0.135 after 300 steps (0.43-0.82 of the untrained value; the untrained value depends on
 * the seed, the trained one hardly does), against 0.180 for the mean fill (ratio 0.64-0.75).
 *
 * <p>The learning rate is 1e-3, not MODEL.md's 1e-4: at 1e-4 the first few hundred steps are too
 * erratic for a short test (the refined output first settles on the frames' dark median before it
 * learns to use the context): the same four seeds after 400 steps at 1e-4 reached 0.67-0.93 of the
 * untrained value and 0.71-1.40 of the mean fill. Until the initialisation fix, training at any
 * of these rates made the in-mask L1 rise after ~100 steps: the generator's output did not depend
 * on its input (see {@code GatedConv.INIT_GAIN}). {@code -Dsonogate.learningSteps=N
 * -Dsonogate.learningLr=X -Dsonogate.learningValEvery=M -Dsonogate.learningSeed=S} rerun it otherwise.
 */
class TrainerLearningTest {
    @TempDir Path tmp;

    static final int STEPS = Integer.getInteger("sonogate.learningSteps", 300);
    static final double LR = Double.parseDouble(System.getProperty("sonogate.learningLr", "1e-3"));
    static final long SEED = Long.getLong("sonogate.learningSeed", 1);
    static final double MARGIN = 0.9;

    @Test
    void trainingLowersValidationInMaskL1() throws Exception {
        Path root = TrainFixtures.realData();
        assumeTrue(root != null, "SKIPPED: no shared/data/ultrasound folder above " + Path.of("").toAbsolutePath());
        List<Path> folders = List.of(root.resolve("bmode-image"), root.resolve("bmode-video"));
        assumeTrue(folders.stream().allMatch(Files::isDirectory), "SKIPPED: bmode-image / bmode-video missing under " + root);
        // the images, DICOM and MetaImage clips this measurement was made on; FrameDataset also reads the
        // folders' videos now (8 clips), which changes the split (one of them is held out) and the figures
        List<Path> sources = new java.util.ArrayList<>();
        for (Path folder : folders) {
            try (var files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().matches("(?i).*\\.(png|jpe?g|dcm|mha)")).sorted().forEach(sources::add);
            }
        }
        long t0 = System.nanoTime();
        // the hold-out list is not applied: those clips were part of the data the margin was measured on
        FrameDataset data = FrameDataset.load(sources, 64, 0, FrameDataset.Options.defaults().withMaxFramesPerClip(16)
                .withExclusions(DataExclusions.withoutHoldout(List.of())));
        System.out.printf("data: %d train clips (%d frames), %d validation clips (%d frames), %.1f s%n", data.train().size(),
                data.trainFrameCount(), data.validation().size(), data.validationFrameCount(), (System.nanoTime() - t0) * 1e-9);
        data.validation().forEach(c -> System.out.println("  validation: " + c.name()));
        assumeTrue(data.validationFrameCount() > 0, "SKIPPED: no validation frames");
        Trainer.Settings s = Trainer.Settings.defaults(ModelConfig.TINY, 4, SEED).withValEvery(Integer.getInteger("sonogate.learningValEvery", 0))
                .withCkptEvery(0).withValSamples(16).withLogEvery(100).withLearningRate(LR);
        try (Trainer t = new Trainer(s, data, tmp.resolve("run"), false, System.out, false)) {
            double meanFill = meanFillInMaskL1(t.validationFrames(), t.validationMasks(), data.size());
            Trainer.Validation before = t.validate();
            long t1 = System.nanoTime();
            t.train(STEPS);
            double secs = (System.nanoTime() - t1) * 1e-9;
            Trainer.Validation after = t.validate();
            System.out.printf("learning (seed %d, lr %g): %d steps in %.1f s (%.2f steps/s); in-mask L1 %.4f -> %.4f (mean fill %.4f), "
                    + "SSIM in mask %.4f -> %.4f, PSNR %.2f -> %.2f%n", SEED, LR, STEPS, secs, STEPS / secs, before.l1InMask(), after.l1InMask(),
                    meanFill, before.ssimInMask(), after.ssimInMask(), before.psnr(), after.psnr());
            assertTrue(after.l1InMask() < MARGIN * before.l1InMask(),
                    "in-mask L1 " + after.l1InMask() + " not clearly below the untrained " + before.l1InMask());
            assertTrue(after.l1InMask() < MARGIN * meanFill,
                    "in-mask L1 " + after.l1InMask() + " not clearly below that of filling each hole with the mean of the known pixels, " + meanFill);
        }
    }

    /** In-mask L1 of the trivial fill: every hole pixel set to the mean of its frame's known pixels. */
    static double meanFillInMaskL1(float[][] frames, float[][] masks, int size) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < frames.length; i++) {
            double known = 0;
            int count = 0;
            for (int p = 0; p < frames[i].length; p++) {
                if (masks[i][p] < 0.5f) {
                    known += frames[i][p];
                    count++;
                }
            }
            float[] filled = frames[i].clone();
            for (int p = 0; p < filled.length; p++) if (masks[i][p] > 0.5f) filled[p] = (float) (known / count);
            double l1 = Metrics.l1InMask(filled, frames[i], masks[i], size, size);
            if (!Double.isNaN(l1)) {
                sum += l1;
                n++;
            }
        }
        return sum / n;
    }
}
