package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }
    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void helpAndUsageErrors() {
        assertEquals(0, run("train", "--help"));
        assertTrue(out().startsWith("usage: sonogate train"), out());
        assertTrue(out().contains("examples:"));
        assertEquals(2, run("train", "--config", "tiny"));
        assertTrue(err().startsWith("sonogate train: --data is required (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--data", "x"));
        assertTrue(err().startsWith("sonogate train: --config is required (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--steps", "zero"));
        assertTrue(err().startsWith("sonogate train: --steps needs a whole number, got 'zero' (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--config", "huge", "--data", "x"));
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--bogus"));
        assertTrue(err().startsWith("sonogate train: unknown option '--bogus' (see sonogate train --help)\n"), err());
        assertEquals(1, run("train", "--config", "tiny", "--data", tmp.resolve("missing").toString(), "--out", tmp.resolve("r0").toString()));
        assertEquals(1, err().lines().count(), err());
    }

    /** A folder of {@code count} 72 x 64 grey PNG images, each with its own gradient pattern. */
    static Path grey72x64Images(Path dir, int count) throws java.io.IOException {
        Files.createDirectories(dir);
        for (int k = 0; k < count; k++) {
            BufferedImage img = new BufferedImage(72, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 72; x++) img.setRGB(x, y, ((x * 3 + y * k) & 0xff) * 0x010101);
            ImageIO.write(img, "png", dir.resolve("img" + k + ".png").toFile());
        }
        return dir;
    }

    @Test
    void fiveStepRunWritesCheckpointAndLogThenRefusesToOverwrite() throws Exception {
        Path data = grey72x64Images(tmp.resolve("data"), 5);
        Path runDir = tmp.resolve("run");
        String[] args = {"train", "--config", "tiny", "--data", data.toString(), "--steps", "5", "--batch", "2", "--out", runDir.toString(),
                "--val-every", "5", "--ckpt-every", "0"};
        assertEquals(0, run(args), err());
        assertTrue(Files.exists(runDir.resolve("checkpoint.h5")));
        List<String> log = Files.readAllLines(runDir.resolve("train.jsonl"));
        assertEquals(5, log.size());
        assertTrue(log.get(0).startsWith("{\"step\":1,\"d_loss\":") && log.get(0).contains("\"g_grad_norm\":"), log.get(0));
        assertEquals(1, Files.readAllLines(runDir.resolve("val.jsonl")).size());
        assertTrue(Files.exists(runDir.resolve("samples/step_0000005.png")));
        assertTrue(out().contains("done: step 5"), out());
        // a non-empty run folder is refused without --resume or --force
        assertEquals(1, run(args));
        assertTrue(err().contains("is not empty"), err());
        // --resume continues to a larger target
        String[] more = args.clone();
        more[6] = "7";
        more[0] = "train";
        String[] resume = java.util.Arrays.copyOf(more, more.length + 1);
        resume[more.length] = "--resume";
        assertEquals(0, run(resume), err());
        assertEquals(7, Files.readAllLines(runDir.resolve("train.jsonl")).size());
    }

    @Test
    void perceptualOptionsAreCheckedAndKeptOnResume() throws Exception {
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--perceptual", "vgg19:w.h5"));
        assertTrue(err().startsWith("sonogate train: --perceptual must be none, features or vgg16:PATH, not 'vgg19:w.h5' (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--perceptual-weight", "-0.5"));
        assertTrue(err().startsWith("sonogate train: --perceptual-weight must be a finite number >= 0, got -0.5 (see sonogate train --help)\n"), err());
        assertTrue(run("train", "--help") == 0 && out().contains("--perceptual P") && out().contains("vgg16:PATH"), out());

        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        for (int k = 0; k < 5; k++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, ((x * 5 + y * k) & 0xff) * 0x010101);
            ImageIO.write(img, "png", data.resolve("img" + k + ".png").toFile());
        }
        Path missing = tmp.resolve("no-such-vgg16.h5");
        assertEquals(1, run("train", "--config", "tiny", "--data", data.toString(), "--steps", "1", "--out", tmp.resolve("r1").toString(),
                "--perceptual", "vgg16:" + missing));
        assertEquals("sonogate train: " + missing + ": no such file\n", err());

        Path runDir = tmp.resolve("run");
        String[] args = {"train", "--config", "tiny", "--data", data.toString(), "--steps", "2", "--batch", "2", "--out", runDir.toString(),
                "--val-every", "0", "--ckpt-every", "0", "--perceptual", "none"};
        assertEquals(0, run(args), err());
        assertTrue(out().contains("perceptual none ->"), out());
        String[] differ = {"train", "--data", data.toString(), "--steps", "3", "--out", runDir.toString(), "--resume", "--perceptual", "features"};
        assertEquals(1, run(differ));
        assertEquals("sonogate train: --perceptual features differs from the checkpoint's none\n", err());
        String[] resume = {"train", "--data", data.toString(), "--steps", "3", "--out", runDir.toString(), "--resume"};
        assertEquals(0, run(resume), err());
        assertTrue(out().contains("resuming at step 2") && out().contains("perceptual none ->"), out());
        List<String> log = Files.readAllLines(runDir.resolve("train.jsonl"));
        assertTrue(log.get(2).contains("\"perceptual\":0"), log.get(2));

        // the default: the feature network at weight 10, logged per step
        Path defaults = tmp.resolve("defaults");
        assertEquals(0, run("train", "--config", "tiny", "--data", data.toString(), "--steps", "1", "--batch", "2", "--out", defaults.toString(),
                "--val-every", "0"), err());
        assertTrue(out().contains("perceptual features (weight 10.0) ->"), out());
        String line = Files.readAllLines(defaults.resolve("train.jsonl")).get(0);
        assertTrue(line.matches(".*\"perceptual\":0\\.[0-9].*"), line);
    }

    @Test
    void learningRateAdversarialWeightAndExclusionsAreSavedAndKeptOnResume() throws Exception {
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--lr", "0"));
        assertTrue(err().startsWith("sonogate train: --lr must be in (0, 1), got 0 (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--adv-weight", "-1"));
        assertTrue(err().startsWith("sonogate train: --adv-weight must be a finite number >= 0, got -1 (see sonogate train --help)\n"), err());
        assertEquals(2, run("train", "--config", "tiny", "--data", "x", "--exclude", "[a"));
        assertTrue(err().startsWith("sonogate train: bad --exclude pattern '[a': "), err());

        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        for (int k = 0; k < 6; k++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, ((x * 5 + y * k) & 0xff) * 0x010101);
            ImageIO.write(img, "png", data.resolve((k == 5 ? "sub/" : "") + "img" + k + ".png").toFile());
        }
        Path runDir = tmp.resolve("run");
        String[] args = {"train", "--config", "tiny", "--data", data.toString(), "--steps", "1", "--batch", "2", "--out", runDir.toString(),
                "--val-every", "0", "--ckpt-every", "0", "--perceptual", "none", "--lr", "3e-4", "--adv-weight", "0.05",
                "--exclude", "sub/**", "--exclude", "img0.png"};
        assertEquals(0, run(args), err());
        assertTrue(out().contains("excluded " + data.resolve("sub/img5.png") + ": matches --exclude sub/**"), out());
        assertTrue(out().contains("excluded " + data.resolve("img0.png") + ": matches --exclude img0.png"), out());
        assertTrue(out().contains("data: 4 files used, 2 excluded, 0 skipped"), out());
        assertTrue(out().contains("lr 3.0E-4, adversarial weight 0.05,"), out());
        var saved = sonogate.train.Checkpoint.readConfig(runDir.resolve("checkpoint.h5")).settings();
        assertEquals(3e-4, saved.get("lr"));
        assertEquals(0.05, saved.get("w_adversarial"));
        assertEquals("sub/**\nimg0.png", saved.get("data_exclude"));
        assertEquals(true, saved.get("data_holdout"));

        String[] lrDiffers = {"train", "--data", data.toString(), "--steps", "2", "--out", runDir.toString(), "--resume", "--lr", "1e-4"};
        assertEquals(1, run(lrDiffers));
        assertEquals("sonogate train: --lr 1.0E-4 differs from the checkpoint's 3.0E-4\n", err());
        String[] advDiffers = {"train", "--data", data.toString(), "--steps", "2", "--out", runDir.toString(), "--resume", "--adv-weight", "0.1"};
        assertEquals(1, run(advDiffers));
        assertEquals("sonogate train: --adv-weight 0.1 differs from the checkpoint's 0.05\n", err());
        String[] excludeDiffers = {"train", "--data", data.toString(), "--steps", "2", "--out", runDir.toString(), "--resume", "--exclude", "x"};
        assertEquals(1, run(excludeDiffers));
        assertTrue(err().startsWith("sonogate train: --exclude x differs from the checkpoint's sub/** img0.png"), err());
        String[] resume = {"train", "--data", data.toString(), "--steps", "2", "--out", runDir.toString(), "--resume"};
        assertEquals(0, run(resume), err());
        assertTrue(out().contains("resuming at step 1") && out().contains("lr 3.0E-4, adversarial weight 0.05,"), out());
        assertTrue(out().contains("data: 4 files used, 2 excluded, 0 skipped"), out());
    }

    /** The feature networks max-pool, which has no CUDA kernel: refused before any data loads, with what to do instead. */
    @Test
    void perceptualFeatureNetworksAreRefusedOnTheGpu() {
        var features = sonogate.train.perceptual.PerceptualSetting.DEFAULT;
        var none = sonogate.train.perceptual.PerceptualSetting.NONE;
        org.junit.jupiter.api.Assertions.assertNull(TrainCommand.unsupportedOn(sonogate.tensor.Device.CPU, features));
        org.junit.jupiter.api.Assertions.assertNull(TrainCommand.unsupportedOn(sonogate.tensor.Device.CUDA, none));
        String why = TrainCommand.unsupportedOn(sonogate.tensor.Device.CUDA, features);
        assertTrue(why != null && why.startsWith("--perceptual " + features.spec() + " needs 2x2 max pooling") && why.contains("--perceptual none"), why);
    }
}
