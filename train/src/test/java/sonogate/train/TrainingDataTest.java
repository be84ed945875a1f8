package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.FrameWriter;
import sonogate.io.WriterOptions;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;
import sonogate.io.overlay.CfdOverlay;
import sonogate.train.data.ImagingSector;

/** Training frames from the real clips of ../shared/data/ultrasound, read the way {@code sonogate train} reads them. */
class TrainingDataTest {
    @TempDir Path tmp;

    private static Path real(String relative) {
        Path root = TrainFixtures.realData();
        assumeTrue(root != null && Files.isRegularFile(root.resolve(relative)), "SKIPPED: " + relative + " not found under shared/data/ultrasound");
        return root.resolve(relative);
    }

    private static Map<String, FrameDataset.Clip> byFileName(FrameDataset ds) {
        List<FrameDataset.Clip> all = new ArrayList<>(ds.train());
        all.addAll(ds.validation());
        return all.stream().collect(Collectors.toMap(c -> Path.of(c.name()).getFileName().toString(), Function.identity()));
    }

    /**
     * Videos (MP4 H.264, MPEG-2, GIF), DICOM and PNG all give frames through ClipReaders, evenly
     * strided: each equals the frame decoded independently by random access and letterboxed;
     * the hold-out clip, the HC18 label image and the colour-flow clip give none.
     */
    @Test
    void everyFormatGivesStridedFramesAndTheExclusionsHold() throws Exception {
        List<Path> files = List.of(real("bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4"), real("bmode-video/pocus_Reg_pat1Image_133410.mpeg"),
                real("bmode-video/pocus_Cov-Atlas_45.gif"), real("bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm"), real("bmode-image/hc18_000_HC.png"),
                real("bmode-image/hc18_000_HC_Annotation.png"), real("bmode-image/hc18_002_HC.png"), real("cfd/dcm4che_US-PAL-8-10x-echo.dcm"));
        int size = 48, perClip = 5;
        FrameDataset ds = FrameDataset.load(files, size, 0, FrameDataset.Options.defaults().withMaxFramesPerClip(perClip).withThreads(2));
        Map<String, FrameDataset.Clip> clips = byFileName(ds);
        String notes = String.join("\n", ds.notes());
        assertEquals(Map.of("pocus_Pneu_liftl_pneu_case3_clip3.mp4", 5, "pocus_Reg_pat1Image_133410.mpeg", 5, "pocus_Cov-Atlas_45.gif", 5,
                        "pydicom-data_gdcm-US-ALOKA-16.dcm", 1, "hc18_000_HC.png", 1),
                clips.values().stream().collect(Collectors.toMap(c -> Path.of(c.name()).getFileName().toString(), FrameDataset.Clip::frameCount)), notes);
        assertTrue(notes.contains("excluded " + files.get(5) + ": a label image"), notes);
        assertTrue(notes.contains("excluded " + files.get(6) + ": on the hold-out list"), notes);
        assertTrue(notes.contains("skipped " + files.get(7) + ": 0 of 10 frames (5 with colour flow left out)"), notes);
        assertTrue(notes.contains("data: 5 files used, 2 excluded, 1 skipped"), notes);

        for (Path f : files.subList(0, 3)) {
            FrameDataset.Clip c = clips.get(f.getFileName().toString());
            try (ClipReader r = ClipReaders.open(f)) {
                int n = r.info().frameCount();
                for (int k = perClip - 1; k >= 0; k--) { // backwards: every read a fresh decode from the start
                    Frame fr = r.readFrame((int) ((long) k * n / perClip));
                    float[] expected = FrameDataset.fit(FrameDataset.grey(fr), fr.width(), fr.height(), size);
                    float[] got = c.frame(k);
                    for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 0.5f / 127.5f + 1e-6f, f + " frame " + k + " pixel " + i);
                }
            }
            ImagingSector s = c.sector();
            assertNotNull(s, f + ": the io module's sector estimate");
            // the letterboxed sector sits on the image: it covers most bright pixels and little black padding
            double in = 0, bright = 0, inBright = 0;
            float[] frame = c.frame(0);
            for (int i = 0; i < frame.length; i++) {
                boolean inside = s.contains(i % size, i / size), lit = frame[i] > -0.8f;
                if (inside) in++;
                if (lit) bright++;
                if (inside && lit) inBright++;
            }
            assertTrue(inBright / bright > 0.8, f + ": sector covers " + inBright / bright + " of the bright pixels");
            assertTrue(in < 0.95 * frame.length, f + ": sector is not the whole canvas");
        }
    }

    /** Frames painted with synthetic colour flow are dropped, the same clip's grey frames kept. */
    @Test
    void framesShowingColourFlowAreLeftOut() throws Exception {
        Path gif = real("bmode-video/pocus_Cov-Atlas_45.gif");
        Path dir = Files.createDirectories(tmp.resolve("data"));
        int painted = 0, total;
        try (ClipReader r = ClipReaders.open(gif);
             FrameWriter w = FrameWriter.open(dir.resolve("mixed.h5"), FrameWriter.Format.H5, false, WriterOptions.DEFAULT)) {
            Sector sector = SectorEstimator.forClip(r, SectorEstimator.Settings.defaults());
            CfdOverlay overlay = CfdOverlay.plan(sector, CfdOverlay.Settings.forSeed(11), 11);
            total = r.info().frameCount();
            for (int t = 0; t < total; t++) {
                Frame grey = r.readFrame(t);
                Frame rgb = rgb(grey);
                if (t % 3 == 1) {
                    rgb = overlay.render(grey, t).frame();
                    painted++;
                }
                w.write(rgb);
            }
            w.commit();
        }
        FrameDataset ds = FrameDataset.load(List.of(dir), 32, 0, FrameDataset.Options.defaults().withThreads(1));
        assertEquals(total - painted, ds.trainFrameCount(), ds.notes().toString());
        assertTrue(ds.notes().contains("using " + dir.resolve("mixed.h5") + ": " + (total - painted) + " of " + total + " frames (" + painted
                + " with colour flow left out), sector estimated"), ds.notes().toString());
    }

    /** Coloured scanner graphics (ALOKA's green text, markers and cursor) are not colour flow; every real CFD frame is. */
    @Test
    void colourDetectionTellsFlowFromGraphics() throws Exception {
        assertEquals(List.of(false), colourFlowFrames(real("bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm")));
        for (String cfd : List.of("cfd/dcm4che_US-RGB-8-esopecho.dcm", "cfd/orthanc_PrivateTags_GE-LOGIQBook.dcm", "cfd/pydicom-data_US1_UNCR.dcm")) {
            assertEquals(List.of(true), colourFlowFrames(real(cfd)), cfd);
        }
    }

    private static List<Boolean> colourFlowFrames(Path f) throws Exception {
        try (ClipReader r = ClipReaders.open(f)) {
            Sector sector = SectorEstimator.forClip(r, SectorEstimator.Settings.defaults());
            ColourMask cm = new ColourMask(MaskSettings.defaults(), sector);
            List<Boolean> out = new ArrayList<>();
            for (int k = 0; k < r.info().frameCount(); k++) out.add(ClipSampler.showsColourFlow(cm, r.readFrame(k), sector));
            return out;
        }
    }

    private static Frame rgb(Frame grey) {
        if (grey.channels() == 3) return grey;
        byte[] g = grey.samples(), c = new byte[g.length * 3];
        for (int i = 0; i < g.length; i++) c[3 * i] = c[3 * i + 1] = c[3 * i + 2] = g[i];
        return new Frame(grey.width(), grey.height(), 3, c);
    }

    /** The loaded frames do not depend on the number of loading threads. */
    @Test
    void loadingIsDeterministicWhateverTheThreads() throws Exception {
        List<Path> files = List.of(real("bmode-video/pocus_Cov-Atlas_45.gif"), real("bmode-image/busi_normal_1.png"),
                real("bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha"));
        FrameDataset a = FrameDataset.load(files, 32, 0, FrameDataset.Options.defaults().withThreads(1).withMaxFramesPerClip(7));
        FrameDataset b = FrameDataset.load(files, 32, 0, FrameDataset.Options.defaults().withThreads(3).withMaxFramesPerClip(7));
        assertEquals(a.notes(), b.notes());
        List<FrameDataset.Clip> ca = new ArrayList<>(a.train()), cb = new ArrayList<>(b.train());
        ca.addAll(a.validation());
        cb.addAll(b.validation());
        assertEquals(ca.size(), cb.size());
        for (int i = 0; i < ca.size(); i++) {
            assertEquals(ca.get(i).name(), cb.get(i).name());
            for (int k = 0; k < ca.get(i).frameCount(); k++) assertArrayEquals(ca.get(i).frame(k), cb.get(i).frame(k));
            assertArrayEquals(ca.get(i).sector() == null ? null : ca.get(i).sector().mask(), cb.get(i).sector() == null ? null : cb.get(i).sector().mask());
        }
    }

    /** The memory budget caps every clip at the largest common number of frames that fits (checked against a brute-force search). */
    @Test
    void budgetQuotasMatchABruteForceSearch() {
        Random rnd = new Random();
        for (int trial = 0; trial < 200; trial++) {
            int[] counts = new int[1 + rnd.nextInt(8)];
            for (int i = 0; i < counts.length; i++) counts[i] = rnd.nextInt(300);
            int max = 1 + rnd.nextInt(256);
            long budget = 1 + rnd.nextInt(800);
            int[] q = FrameDataset.quotas(counts, max, budget);
            int best = 1;
            for (int cap = 1; cap <= max; cap++) {
                long s = 0;
                for (int c : counts) s += Math.min(c, cap);
                if (s <= budget) best = cap;
            }
            for (int i = 0; i < counts.length; i++) assertEquals(Math.min(counts[i], best), q[i], "counts " + java.util.Arrays.toString(counts) + " max " + max + " budget " + budget);
        }
    }

    @Test
    void budgetBoundsTheFramesKept() throws Exception {
        List<Path> files = List.of(real("bmode-video/pocus_Cov-Atlas_45.gif"), real("bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4"),
                real("bmode-image/busi_normal_1.png"));
        int size = 32;
        FrameDataset ds = FrameDataset.load(files, size, 0, FrameDataset.Options.defaults().withBudgetBytes(21L * size * size).withThreads(2));
        Map<String, FrameDataset.Clip> clips = byFileName(ds);
        assertEquals(10, clips.get("pocus_Cov-Atlas_45.gif").frameCount()); // cap 10: 10 + 10 + 1 = 21 frames
        assertEquals(10, clips.get("pocus_Pneu_liftl_pneu_case3_clip3.mp4").frameCount());
        assertEquals(1, clips.get("busi_normal_1.png").frameCount());
    }

    @Test
    void exclusionsByHoldoutListGlobAndLabelName() {
        DataExclusions ex = DataExclusions.defaults(List.of("cfd/**", "*.gif"));
        Path root = Path.of("/data/ultrasound");
        assertTrue(ex.holdout().contains(Path.of("bmode-video/pocus_Reg_Image_18122_crop.mp4")), ex.holdout().toString());
        for (Path h : ex.holdout()) {
            assertTrue(ex.reason(root.resolve(h), h).startsWith("on the hold-out list"), h.toString());
            // found in a subfolder given as --data: the path still ends with the entry
            assertTrue(ex.reason(root.resolve(h), h.getFileName()).startsWith("on the hold-out list"), h.toString());
        }
        assertNull(ex.reason(root.resolve("bmode-video/pocus_Reg_Image_18122.mp4"), Path.of("bmode-video/pocus_Reg_Image_18122.mp4")));
        assertNull(ex.reason(root.resolve("other/crop.mp4"), Path.of("other/crop.mp4")));
        assertEquals("matches --exclude cfd/**", ex.reason(root.resolve("cfd/a/b.dcm"), Path.of("cfd/a/b.dcm")));
        assertEquals("matches --exclude *.gif", ex.reason(root.resolve("v/x.gif"), Path.of("v/x.gif")));
        assertTrue(ex.reason(root.resolve("i/hc18_005_HC_Annotation.PNG"), Path.of("i/hc18_005_HC_Annotation.PNG")).startsWith("a label image"));
        assertNull(DataExclusions.withoutHoldout(List.of()).reason(root.resolve("bmode-image/hc18_002_HC.png"), Path.of("bmode-image/hc18_002_HC.png")));
    }
}
