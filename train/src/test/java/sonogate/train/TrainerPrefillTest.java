package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;

/** Training a model with the prefill option: validation reports its diffusion fill beside it, and a run resumes as one. */
class TrainerPrefillTest {
    @TempDir Path tmp;

    private static Trainer.Settings settings(ModelConfig config) {
        return Trainer.Settings.defaults(config, 2, 5).withValEvery(2).withCkptEvery(0).withValSamples(4);
    }

    @Test
    void validationShowsTheDiffusionFillTheModelCorrects() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        Path run = tmp.resolve("run");
        try (Trainer t = new Trainer(settings(ModelConfig.named("tiny-prefill")), data, run, false, TrainerResumeTest.quiet(), false)) {
            Trainer.Validation untrained = t.validate(), diffusion = t.prefillBaseline();
            // the output convolutions start 100x smaller: the untrained model is nearly its diffusion fill
            assertEquals(diffusion.ssimInMask(), untrained.ssimInMask(), 0.02);
            assertEquals(diffusion.l1InMask(), untrained.l1InMask(), 0.004);
            assertEquals(diffusion.psnr(), untrained.psnr(), 1.0);
            assertTrue(diffusion.l1InMask() > 0.01, "the fill is not the truth: " + diffusion.l1InMask());
            t.train(2);
        }
        List<String> val = Files.readAllLines(run.resolve(Trainer.VAL_LOG));
        assertEquals(1, val.size());
        assertTrue(val.get(0).contains("\"diffusion_ssim_mask\":"), val.get(0));
        try (Trainer t = new Trainer(settings(ModelConfig.named("tiny-prefill")), data, run, true, TrainerResumeTest.quiet(), false)) {
            assertEquals(2, t.step());
            assertTrue(t.model().generator().config().prefill(), "the resumed run keeps the option");
        }
        try (Trainer t = new Trainer(settings(ModelConfig.TINY), data, tmp.resolve("plain"), false, TrainerResumeTest.quiet(), false)) {
            t.validate();
            assertNull(t.prefillBaseline(), "no diffusion figures without the option");
        }
    }
}
