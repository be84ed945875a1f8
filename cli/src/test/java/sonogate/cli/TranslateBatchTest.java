package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.SideBySide;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.nn.ModelConfig;

/** {@code sonogate translate} on folders of real clips, the JSON summary, --force, HDF5 dataset paths, comparison masks. */
class TranslateBatchTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static Path model;

    @BeforeAll
    static void tinyModel() {
        model = CliRun.untrainedWeights(shared.resolve("tiny.h5"), ModelConfig.TINY, 11);
    }

    /**
     * A folder of clips: two real ones (linked in place, one in a sub-folder), a truncated DICOM,
     * a file that is no clip at all, and a README that is skipped.
     */
    private Path mixedFolder() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.createSymbolicLink(in.resolve("esopecho.dcm"), CliRun.samples("cfd/dcm4che_US-RGB-8-esopecho.dcm"));
        Files.createDirectories(in.resolve("videos"));
        Files.createSymbolicLink(in.resolve("videos/atlas.gif"), CliRun.samples("bmode-video/pocus_Cov-Atlas_45.gif"));
        byte[] echo = Files.readAllBytes(CliRun.samples("cfd/dcm4che_US-PAL-8-10x-echo.dcm"));
        Files.write(in.resolve("cut.dcm"), Arrays.copyOf(echo, echo.length / 2));
        Files.writeString(in.resolve("notes.bin"), "this is not a clip");
        Files.writeString(in.resolve("README.md"), "# clips\n");
        return in;
    }

    private static int frames(Path clip) throws Exception {
        try (ClipReader r = ClipReaders.open(clip)) {
            return r.info().frameCount();
        }
    }

    private static int aviFrames(Path avi) throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(avi), 64);
        assertEquals("RIFF", new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(48);   // avih dwTotalFrames
    }

    private static List<Path> tree(Path d) throws Exception {
        try (Stream<Path> s = Files.walk(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void batchTranslatesEveryReadableClipAndReportsEachBadFileInOneLine() throws Exception {
        Path in = mixedFolder(), out = dir.resolve("out"), json = dir.resolve("summary.json");
        CliRun r = CliRun.of("translate", "--model", model.toString(), "--format", "avi", "--batch", "4", "--json", json.toString(),
                in.toString(), out.toString());
        System.out.print(r.out);
        assertEquals(1, r.code, "a bad file makes the exit code 1: " + r.err);
        List<String> errors = r.err.lines().toList();
        assertEquals(2, errors.size(), r.err);
        assertTrue(errors.get(0).startsWith("sonogate translate: ") && errors.get(0).contains("cut.dcm"), errors.get(0));
        assertTrue(errors.get(1).startsWith("sonogate translate: ") && errors.get(1).contains("notes.bin"), errors.get(1));
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.err);
        assertTrue(r.out.contains("translate: 2 ok, 2 failed; "), r.out);
        // every readable clip translated whole, after the bad one; outputs mirror the input tree
        int eso = frames(in.resolve("esopecho.dcm")), atlas = frames(in.resolve("videos/atlas.gif"));
        assertEquals(eso, aviFrames(out.resolve("esopecho.avi")));
        assertEquals(atlas, aviFrames(out.resolve("videos/atlas.avi")));
        assertEquals(List.of(out, out.resolve("esopecho.avi"), out.resolve("videos"), out.resolve("videos/atlas.avi")), tree(out),
                "nothing for the bad files, no temporaries");
        // the JSON summary, read by Python's json module
        assertEquals("2 2 " + (eso + atlas), CliRun.python(json, "'%d %d %d' % (d['ok'], d['failed'], d['frames'])"));
        assertEquals("['esopecho.dcm', 'videos/atlas.gif']", CliRun.python(json, "[c['clip'] for c in d['clips']]"));
        assertEquals("[" + eso + ", " + atlas + "]", CliRun.python(json, "[c['frames'] for c in d['clips']]"));
        assertEquals("[True, True]", CliRun.python(json, "[c['output'].endswith('.avi') and c['frames_per_second'] > 0 for c in d['clips']]"));
        assertEquals("['cut.dcm', 'notes.bin']", CliRun.python(json, "[f['file'].split('/')[-1] for f in d['failures']]"));
        assertEquals("True", CliRun.python(json, "all('\\n' not in f['error'] and f['file'] in f['error'] for f in d['failures'])"));
        assertEquals("translate tiny avi True", CliRun.python(json, "d['command'], d['config'], d['format'], d['seconds'] > 0")
                .replaceAll("[(),']", ""));
    }

    @Test
    void existingOutputsNeedForceAndAreThenReplaced() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path eso = CliRun.samples("cfd/dcm4che_US-RGB-8-esopecho.dcm");
        Files.createSymbolicLink(in.resolve("eso.dcm"), eso);
        Path out = dir.resolve("out"), json = dir.resolve("s.json");
        CliRun first = CliRun.of("translate", "--model", model.toString(), "--json", json.toString(), in.toString(), out.toString());
        assertEquals(0, first.code, first.err);
        int n = frames(eso);
        Path pngs = out.resolve("eso");
        assertEquals(n, tree(pngs).size() - 1, "one PNG per frame in out/eso/");
        Path marker = Files.writeString(pngs.resolve("marker.txt"), "kept without --force");
        // again without --force: the existing JSON is refused before any work ...
        CliRun again = CliRun.of("translate", "--model", model.toString(), "--json", json.toString(), in.toString(), out.toString());
        assertEquals(1, again.code);
        assertTrue(again.err.contains("s.json") && again.err.contains("--force") && again.err.lines().count() == 1, again.err);
        // ... and each existing output is reported, left as it was
        again = CliRun.of("translate", "--model", model.toString(), in.toString(), out.toString());
        assertEquals(1, again.code);
        assertTrue(again.err.contains("eso") && again.err.contains("--force") && again.err.lines().count() == 1, again.err);
        assertTrue(Files.exists(marker));
        // --force replaces the output folder whole (the marker goes) and the JSON
        CliRun forced = CliRun.of("translate", "--model", model.toString(), "--force", "--json", json.toString(), in.toString(), out.toString());
        assertEquals(0, forced.code, forced.err);
        assertFalse(Files.exists(marker));
        assertEquals(n, tree(pngs).size() - 1);
        assertEquals("1 0", CliRun.python(json, "'%d %d' % (d['ok'], d['failed'])"));
        // an output that is, holds or lies inside the input folder: refused even with --force, input kept
        CliRun inside = CliRun.of("translate", "--model", model.toString(), "--force", in.toString(), in.resolve("out").toString());
        assertEquals(1, inside.code);
        assertTrue(inside.err.contains("is an input"), inside.err);
        CliRun around = CliRun.of("translate", "--model", model.toString(), "--force", in.toString(), dir.toString());
        assertEquals(1, around.code);
        assertTrue(Files.isSymbolicLink(in.resolve("eso.dcm")) && Files.exists(model));
    }

    @Test
    void anHdf5DatasetPathIsAnInput() throws Exception {
        Path eso = CliRun.samples("cfd/dcm4che_US-RGB-8-esopecho.dcm");
        Path h5 = dir.resolve("eso.h5"), again = dir.resolve("again.h5");
        assertEquals(0, CliRun.of("translate", "--model", model.toString(), eso.toString(), h5.toString()).code);
        // translate's output (grey, dataset /frames) read back through FILE.h5:/dataset
        CliRun r = CliRun.of("translate", "--model", model.toString(), "--json", dir.resolve("j.json").toString(), h5 + ":/frames", again.toString());
        assertEquals(0, r.code, r.err);
        try (ClipReader a = ClipReaders.open(h5); ClipReader b = ClipReaders.open(again)) {
            assertEquals(a.info().frameCount(), b.info().frameCount());
            Iterator<Frame> fa = a.frames(), fb = b.frames();
            // grey frames have an empty colour mask: translation keeps every pixel
            while (fa.hasNext()) assertArrayEquals(fa.next().samples(), fb.next().samples());
        }
        CliRun missing = CliRun.of("translate", "--model", model.toString(), h5 + ":/nope", dir.resolve("x.avi").toString());
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("eso.h5") && missing.err.contains("nope") && missing.err.lines().count() == 1, missing.err);
        assertFalse(Files.exists(dir.resolve("x.avi")));
    }

    @Test
    void theComparisonShowsTheTemporallySmoothedMaskTheModelFilled() throws Exception {
        Path echo = CliRun.samples("cfd/dcm4che_US-PAL-8-10x-echo.dcm");
        Path cmp = dir.resolve("cmp");
        CliRun r = CliRun.of("translate", "--model", model.toString(), "--batch", "3", "--compare", cmp.toString(), echo.toString(),
                dir.resolve("out.avi").toString());
        assertEquals(0, r.code, r.err);
        List<byte[]> smoothed = new ArrayList<>(), perFrame = new ArrayList<>();
        try (ClipReader clip = ClipReaders.open(echo)) {
            ColourMask masker = ColourMask.forClip(clip, MaskSettings.defaults());
            masker.stream(clip.frames()).forEachRemaining(m -> smoothed.add(m.mask()));
            clip.frames().forEachRemaining(f -> perFrame.add(masker.apply(f).mask()));
        }
        int w = 600, h = 430, header = SideBySide.headerHeight(w), cw = SideBySide.width(w);
        List<Path> frames = tree(cmp).subList(1, tree(cmp).size());
        assertEquals(smoothed.size(), frames.size());
        boolean smoothingMattered = false;
        for (int t = 0; t < frames.size(); t++) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(frames.get(t).toFile());
            assertEquals(cw, img.getWidth());
            byte[] panel = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) panel[y * w + x] = (byte) ((img.getRGB(w + SideBySide.GAP + x, header + y) & 0xFFFFFF) == 0xFFFFFF ? 1 : 0);
            }
            assertArrayEquals(smoothed.get(t), panel, "frame " + t + ": the mask panel is the smoothed mask");
            smoothingMattered |= !Arrays.equals(smoothed.get(t), perFrame.get(t));
        }
        assertTrue(smoothingMattered, "on this clip the smoothed masks differ from per-frame ones somewhere, so the test can tell them apart");
        assertNotEquals(0, smoothed.stream().mapToLong(m -> { long c = 0; for (byte b : m) c += b; return c; }).sum());
    }
}
