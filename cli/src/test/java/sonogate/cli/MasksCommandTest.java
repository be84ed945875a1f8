package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasksCommandTest extends CommandTest {
    @TempDir Path dir;


    static Path cfd(String name) {
        Path d = TranslateCommandTest.cfdDir();
        assumeTrue(d != null, "shared/data/ultrasound/cfd not found: skipping");
        return d.resolve(name);
    }

    static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).map(p -> d.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aRealCfdClipGivesPreviewsAndCoverage() throws Exception {
        Path echo = cfd("dcm4che_US-PAL-8-10x-echo.dcm");
        Path o = dir.resolve("echo-masks");
        assertEquals(0, run("masks", echo.toString(), o.toString()), err());
        assertTrue(out().contains("10 frame(s) 600x430") && out().contains("% of the sector") && out().contains("in 10/10 frames"), out());
        assertEquals(List.of("00000_mask.png", "00000_overlay.png", "00002_mask.png", "00002_overlay.png", "00005_mask.png",
                "00005_overlay.png", "00007_mask.png", "00007_overlay.png"), names(o));
        BufferedImage mask = ImageIO.read(o.resolve("00005_mask.png").toFile());
        BufferedImage overlay = ImageIO.read(o.resolve("00005_overlay.png").toFile());
        assertEquals(600, mask.getWidth());
        assertEquals(430, overlay.getHeight());
        int colour = 0, rim = 0;
        for (int y = 0; y < 430; y++) {
            for (int x = 0; x < 600; x++) {
                int v = mask.getRaster().getSample(x, y, 0);
                if (v == 255) colour++;
                if (v == 128) rim++;
            }
        }
        assertTrue(colour > 5000 && rim > 500, colour + " colour, " + rim + " rim pixels");
        // --previews all and --threshold
        Path all = dir.resolve("all");
        assertEquals(0, run("masks", "--previews", "all", "--threshold", "60", echo.toString(), all.toString()), err());
        assertEquals(20, names(all).size());
    }

    @Test
    void aFolderOfClipsSkipsBadFilesAndWritesTheJsonSummary() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in/sub"));
        Files.createSymbolicLink(in.resolve("us1.dcm"), cfd("pydicom-data_US1_UNCR.dcm"));
        Files.createSymbolicLink(dir.resolve("in/eso.dcm"), cfd("dcm4che_US-RGB-8-esopecho.dcm"));
        Files.writeString(dir.resolve("in/broken.dcm"), "not a clip");
        Files.writeString(dir.resolve("in/README.md"), "notes are not clips");
        Path o = dir.resolve("o"), json = dir.resolve("summary.json");
        assertEquals(1, run("masks", "--json", json.toString(), dir.resolve("in").toString(), o.toString()));
        String e = err();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("sonogate masks: ") && e.contains("broken.dcm"), e);
        assertTrue(out().contains("eso.dcm: 1 frame(s) 256x120") && out().contains("sub/us1.dcm: 1 frame(s) 640x480"), out());
        assertTrue(out().contains("masks: 2 ok, 1 failed; 2 frames in "), out());
        assertEquals(List.of("eso.dcm/00000_mask.png", "eso.dcm/00000_overlay.png", "sub/us1.dcm/00000_mask.png",
                "sub/us1.dcm/00000_overlay.png"), names(o));
        String j = Files.readString(json);
        assertTrue(j.contains("\"clip\": \"eso.dcm\"") && j.contains("\"clip\": \"sub/us1.dcm\"") && j.contains("broken.dcm")
                && j.contains("\"coverage_of_sector\"") && j.contains("\"threshold\": 30"), j);
        assertEquals(2, j.split("\"frames_with_colour\": 1").length - 1, j);
        // The summary is valid JSON (checked with Python when it is there).
        checkJson(json);
    }

    private static void checkJson(Path json) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) return;
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import json,sys; d=json.load(open(sys.argv[1])); "
                + "assert len(d['clips']) == 2 and len(d['failures']) == 1 and d['failed'] == 1 and d['ok'] == 2, d", json.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
    }

    @Test
    void aFolderOfFramesIsOneClip() throws Exception {
        Path frames = Files.createDirectory(dir.resolve("frames"));
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(96, 80, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 80; y++) {
                for (int x = 0; x < 96; x++) {
                    boolean flow = Math.hypot(x - 40 - i, y - 40) < 12;
                    int v = 30 + rng.nextInt(150);
                    img.setRGB(x, y, flow ? (150 + rng.nextInt(100)) << 16 | rng.nextInt(50) << 8 : v * 0x010101);
                }
            }
            ImageIO.write(img, "png", frames.resolve(String.format("f%03d.png", i)).toFile());
        }
        Path o = dir.resolve("o");
        assertEquals(0, run("masks", frames.toString(), o.toString()), err());
        assertTrue(out().contains("frames: 3 frame(s) 96x80") && out().contains("in 3/3 frames"), out());
        assertEquals(6, names(o).size());
    }

    @Test
    void syntheticFlowOnARealBmodeImageIsMeasured() throws Exception {
        Path cfd = TranslateCommandTest.cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound not found: skipping");
        Path thyroid = cfd.resolveSibling("bmode-image").resolve("dcm4che_YBR_FULL-RLE.dcm");
        Path o = dir.resolve("o"), json = dir.resolve("s.json");
        long seed = System.nanoTime();
        assertEquals(0, run("masks", "--synthetic", Long.toString(seed), "--json", json.toString(), thyroid.toString(), o.toString()), err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("IoU with the painted flow ([0-9.]+)").matcher(out());
        assertTrue(m.find(), out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.95, "seed " + seed + ": " + out());
        assertEquals(List.of("00000_mask.png", "00000_overlay.png", "00000_painted.png"), names(o));
        assertTrue(Files.readString(json).contains("\"iou_mean\""));
        assertEquals(2, run("masks", "--synthetic", "x", thyroid.toString(), o.toString()));
    }

    @Test
    void existingOutputNeedsForceAndInputsAreNeverOutputs() throws Exception {
        Path eso = cfd("dcm4che_US-RGB-8-esopecho.dcm");
        Path o = Files.createDirectory(dir.resolve("o"));
        Files.writeString(o.resolve("keep.txt"), "old");
        assertEquals(1, run("masks", eso.toString(), o.toString()));
        assertTrue(err().contains("--force") && err().lines().count() == 1, err());
        assertEquals("old", Files.readString(o.resolve("keep.txt")));
        assertEquals(0, run("masks", "--force", eso.toString(), o.toString()), err());
        assertFalse(Files.exists(o.resolve("keep.txt")));
        assertEquals(2, names(o).size());
        Path json = Files.writeString(dir.resolve("s.json"), "{}");
        assertEquals(1, run("masks", "--json", json.toString(), eso.toString(), dir.resolve("p").toString()));
        assertTrue(err().contains("--force"), err());
        assertEquals("{}", Files.readString(json));
        // OUT inside IN (or IN inside OUT) is refused, even with --force
        Path in = Files.createDirectory(dir.resolve("in"));
        Files.createSymbolicLink(in.resolve("eso.dcm"), eso);
        assertEquals(1, run("masks", "--force", in.toString(), in.resolve("out").toString()));
        assertEquals(1, run("masks", "--force", in.toString(), dir.toString()));
        assertTrue(Files.exists(in.resolve("eso.dcm")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(".")).count(), "no temporaries left");
        }
    }

    @Test
    void badFilesAndBadUsage() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.dcm"), "this is not DICOM at all");
        assertEquals(1, run("masks", junk.toString(), dir.resolve("o").toString()));
        assertTrue(err().startsWith("sonogate masks: ") && err().contains("junk.dcm") && err().lines().count() == 1, err());
        assertFalse(Files.exists(dir.resolve("o")));
        assertEquals(1, run("masks", dir.resolve("missing.dcm").toString(), dir.resolve("o").toString()));
        assertTrue(err().contains("missing.dcm"), err());
        assertEquals(2, run("masks"));
        assertEquals(2, run("masks", junk.toString()));
        assertEquals(2, run("masks", "--threshold", "300", junk.toString(), "o"));
        assertEquals(2, run("masks", "--threshold", "x", junk.toString(), "o"));
        assertEquals(2, run("masks", "--previews", "-1", junk.toString(), "o"));
        assertEquals(2, run("masks", "--colour", junk.toString(), "o"));
        assertEquals(0, run("masks", "--help"));
        assertTrue(out().contains("example"), out());
    }
}
