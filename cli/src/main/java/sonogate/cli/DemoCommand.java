package sonogate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import sonogate.eval.CaseResult;
import sonogate.eval.EvalCase;
import sonogate.eval.EvalReport;
import sonogate.eval.Evaluation;
import sonogate.eval.FillMethod;
import sonogate.eval.GreyClip;
import sonogate.inference.DefaultModel;
import sonogate.inference.SonogateModel;
import sonogate.io.AtomicFolder;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.FrameWriter;
import sonogate.io.PngImage;
import sonogate.io.SideBySide;
import sonogate.io.WriterOptions;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskPreview;
import sonogate.io.mask.MaskSettings;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.CheckpointException;

/**
 * {@code sonogate demo}: translates the two bundled real clips (a power-Doppler DICOM, and a lung
 * B-mode clip with synthetic colour flow painted over it) and writes pictures, clips and an HTML
 * report ({@link DemoReport}).
 */
final class DemoCommand {
    private DemoCommand() {}

    static final String USAGE = """
            usage: sonogate demo [--out DIR] [--model CKPT] [--frames N] [--force]
              --out DIR      where to write (default out/demo); a folder written by an earlier demo is replaced,
                             anything else only with --force
              --model CKPT   the translator (default: the bundled default model; without one, the untrained model)
              --frames N     frames of the B-mode clip (default 24)
            Writes DIR/index.html (metrics table and pictures), DIR/metrics.json (that table in eval --json's schema), the translated clips (GIF), side-by-side comparisons
            (input | mask | output) and mask previews of the two bundled clips (credits: DIR/credits/CREDITS.md).
            example: sonogate demo && xdg-open out/demo/index.html""";

