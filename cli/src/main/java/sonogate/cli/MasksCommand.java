package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeSet;
import sonogate.io.AtomicFolder;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.PngImage;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskPreview;
import sonogate.io.mask.MaskSettings;
import sonogate.io.mask.MaskStats;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;
import sonogate.io.overlay.CfdOverlay;

/**
 * {@code sonogate masks}: the colour-flow mask estimate of a clip or a folder of clips, as preview
 * pictures and coverage figures, for checking what {@code translate} will fill.
 */
final class MasksCommand {
    private MasksCommand() {}

    static final String USAGE = """
            usage: sonogate masks IN OUT [--threshold T] [--previews N|all] [--synthetic SEED] [--json FILE] [--force]
              IN              a clip (any format translate reads, see sonogate translate --help; FILE.h5:/dataset
                              too), a PNG/JPEG image, a folder of PNG/JPEG frames (one clip), or a folder of clips
                              (every file below it, sub-folders included; .md/.txt/.json/.csv files skipped)
              OUT             a folder, written atomically; per clip (a sub-folder in folder mode) and previewed frame:
                              NNNNN_overlay.png  the frame, colour estimate tinted magenta, mask outline magenta,
                                                 imaging sector outline dashed green
                              NNNNN_mask.png     the mask: 255 colour, 128 the dilation rim, 0 elsewhere
              --threshold T   colour when max(R,G,B) - min(R,G,B) > T, 0..255 (default 30; hysteresis at T/2)
              --previews N    previewed frames per clip, spread evenly (default 4; 'all' for every frame)
              --synthetic SEED  paint synthetic colour flow of known shape over the (B-mode) clip first, as a
                              scanner would (sonogate.io.overlay.CfdOverlay, 10-30% of the sector; the seed picks
                              shapes, palette and box outline), estimate the masks from the painted frames and
                              print their IoU with the painted pixels (previews add NNNNN_painted.png)
              --json FILE     also write a JSON summary (per clip: frames, size, sector, coverage; failures; totals)
              --force         replace an existing OUT and --json FILE (never an input)
            Prints per clip the frames, the sector and the colour coverage (mean and max % of the sector, % of
            the frame), a progress bar (frames/s, ETA) on a terminal or plain lines otherwise, and a summary.
            A file that cannot be read is reported in one line and skipped, the others go on.
            Exit code: 0 every clip done, 1 any clip failed, 2 bad usage.
            examples:
              sonogate masks echo.dcm echo-masks
              sonogate masks --threshold 40 --previews all --json masks.json ../shared/data/ultrasound/cfd cfd-masks
              sonogate masks --synthetic 7 ../shared/data/ultrasound/bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm aloka""";

