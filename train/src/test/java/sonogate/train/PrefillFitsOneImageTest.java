package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.train.perceptual.PerceptualSetting;

/**
 * The smallest learning check of the prefill option: on one textured image (no augmentation, pixel
 * L1 only) the model must learn to paint that image into its holes, so its training L1 falls well
 * below where it starts (the diffusion fill's: the untrained correction is a fraction of a grey
 * level). Before the correction was masked to the hole, the whole-frame L1
 * outside it pinned the correction to zero and this L1 stayed flat (config small: 0.026 over 800
 * steps).
 *
 * <p>Measured (tiny-prefill, 64 x 64, lr 1e-3, 150 steps, about 18 s): the last 30 steps' mean
 * refined L1 at 0.65-0.68 of the first 10 steps' (four fresh images); with the correction
 * unmasked again, 0.93 (two images), which fails.
 */
class PrefillFitsOneImageTest {
    @TempDir Path tmp;

    static final int STEPS = 150;
    static final double MARGIN = 0.8;

    @Test
    void thePrefillModelLearnsToPaintASingleImage() throws Exception {
        long seed = System.nanoTime();
        Path dir = Files.createDirectories(tmp.resolve("data"));
        texturedImage(dir.resolve("one.png"), new SplittableRandom(seed));
        FrameDataset data = FrameDataset.load(List.of(dir), 64, 0);
        Trainer.Settings s = Trainer.Settings.defaults(ModelConfig.named("tiny-prefill"), 4, 1).withValEvery(0).withCkptEvery(0)
                .withAugment(false).withLearningRate(1e-3).withPerceptual(PerceptualSetting.NONE)
                .withLossWeights(new GanStep.LossWeights(1, 1, 0));
        double[] l1;
        try (Trainer t = new Trainer(s, data, tmp.resolve("run"), false, TrainerResumeTest.quiet(), false)) {
            t.train(STEPS);
            l1 = t.history().stream().filter(r -> r.losses() != null).mapToDouble(r -> r.losses().l1Refined()).toArray();
        }
        assertTrue(l1.length == STEPS, l1.length + " of " + STEPS + " steps have losses");
        double first = Arrays.stream(l1, 0, 10).average().orElseThrow(), last = Arrays.stream(l1, STEPS - 30, STEPS).average().orElseThrow();
        System.out.printf("prefill fit (image seed %d): refined L1 %.5f (first 10 steps) -> %.5f (last 30), ratio %.3f%n", seed, first,
                last, last / first);
        assertTrue(last < MARGIN * first, "refined L1 " + first + " -> " + last + ": the model does not fit one image (image seed " + seed + ")");
    }

    /** A 96 x 80 grey image with bright layers, a dark blob and speckle, like a B-mode frame. */
    static void texturedImage(Path file, SplittableRandom rng) throws java.io.IOException {
        int w = 96, h = 80;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        double phase = rng.nextDouble(0, 6), bx = rng.nextDouble(20, 76), by = rng.nextDouble(20, 60);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double layers = 0.35 + 0.25 * Math.sin(y * 0.3 + phase + 0.05 * x);
                double blob = Math.exp(-((x - bx) * (x - bx) + (y - by) * (y - by)) / 120.0);
                double v = layers * (1 - 0.8 * blob) * (0.6 + 0.8 * rng.nextDouble());
                img.getRaster().setSample(x, y, 0, (int) Math.clamp(Math.round(v * 255), 0, 255));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
