package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest extends CommandTest {
    @TempDir Path dir;


    static Path data() {
        Path cfd = TranslateCommandTest.cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound not found: skipping");
        return cfd.getParent();
    }

    @Test
    void evaluatesAClipWithBothOverlaysAndWritesJson() throws Exception {
        Path data = data();
        Path clip = data.resolve("bmode-video/pocus_Reg_Image_18122_crop.mp4"), json = dir.resolve("eval.json");
        String[] args = {"eval", "--max-frames", "2", "--config", "tiny", "--cfd", data.resolve("cfd/dcm4che_US-RGB-8-esopecho.dcm").toString(),
            "--json", json.toString(), clip.toString()};
        assertEquals(0, run(args), err());
        String o = out();
        assertTrue(o.contains("[synthetic]") && o.contains("[real-cfd:") && o.contains("| telea |") && o.contains("| diffusion |")
                && o.contains("| untrained |"), o);
        String j = Files.readString(json);
        assertTrue(j.contains("\"untrained\": {\"ssim\": ") && j.contains("\"mask_iou\": "), j);
        if (sonogate.inference.DefaultModel.bundled()) { // no --model: the bundled default model is evaluated
            assertTrue(o.contains("| sonogate |") && j.contains("\"sonogate\": {\"ssim\": "), o + j);
        } else {
            assertTrue(o.contains("no trained model") && j.contains("\"sonogate\": null"), o + j);
        }
        // An existing JSON is replaced only with --force.
        assertEquals(1, run(args));
        assertTrue(err().contains("output exists"), err());
        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        assertEquals(0, run(forced), err());
        // An input is never overwritten, even with --force.
        long size = Files.size(clip);
        assertEquals(1, run("eval", "--force", "--json", clip.toString(), clip.toString()));
        assertTrue(err().contains("is an input clip"), err());
        assertEquals(size, Files.size(clip));
    }

    @Test
    void badInputAndUsage() {
        assertEquals(2, run("eval", "--max-frames", "0"));
        assertTrue(err().contains("--max-frames 0 must be at least 1"), err());
        assertEquals(2, run("eval", "--bogus"));
        assertEquals(2, run("eval", "--config", "huge"));
        assertEquals(1, run("eval", dir.resolve("missing.mp4").toString()));
        assertTrue(err().contains("missing.mp4: no such file or folder") && err().lines().count() == 1, err());
        assertEquals(1, run("eval", "--model", dir.resolve("nope.h5").toString(), "--cfd", "none", dir.toString()));
        assertFalse(err().contains("Exception"), err());
        assertEquals(0, run("eval", "--help"));
        assertTrue(out().contains("usage: sonogate eval"));
    }

    /**
     * A temporal checkpoint evaluates with each frame's neighbours; --no-neighbours feeds each frame
     * as its own neighbours instead (another fill), and is a one-line error for a model without the option.
     */
    @Test
    void aTemporalModelAndNoNeighbours() throws Exception {
        Path data = data();
        Path clip = data.resolve("bmode-video/pocus_Reg_Image_18122_crop.mp4");
        Path temporal = dir.resolve("temporal.h5"), plain = dir.resolve("plain.h5");
        CliRun.untrainedWeights(temporal, sonogate.nn.ModelConfig.named("tiny-temporal"), 3);
        CliRun.untrainedWeights(plain, sonogate.nn.ModelConfig.TINY, 3);
        Path withJson = dir.resolve("with.json"), withoutJson = dir.resolve("without.json");
        assertEquals(0, run("eval", "--model", temporal.toString(), "--max-frames", "2", "--cfd", "none", "--json", withJson.toString(), clip.toString()), err());
        assertTrue(out().contains("| sonogate |"), out());
        assertEquals(0, run("eval", "--model", temporal.toString(), "--max-frames", "2", "--cfd", "none", "--json", withoutJson.toString(),
                "--no-neighbours", clip.toString()), err());
        assertTrue(out().contains("own previous and next frame"), out());
        String with = Files.readString(withJson), without = Files.readString(withoutJson);
        String telea = "\"telea\"";
        assertEquals(with.substring(with.indexOf(telea), with.indexOf("\"untrained\"")), without.substring(without.indexOf(telea), without.indexOf("\"untrained\"")));
        assertFalse(with.substring(0, with.indexOf(telea)).equals(without.substring(0, without.indexOf(telea))), "the neighbours change the model's fill");
        assertEquals(1, run("eval", "--model", plain.toString(), "--no-neighbours", "--cfd", "none", clip.toString()));
        assertTrue(err().contains("plain.h5: config tiny is not temporal") && err().lines().count() == 1, err());
    }

    @Test
    void aBadClipIsReportedAndSkipped() throws Exception {
        Path data = data();
        Path bad = dir.resolve("broken.dcm");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        assertEquals(1, run("eval", "--max-frames", "1", "--config", "tiny", "--cfd", "none", bad.toString(),
                data.resolve("bmode-image/busi_malignant_1.png").toString()));
        assertTrue(out().contains("skipped") && out().contains("broken.dcm") && out().contains("busi_malignant_1.png [synthetic]"), out());
    }
}
