package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json FILE} of info and train (translate's and masks' are checked beside their other outputs). */
class JsonSummaryTest {
    @TempDir Path dir;

    @Test
    void infoJsonHoldsTheFiguresTheTextShows() throws Exception {
        Path json = dir.resolve("info.json");
        CliRun r = CliRun.of("info", "--config", "small-noattn", "--json", json.toString());
        assertEquals(0, r.code, r.err);
        Matcher m = Pattern.compile("generator\\s+([\\d,]+) parameters \\(coarse ([\\d,]+), refinement ([\\d,]+)\\)").matcher(r.out);
        assertTrue(m.find(), r.out);
        Matcher d = Pattern.compile("discriminator\\s+([\\d,]+) parameters").matcher(r.out);
        assertTrue(d.find(), r.out);
        Matcher f = Pattern.compile("generator ([\\d.]+) GFLOP/frame, discriminator ([\\d.]+) GFLOP/frame").matcher(r.out);
        assertTrue(f.find(), r.out);
        String expected = String.join(" ", m.group(1), m.group(2), m.group(3), d.group(1)).replace(",", "");
        assertEquals(expected, CliRun.python(json, "'%d %d %d %d' % (d['generator_parameters'], d['coarse_parameters'], "
                + "d['refinement_parameters'], d['discriminator_parameters'])"));
        assertEquals(f.group(1) + " " + f.group(2), CliRun.python(json, "'%.3f %.3f' % (d['generator_gflop_per_frame'], d['discriminator_gflop_per_frame'])"));
        assertEquals("info small-noattn False", CliRun.python(json, "'%s %s %s' % (d['command'], d['config'], d['attention'])"));
        // an existing summary is replaced only with --force
        CliRun again = CliRun.of("info", "--config", "tiny", "--json", json.toString());
        assertEquals(1, again.code);
        assertTrue(again.err.contains("info.json") && again.err.contains("--force") && again.err.lines().count() == 1, again.err);
        assertEquals(0, CliRun.of("info", "--config", "tiny", "--params", "--force", "--json", json.toString()).code);
        assertEquals("tiny True", CliRun.python(json, "'%s %s' % (d['config'], all(len(s) >= 1 for s in d['parameters'].values()))"));
    }

    @Test
    void trainJsonIsAFinalSummary() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (int k = 0; k < 4; k++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, ((x * 5 + y * k) & 0xff) * 0x010101);
            ImageIO.write(img, "png", data.resolve("img" + k + ".png").toFile());
        }
        Path run = dir.resolve("run"), json = dir.resolve("train.json");
        CliRun r = CliRun.of("train", "--config", "tiny", "--data", data.toString(), "--steps", "2", "--batch", "2", "--out", run.toString(),
                "--val-every", "2", "--ckpt-every", "0", "--perceptual", "none", "--json", json.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("train tiny 2 True True", CliRun.python(json, "'%s %s %d %s %s' % (d['command'], d['config'], d['step'], "
                + "d['checkpoint'].endswith('checkpoint.h5'), d['last_losses']['step'] == 2)"));
        assertEquals("2 True", CliRun.python(json, "'%d %s' % (d['last_validation']['step'], 0 <= d['last_validation']['ssim'] <= 1)"));
        // --resume may update the summary of its own run
        r = CliRun.of("train", "--data", data.toString(), "--steps", "3", "--out", run.toString(), "--val-every", "0", "--ckpt-every", "0",
                "--resume", "--json", json.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("3", CliRun.python(json, "d['step']"));
        // a summary inside the training data is refused before any work
        CliRun bad = CliRun.of("train", "--config", "tiny", "--data", data.toString(), "--out", dir.resolve("r2").toString(),
                "--json", data.resolve("s.json").toString());
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("s.json") && bad.err.lines().count() == 1, bad.err);
        assertEquals(List.of(), Files.exists(dir.resolve("r2")) ? List.of(dir.resolve("r2")) : List.of());
    }
}