    /** One clip's figures. */
    record ClipSummary(String name, int frames, int width, int height, String sector, double sectorFraction,
                       double meanOfSector, double maxOfSector, double meanOfFrame, int framesWithColour,
                       double iouMean, double iouMin) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        MaskSettings settings = MaskSettings.defaults();
        int previews = 4;
        boolean force = false;
        Path json = null;
        Long synthetic = null;
        List<String> positional = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--force" -> force = true;
                    case "--json" -> json = Path.of(UsageError.value(args, ++i, a));
                    case "--synthetic" -> synthetic = UsageError.longValue(args, ++i, a);
                    case "--threshold" -> settings = settings.withThreshold(UsageError.intValue(args, ++i, a, 0, 255));
                    case "--previews" -> {
                        boolean all = UsageError.value(args, i + 1, a).equals("all");
                        previews = all ? Integer.MAX_VALUE : UsageError.intValue(args, i + 1, a, 0, Integer.MAX_VALUE);
                        i++;
                    }
                    default -> {
                        if (a.startsWith("-") && a.length() > 1) throw new UsageError("unknown option '" + a + "'");
                        positional.add(a);
                    }
                }
            }
        } catch (UsageError e) {
            return usage(err, e.getMessage());
        }
        if (positional.size() != 2) return usage(err, "needs IN and OUT, got " + positional.size() + " path(s)");
        return masks(Path.of(positional.get(0)), Path.of(positional.get(1)), json, settings, previews, synthetic, force, out, err);
    }

    private static int masks(Path in, Path outDir, Path json, MaskSettings settings, int previews, Long synthetic,
                             boolean force, PrintStream out, PrintStream err) {
        Path onDisk = ClipInputs.onDisk(in);
        if (onDisk == null) return fail(err, in + ": no such file or folder");
        Path inAbs = onDisk.toAbsolutePath().normalize(), outAbs = outDir.toAbsolutePath().normalize();
        if (outAbs.startsWith(inAbs) || inAbs.startsWith(outAbs)) {
            return fail(err, outDir + ": the output must not be, contain or lie inside the input " + in);
        }
        JsonReport report;
        try {
            report = JsonReport.open(json, force, List.of(onDisk), List.of(outDir));
        } catch (IOException e) {
            return fail(err, e.getMessage());
        }
        List<Path> clips;
        boolean folderMode;
        try {
            folderMode = ClipInputs.isBatch(in);
            clips = folderMode ? ClipInputs.clipsIn(in) : List.of(in);
        } catch (IOException | UncheckedIOException e) {
            return fail(err, in + ": cannot list: " + ErrorText.of(e));
        }
        if (clips.isEmpty()) return fail(err, in + ": no clips in the folder");
        List<ClipSummary> done = new ArrayList<>();
        List<Map<String, Object>> failed = new ArrayList<>();
        FrameProgress progress = FrameProgress.forStream(out);
        long t0 = System.nanoTime();
        try (AtomicFolder folder = AtomicFolder.create(outDir, force)) {
            for (int k = 0; k < clips.size(); k++) {
                Path clip = clips.get(k);
                String name = folderMode ? in.relativize(clip).toString() : clip.getFileName().toString();
                String label = folderMode ? "[" + (k + 1) + "/" + clips.size() + "] " + name : name;
                Path dest = folderMode ? folder.dir().resolve(in.relativize(clip).toString()) : folder.dir();
                String why = null;
                try {
                    Files.createDirectories(dest);
                    ClipSummary s = clip(clip, name, label, dest, settings, previews, synthetic, progress);
                    done.add(s);
                    progress.message(line(s));
                } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                    why = ErrorText.of(e);
                } catch (RuntimeException e) { // a reader bug must still end in one line, not a stack trace
                    why = "internal error (please report): " + ErrorText.of(e);
                } catch (OutOfMemoryError e) { // readers refuse lying sizes first; this is the last resort
                    why = "out of memory (a larger -Xmx may help)";
                } finally {
                    progress.endBar();
                }
                if (why != null) {
                    String line = why.contains(clip.toString()) ? why : clip + ": " + why;
                    err.println("sonogate masks: " + line);
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("file", clip.toString());
                    f.put("error", line);
                    failed.add(f);
                    if (folderMode) AtomicFolder.deleteTree(dest);
                }
            }
            if (done.isEmpty() && folderMode) err.println("sonogate masks: no clip could be read; nothing written");
            if (!done.isEmpty()) folder.commit();
        } catch (IOException e) {
            return fail(err, ErrorText.of(e));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long frames = done.stream().mapToLong(ClipSummary::frames).sum();
        if (report != null) {
            try {
                report.write(summary(in, outDir, done, failed, settings.threshold(), frames, seconds));
            } catch (IOException e) {
                return fail(err, e.getMessage());
            }
        }
        if (!done.isEmpty()) {
            out.printf(Locale.ROOT, "masks: %d ok, %d failed; %d frames in %.2f s (%.1f frames/s) -> %s%n", done.size(), failed.size(),
                    frames, seconds, frames / Math.max(seconds, 1e-9), outDir);
        }
        return failed.isEmpty() ? 0 : 1;
    }

    /**
     * Estimates every frame's mask (of the painted frames with {@code synthetic}), writes the
     * previews into {@code dest}, returns the figures.
     */
    private static ClipSummary clip(Path file, String name, String label, Path dest, MaskSettings settings, int previews,
                                    Long synthetic, FrameProgress progress) throws IOException {
        try (ClipReader reader = ClipInputs.open(file)) {
            int n = reader.info().frameCount(), w = reader.info().width(), h = reader.info().height();
            Iterator<Frame> source = reader.frames();
            ColourMask masker;
            Sector sector;
            ArrayDeque<byte[]> truths = new ArrayDeque<>();
            if (synthetic == null) {
                masker = ColourMask.forClip(reader, settings);
                sector = masker.sector();
            } else {
                // Paint over the clip's tissue; estimate the masks from the painted frames alone
                // (the sector from the DICOM regions when the file has them, else from those frames).
                sector = SectorEstimator.forClip(reader, settings.sector());
                CfdOverlay overlay = CfdOverlay.plan(sector, CfdOverlay.Settings.forSeed(synthetic), synthetic);
                masker = new ColourMask(settings, SectorEstimator.fromRegions(reader.info()));
                Iterator<Frame> plain = source;
                source = new Iterator<>() {
                    int t;

                    public boolean hasNext() {
                        return plain.hasNext();
                    }

                    public Frame next() {
                        CfdOverlay.Rendered r = overlay.render(plain.next(), t++);
                        truths.add(r.truth());
                        return r.frame();
                    }
                };
            }
            TreeSet<Integer> previewed = new TreeSet<>();
            int k = Math.min(n, previews);
            for (int i = 0; i < k; i++) previewed.add((int) ((long) i * n / k));
            // The stream reads ahead; keep the frames it has read until their results come back.
            ArrayDeque<Frame> pending = new ArrayDeque<>();
            Iterator<Frame> frames = source;
            Iterator<Frame> recorded = new Iterator<>() {
                public boolean hasNext() {
                    return frames.hasNext();
                }

                public Frame next() {
                    Frame f = frames.next();
                    pending.add(f);
                    return f;
                }
            };
            Iterator<ColourMask.Result> results = masker.stream(recorded);
            progress.start(label, n);
            double sumSector = 0, maxSector = 0, sumFrame = 0, sumIou = 0, minIou = 1;
            int withColour = 0;
            for (int i = 0; results.hasNext(); i++) {
                ColourMask.Result r = results.next();
                Frame f = pending.poll();
                long colour = MaskStats.count(r.colour());
                double ofSector = (double) colour / sector.area();
                sumSector += ofSector;
                maxSector = Math.max(maxSector, ofSector);
                sumFrame += (double) colour / ((long) w * h);
                if (colour > 0) withColour++;
                if (synthetic != null) {
                    double iou = MaskStats.iou(r.colour(), truths.poll());
                    sumIou += iou;
                    minIou = Math.min(minIou, iou);
                }
                if (previewed.contains(i)) {
                    PngImage.write(MaskPreview.overlay(f, r, sector), dest.resolve(String.format("%05d_overlay.png", i)));
                    PngImage.write(MaskPreview.mask(r), dest.resolve(String.format("%05d_mask.png", i)));
                    if (synthetic != null) PngImage.write(f, dest.resolve(String.format("%05d_painted.png", i)));
                }
                progress.frame();
            }
            return new ClipSummary(name, n, w, h, sector.toString(), sector.fraction(), sumSector / n, maxSector, sumFrame / n,
                    withColour, synthetic == null ? Double.NaN : sumIou / n, synthetic == null ? Double.NaN : minIou);
        }
    }

    static String line(ClipSummary s) {
        String iou = Double.isNaN(s.iouMean()) ? ""
                : String.format(Locale.ROOT, "; IoU with the painted flow %.4f (min %.4f)", s.iouMean(), s.iouMin());
        return String.format(Locale.ROOT, "%s: %d frame(s) %dx%d, sector %s; colour %.1f%% of the sector (max %.1f%%), "
                        + "%.2f%% of the frame, in %d/%d frames%s",
                s.name(), s.frames(), s.width(), s.height(), s.sector(), 100 * s.meanOfSector(), 100 * s.maxOfSector(),
                100 * s.meanOfFrame(), s.framesWithColour(), s.frames(), iou);
    }

    private static Map<String, Object> summary(Path in, Path outDir, List<ClipSummary> done, List<Map<String, Object>> failed,
                                               int threshold, long frames, double seconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "masks");
        s.put("input", in.toString());
        s.put("output", outDir.toString());
        s.put("threshold", threshold);
        BatchTotals.put(s, done.size(), failed.size(), frames, seconds);
        List<Map<String, Object>> clips = new ArrayList<>();
        for (ClipSummary c : done) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clip", c.name());
            m.put("frames", c.frames());
            m.put("width", c.width());
            m.put("height", c.height());
            m.put("sector", c.sector());
            m.put("sector_fraction", c.sectorFraction());
            m.put("coverage_of_sector", c.meanOfSector());
            m.put("coverage_of_sector_max", c.maxOfSector());
            m.put("coverage_of_frame", c.meanOfFrame());
            m.put("frames_with_colour", c.framesWithColour());
            if (!Double.isNaN(c.iouMean())) {
                m.put("iou_mean", c.iouMean());
                m.put("iou_min", c.iouMin());
            }
            clips.add(m);
        }
        s.put("clips", clips);
        s.put("failures", failed);
        return s;
    }

    private static int fail(PrintStream err, String message) {
        err.println("sonogate masks: " + message);
        return 1;
    }

    private static int usage(PrintStream err, String message) {
        return UsageError.report(err, "masks", message);
    }
}