    static final String RESOURCES = "/sonogate/demo/";
    static final String CFD_CLIP = "pydicom-data_US1_UNCR.dcm";
    static final String BMODE_CLIP = "pocus_Reg_Image_18122_crop.mp4";
    static final List<String> CREDITS = List.of("CREDITS.md", "LICENSE-pydicom-data.txt");
    /** A file the demo leaves in its folder, so that a later demo may replace the folder without --force. */
    static final String MARKER = ".sonogate-demo";
    /** The B-mode clip's GIFs play at this rate (the clip's own is 19 fps). */
    static final double GIF_FPS = 12;

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path outDir = Path.of("out", "demo"), modelPath = null;
        boolean force = false;
        int frames = 24;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--force" -> force = true;
                    case "--out" -> outDir = Path.of(UsageError.value(args, ++i, a));
                    case "--model" -> modelPath = Path.of(UsageError.value(args, ++i, a));
                    case "--frames" -> frames = UsageError.intValue(args, ++i, a, 2, Integer.MAX_VALUE);
                    default -> throw new UsageError("unexpected argument '" + a + "'");
                }
            }
        } catch (UsageError e) {
            return usage(err, e.getMessage());
        }
        long start = System.nanoTime();
        Path weights = modelPath != null ? modelPath : DefaultModel.extract();
        String modelNote = modelPath != null ? "the model " + modelPath
                : weights != null ? "the bundled default model" : "the UNTRAINED model (no --model given and no default model bundled)";
        try {
            if (Files.exists(outDir.resolve(MARKER))) force = true;   // our own earlier output
            Path abs = outDir.toAbsolutePath().normalize();
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            return fail(err, outDir + ": " + e.getMessage());
        }
        out.println("demo: translating with " + modelNote);
        Path tmp = null;
        try (SonogateModel trained = weights == null ? null : SonogateModel.load(weights);
             Translator untrainedNet = Translator.forInference(trained == null ? ModelConfig.SMALL : trained.config(), Device.CPU, 1);
             AtomicFolder folder = AtomicFolder.create(outDir, force)) {
            tmp = Files.createTempDirectory("sonogate-demo-");
            Path cfd = extract(CFD_CLIP, tmp), bmode = extract(BMODE_CLIP, tmp);
            SonogateModel untrained = SonogateModel.of(untrainedNet);
            FillMethod primary = trained != null ? FillMethod.model("sonogate", trained, 4) : FillMethod.model("untrained", untrained, 4);
            List<FillMethod> methods = new ArrayList<>(List.of(primary, FillMethod.telea(), FillMethod.diffusion()));
            if (trained != null) methods.add(FillMethod.model("untrained", untrained, 4));
            Path dir = folder.dir();
            double cfdCoverage = realCfd(cfd, primary, Files.createDirectories(dir.resolve("cfd")));
            out.println("demo: " + CFD_CLIP + " translated");
            CaseResult bm = syntheticCase(bmode, frames, methods, Files.createDirectories(dir.resolve("bmode")));
            out.println("demo: " + BMODE_CLIP + " with synthetic colour flow: " + bm.input().frames() + " frames translated");
            Path credits = Files.createDirectories(dir.resolve("credits"));
            for (String c : CREDITS) extract(c, credits);
            List<String> names = methods.stream().map(FillMethod::name).toList();
            EvalReport report = new EvalReport(names, List.of(bm), List.of(), List.of(), 0);
            String html = DemoReport.html(report, primary.name(), modelNote, cfdCoverage, GIF_FPS);
            Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("metrics.json"), report.json(), StandardCharsets.UTF_8); // the table, machine-readable (eval's schema)
            Files.writeString(dir.resolve(MARKER), "written by sonogate demo; a later demo replaces this folder\n", StandardCharsets.UTF_8);
            folder.commit();
        } catch (CheckpointException e) {
            return fail(err, e.getMessage());
        } catch (FrameWriter.FileAlreadyExistsOutput e) {
            return fail(err, outDir + ": exists and was not written by sonogate demo (use --force to replace it)");
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' '));
        } finally {
            if (tmp != null) {
                try {
                    AtomicFolder.deleteTree(tmp);
                } catch (IOException e) {
                    err.println("sonogate demo: could not remove the temporary folder " + tmp + ": " + e.getMessage());
                }
            }
        }
        out.printf(Locale.ROOT, "demo: done in %.1f s; open %s%n", (System.nanoTime() - start) / 1e9, outDir.resolve("index.html"));
        out.println("demo:   " + outDir.resolve("cfd") + "    the real power-Doppler clip: input, mask preview, output, comparison");
        out.println("demo:   " + outDir.resolve("bmode") + "  the B-mode clip with painted flow: GIFs per method, comparison, masks");
        return 0;
    }

    /** The real CFD frame: input, mask preview, output and comparison PNGs; returns the colour coverage of the frame. */
    private static double realCfd(Path clip, FillMethod method, Path dir) throws IOException {
        try (ClipReader reader = GreyClip.open(clip)) {
            ColourMask masker = ColourMask.forClip(reader, MaskSettings.defaults());
            List<Frame> frames = new ArrayList<>();
            reader.frames().forEachRemaining(frames::add);
            List<ColourMask.Result> results = new ArrayList<>();
            Iterator<ColourMask.Result> it = masker.stream(frames.iterator());
            while (it.hasNext()) results.add(it.next());
            List<byte[]> outputs = method.fill(results);
            Frame in = frames.get(0);
            ColourMask.Result r = results.get(0);
            Frame translated = new Frame(in.width(), in.height(), 1, outputs.get(0));
            PngImage.write(in, dir.resolve("input.png"));
            PngImage.write(MaskPreview.overlay(in, r, masker.sector()), dir.resolve("mask.png"));
            PngImage.write(translated, dir.resolve("output.png"));
            PngImage.write(SideBySide.compose(in, r.mask(), translated), dir.resolve("compare.png"));
            return r.colourCoverage();
        }
    }

    /** The B-mode clip with a synthetic overlay, run through every method; GIFs and mask previews. */
    private static CaseResult syntheticCase(Path clip, int frames, List<FillMethod> methods, Path dir) throws IOException {
        GreyClip grey = GreyClip.read(clip, BMODE_CLIP, frames);
        EvalCase c = Evaluation.cases(grey, List.of(), new Evaluation.Settings(frames, 1, 4)).get(0);
        CaseResult r = Evaluation.run(c, methods, true);
        WriterOptions gif = WriterOptions.DEFAULT.withFrameRate(GIF_FPS);
        int w = c.width(), h = c.height();
        writeGif(dir.resolve("input.gif"), c.painted(), gif);
        writeGif(dir.resolve("truth.gif"), greyFrames(c.truth(), w, h), gif);
        for (String m : r.outputs().keySet()) writeGif(dir.resolve(m + ".gif"), greyFrames(r.outputs().get(m), w, h), gif);
        List<Frame> compare = new ArrayList<>();
        List<byte[]> primary = r.outputs().values().iterator().next();
        for (int t = 0; t < c.frames(); t++) {
            compare.add(SideBySide.compose(c.painted().get(t), r.estimatedMasks().get(t), new Frame(w, h, 1, primary.get(t))));
        }
        writeGif(dir.resolve("compare.gif"), compare, gif);
        PngImage.write(maskPreview(c.truth().get(0), r.estimatedMasks().get(0), c.truthMasks().get(0), w, h), dir.resolve("mask.png"));
        return r;
    }

    /**
     * Estimated mask against the painted truth on the dimmed frame: white where both agree, magenta
     * where only the estimate is (the dilation rim, mostly), green where a painted pixel was missed.
     */
    static Frame maskPreview(byte[] grey, byte[] estimate, byte[] truth, int w, int h) {
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            int g = (grey[i] & 0xFF) / 3, r = g, gr = g, b = g;
            boolean e = estimate[i] != 0, t = truth[i] != 0;
            if (e && t) r = gr = b = 255;
            else if (e) { r = 230; gr = 40; b = 230; }
            else if (t) { r = 40; gr = 230; b = 40; }
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) gr;
            rgb[3 * i + 2] = (byte) b;
        }
        return new Frame(w, h, 3, rgb);
    }

    private static List<Frame> greyFrames(List<byte[]> frames, int w, int h) {
        return frames.stream().map(f -> new Frame(w, h, 1, f)).toList();
    }

    private static void writeGif(Path file, List<Frame> frames, WriterOptions options) throws IOException {
        try (FrameWriter wr = FrameWriter.open(file, FrameWriter.Format.GIF, false, options)) {
            for (Frame f : frames) wr.write(f);
            wr.commit();
        }
    }

    /** Copies a bundled resource into {@code dir}. */
    private static Path extract(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IOException("the jar lacks the demo resource " + RESOURCES + name);
            Files.copy(in, target);
        }
        return target;
    }

    private static int fail(PrintStream err, String message) {
        err.println("sonogate demo: " + message);
        return 1;
    }

    private static int usage(PrintStream err, String message) {
        return UsageError.report(err, "demo", message);
    }
}
