package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.Checkpoint;

class TranslateCommandTest extends CommandTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static Path model;

    @BeforeAll
    static void tinyModel() {
        model = CliRun.untrainedWeights(shared.resolve("tiny.h5"), ModelConfig.TINY, 7);
    }

    private void assertOneLineError(String mustContain) {
        String e = err();
        assertTrue(e.startsWith("sonogate translate: ") && e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, e);
        assertTrue(e.contains(mustContain), e);
    }

    static Path cfdDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            for (Path c : new Path[] {d.resolve("shared/data/ultrasound/cfd"), d.resolve("../shared/data/ultrasound/cfd")}) {
                if (Files.isDirectory(c)) return c.normalize();
            }
        }
        return null;
    }

    static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void translatesEveryRealCfdFileToOnePngPerFrame() throws Exception {
        Path cfd = cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound/cfd not found: skipping");
        List<Path> files = list(cfd).stream().filter(p -> p.toString().endsWith(".dcm")).toList();
        assertEquals(4, files.size());
        for (Path f : files) {
            Path o = dir.resolve(f.getFileName() + ".out");
            assertEquals(0, run("translate", "--model", model.toString(), f.toString(), o.toString()), err());
            String line = out();
            assertTrue(line.contains("frames/s"), line);
            System.out.print(line.replace("\r", ""));
            try (ClipReader r = ClipReaders.open(f)) {
                List<Path> pngs = list(o);
                assertEquals(r.info().frameCount(), pngs.size(), f.toString());
                BufferedImage img = ImageIO.read(pngs.get(0).toFile());
                assertEquals(r.info().width(), img.getWidth());
                assertEquals(r.info().height(), img.getHeight());
            }
        }
        // the multi-frame clip as HDF5
        Path echo = cfd.resolve("dcm4che_US-PAL-8-10x-echo.dcm");
        Path h5 = dir.resolve("echo.h5");
        assertEquals(0, run("translate", "--model", model.toString(), "--batch", "4", echo.toString(), h5.toString()), err());
        try (HdfFile hf = new HdfFile(h5)) {
            assertEquals(List.of(10, 430, 600), java.util.Arrays.stream(hf.getDatasetByPath("frames").getDimensions()).boxed().toList());
        }
    }

    @Test
    void withoutModelTheBundledDefaultModelTranslates() throws Exception {
        Path cfd = cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound/cfd not found: skipping");
        Path esop = cfd.resolve("dcm4che_US-RGB-8-esopecho.dcm"), o = dir.resolve("esop"), json = dir.resolve("run.json");
        int code = run("translate", "--json", json.toString(), esop.toString(), o.toString());
        if (!sonogate.inference.DefaultModel.bundled()) {
            assertEquals(1, code);
            assertOneLineError("no --model given and this build carries no bundled default model");
            return;
        }
        assertEquals(0, code, err());
        assertEquals(1, list(o).size());
        assertTrue(Files.readString(json).contains("\"model\": \"bundled default"), Files.readString(json));
    }

    @Test
    void exportWritesTheGeneratorAloneAndTranslateLoadsIt() throws Exception {
        Path training = dir.resolve("training.h5"), weights = dir.resolve("weights.h5");
        try (Translator t = new Translator(ModelConfig.TINY, Device.CPU, new java.util.Random().nextLong())) {
            Checkpoint.saveWeights(training, t, 42, Map.of("lr", 1e-4));
            assertEquals(0, run("export", "--model", training.toString(), weights.toString()), err());
            var info = Checkpoint.readConfig(weights);
            assertEquals(42, info.step());
            assertEquals("training.h5", info.settings().get("exported_from"));
            assertEquals(1e-4, info.settings().get("lr"));
            try (Translator g = Translator.forInference(ModelConfig.TINY, Device.CPU, 0)) {
                Checkpoint.loadWeights(weights, g);
                long n = t.generatorSlabLength();
                float[] all = t.parameters().slab().toFloatArray();
                org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOf(all, Math.toIntExact(n)), g.parameters().slab().toFloatArray());
            }
            assertTrue(Files.size(weights) < Files.size(training) * 0.6, "no discriminator in the export");
        }
        assertEquals(1, run("export", "--model", training.toString(), weights.toString()));
        assertTrue(err().contains("already exists"), err());
        assertEquals(0, run("export", "--model", training.toString(), "--force", weights.toString()), err());
        assertEquals(1, run("export", "--model", training.toString(), "--force", training.toString()));
        assertTrue(err().contains("is the checkpoint itself"), err());
        assertEquals(1, run("export", "--model", dir.resolve("missing.h5").toString(), dir.resolve("x.h5").toString()));
        assertEquals(1, err().lines().count(), err());
        Path frames = Files.createDirectory(dir.resolve("frames"));
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, x < 15 && y < 15 ? 0xE01020 : (x * 6 % 256) * 0x010101);
        ImageIO.write(img, "png", frames.resolve("f000.png").toFile());
        assertEquals(0, run("translate", "--model", weights.toString(), frames.toString(), dir.resolve("o.h5").toString()), err());
    }

    @Test
    void aFolderOfPngFramesIsAnInput() throws Exception {
        Path frames = Files.createDirectory(dir.resolve("in"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 40; y++) for (int x = 0; x < 50; x++) img.setRGB(x, y, x < 20 && y < 20 ? 0xE01020 : (x * 5 % 256) * 0x010101);
            ImageIO.write(img, "png", frames.resolve(String.format("f%03d.png", i)).toFile());
        }
        Path o = dir.resolve("out.h5");
        assertEquals(0, run("translate", "--model", model.toString(), "--batch", "2", frames.toString(), o.toString()), err());
        try (HdfFile hf = new HdfFile(o)) {
            assertEquals(List.of(3, 40, 50), java.util.Arrays.stream(hf.getDatasetByPath("frames").getDimensions()).boxed().toList());
        }
    }

    @Test
    void badInputIsAOneLineErrorNamingTheFile() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.dcm"), "this is not DICOM at all");
        assertEquals(1, run("translate", "--model", model.toString(), junk.toString(), dir.resolve("o").toString()));
        assertOneLineError("junk.dcm");
        assertTrue(!Files.exists(dir.resolve("o")));
        assertEquals(1, run("translate", "--model", dir.resolve("nope.h5").toString(), junk.toString(), dir.resolve("o").toString()));
        assertOneLineError("nope.h5");
        assertEquals(1, run("translate", "--model", model.toString(), dir.resolve("missing.dcm").toString(), dir.resolve("o").toString()));
        assertOneLineError("missing.dcm");
        assertEquals(1, run("translate", "--model", junk.toString(), junk.toString(), dir.resolve("o").toString()));
        assertOneLineError("junk.dcm");
        // usage errors: exit 2
        assertEquals(2, run("translate", "--model", model.toString(), junk.toString()));
        assertEquals(2, run("translate", "--model", model.toString(), "--batch", "0", junk.toString(), "o"));
        assertEquals(2, run("translate", "--model", model.toString(), "--format", "mp4", junk.toString(), "o"));
        assertTrue(err().contains("MP4 output is not supported"), err());
        assertEquals(2, run("translate", "--model", model.toString(), junk.toString(), "o.mov"));
        assertEquals(2, run("translate", "--model", model.toString(), "--compare", "o.avi", junk.toString(), "o.avi"));
        assertTrue(err().contains("is OUT itself"), err());
        assertEquals(0, run("translate", "--help"));
        assertTrue(out().contains("examples:"));
    }

    @Test
    void existingOutputNeedsForceAndAnInputIsNeverOverwritten() throws Exception {
        Path frames = Files.createDirectory(dir.resolve("in"));
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, (x + y) % 3 == 0 && x > 30 ? 0x2020F0 : 0x505050);
        ImageIO.write(img, "png", frames.resolve("a.png").toFile());
        Path o = dir.resolve("o.h5");
        assertEquals(0, run("translate", "--model", model.toString(), frames.toString(), o.toString()), err());
        byte[] first = Files.readAllBytes(o);
        Files.writeString(o, "old");
        assertEquals(1, run("translate", "--model", model.toString(), frames.toString(), o.toString()));
        assertOneLineError("--force");
        assertEquals("old", Files.readString(o));
        assertEquals(0, run("translate", "--model", model.toString(), "--force", frames.toString(), o.toString()), err());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(o)), "same input, same model: same bytes");
        // an input as the output, even with --force
        assertEquals(1, run("translate", "--model", model.toString(), "--force", frames.toString(), frames.toString()));
        assertOneLineError("is an input");
        assertEquals(1, run("translate", "--model", model.toString(), "--force", "--format", "h5", frames.toString(), model.toString()));
        assertOneLineError("is an input");
        assertTrue(Files.exists(frames.resolve("a.png")));
        assertEquals(1, list(dir).stream().filter(p -> p.getFileName().toString().startsWith(".")).count() == 0 ? 1 : 0, "no temporaries left");
    }
    @Test
    void gifOutputWithAnAviComparisonClip() throws Exception {
        Path cfd = cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound/cfd not found: skipping");
        Path echo = cfd.resolve("dcm4che_US-PAL-8-10x-echo.dcm");
        Path gif = dir.resolve("echo.gif"), avi = dir.resolve("echo-compare.avi");
        assertEquals(0, run("translate", "--model", model.toString(), "--batch", "3", "--compare", avi.toString(),
                echo.toString(), gif.toString()), err());
        assertTrue(out().contains("comparison -> "), out());
        byte[] bytes = Files.readAllBytes(avi);
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(10, head.getInt(48), "avih dwTotalFrames: one comparison frame per input frame");
        assertEquals(3 * 600 + 2 * sonogate.io.SideBySide.GAP, head.getInt(64), "avih dwWidth");
        assertEquals(430 + sonogate.io.SideBySide.headerHeight(600), head.getInt(68), "avih dwHeight");
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(10, reader.getNumImages(true));
            assertEquals(600, reader.getWidth(0));
            assertEquals(430, reader.getHeight(0));
            reader.dispose();
        }
        // the comparison target is checked like OUT: never an input, replaced only with --force
        assertEquals(1, run("translate", "--model", model.toString(), "--force", "--compare", echo.toString(), echo.toString(),
                dir.resolve("x.avi").toString()));
        assertOneLineError("is an input");
        assertEquals(1, run("translate", "--model", model.toString(), "--compare", gif.toString(), echo.toString(),
                dir.resolve("y.avi").toString()));
        assertOneLineError("--force");
        assertTrue(!Files.exists(dir.resolve("y.avi")), "nothing written when the comparison target is refused");
    }

    @Test
    void truncatedRealFileIsAOneLineError() throws Exception {
        Path cfd = cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound/cfd not found: skipping");
        byte[] all = Files.readAllBytes(cfd.resolve("dcm4che_US-PAL-8-10x-echo.dcm"));
        Path cut = Files.write(dir.resolve("cut.dcm"), java.util.Arrays.copyOf(all, all.length / 2));
        assertEquals(1, run("translate", "--model", model.toString(), cut.toString(), dir.resolve("o.avi").toString()));
        assertOneLineError("cut.dcm");
        assertTrue(!Files.exists(dir.resolve("o.avi")));
        assertEquals(1, list(dir).size(), "no temporary output left");
    }
}
