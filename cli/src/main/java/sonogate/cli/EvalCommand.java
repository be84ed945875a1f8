package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sonogate.eval.EvalReport;
import sonogate.eval.EvalRun;
import sonogate.eval.Evaluation;
import sonogate.eval.FillMethod;
import sonogate.eval.HarvestedShape;
import sonogate.inference.DefaultModel;
import sonogate.inference.SonogateModel;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.AtomicFile;
import sonogate.train.CheckpointException;
import sonogate.train.DataExclusions;

/** {@code sonogate eval}: translation quality on real B-mode clips with painted colour flow (sonogate.eval). */
final class EvalCommand {
    private EvalCommand() {}

    static final String USAGE = """
            usage: sonogate eval [IN...] [--data DIR] [--cfd DIR|none] [--model CKPT] [--config NAME] [--max-frames N]
                                 [--seed S] [--json FILE] [--force] [--no-neighbours]
              IN              B-mode clips, images or folders of them (default: the hold-out list, holdout.txt,
                              relative to --data)
              --data DIR      the data folder of the hold-out list (default ../shared/data/ultrasound, else
                              shared/data/ultrasound, from the working directory)
              --cfd DIR       real colour-Doppler clips whose colour flow is cut out and painted over the clips as a
                              second overlay per clip (default DATA/cfd; 'none': synthetic overlays only)
              --model CKPT    the trained translator (default: the bundled default model, when the jar has one)
              --config NAME   configuration of the untrained model when no model is given (default small)
              --max-frames N  consecutive frames per clip from its start (default 8)
              --seed S        the base seed of the overlays (default 1): the same seed gives the same table
              --json FILE     also write the overall figures as JSON (methods sonogate, telea, diffusion, untrained)
              --force         replace an existing --json FILE
              --no-neighbours a temporal model (config -temporal) sees each frame as its own previous and next
                              frame: what the neighbours add (an error for any other model)
            Per clip, colour flow of known shape is painted over the first frames (10-30% of the imaging sector),
            the colour mask is estimated from the painted RGB frames, and every method fills it: the model
            (sonogate), Telea's inpainting, a harmonic (diffusion) fill and the untrained model. Prints per clip
            and overall SSIM (whole frame and inside the painted mask), PSNR, in-mask L1, the temporal flicker
            ratio (output vs original, inside the mask) and the mask IoU, mean +/- std over frames.
            examples:
              sonogate eval
              sonogate eval --model runs/small/checkpoint.h5 --json eval.json
              sonogate eval --max-frames 4 --cfd none ../shared/data/ultrasound/bmode-video""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path data = null, cfd = null, model = null, json = null;
        boolean noCfd = false, force = false, neighbours = true;
        String config = "small";
        int maxFrames = Evaluation.Settings.defaults().maxFrames();
        long seed = Evaluation.Settings.defaults().seed();
        List<String> inputs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--force" -> force = true;
                    case "--no-neighbours" -> neighbours = false;
                    case "--data" -> data = Path.of(UsageError.value(args, ++i, a));
                    case "--cfd" -> {
                        String v = UsageError.value(args, ++i, a);
                        noCfd = v.equals("none");
                        cfd = noCfd ? null : Path.of(v);
                    }
                    case "--model" -> model = Path.of(UsageError.value(args, ++i, a));
                    case "--config" -> config = UsageError.value(args, ++i, a);
                    case "--json" -> json = Path.of(UsageError.value(args, ++i, a));
                    case "--max-frames" -> maxFrames = UsageError.intValue(args, ++i, a, 1, Integer.MAX_VALUE);
                    case "--seed" -> seed = UsageError.longValue(args, ++i, a);
                    default -> {
                        if (a.startsWith("-") && a.length() > 1) throw new UsageError("unknown option '" + a + "'");
                        inputs.add(a);
                    }
                }
            }
        } catch (UsageError e) {
            return usage(err, e.getMessage());
        }
        ModelConfig untrainedConfig;
        try {
            untrainedConfig = ModelConfig.named(config);
        } catch (IllegalArgumentException e) {
            return usage(err, "--config: " + e.getMessage());
        }
        if (json != null) {
            if (Files.isDirectory(json)) return fail(err, json + ": is a folder");
            if (Files.exists(json) && !force) return fail(err, json + ": output exists (use --force to replace it)");
            Path parent = json.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) return fail(err, json + ": folder " + parent + " does not exist");
        }
        if (data == null) data = defaultData();
        List<EvalRun.Clip> clips = new ArrayList<>();
        try {
            if (inputs.isEmpty()) {
                if (data == null) return fail(err, "no data folder: ../shared/data/ultrasound not found (give --data DIR or clips)");
                for (Path p : DataExclusions.holdoutList()) clips.add(new EvalRun.Clip(data.resolve(p), p.toString()));
            } else {
                for (String in : inputs) clips.addAll(clipsOf(Path.of(in)));
            }
        } catch (IOException | UncheckedIOException e) {
            return fail(err, e.getMessage());
        }
        if (clips.isEmpty()) return fail(err, "no clips to evaluate");
        if (json != null) {
            Path j = json.toAbsolutePath().normalize();
            for (EvalRun.Clip c : clips) {
                if (c.file().toAbsolutePath().normalize().equals(j)) return fail(err, json + ": is an input clip; never overwritten");
            }
        }
        if (cfd == null && !noCfd && data != null && Files.isDirectory(data.resolve("cfd"))) cfd = data.resolve("cfd");
        List<String> notes = new ArrayList<>();
        Path weights = model;
        if (weights == null && DefaultModel.bundled()) {
            weights = DefaultModel.extract();
            notes.add("sonogate = the bundled default model (" + DefaultModel.RESOURCE + ")");
        }
        Evaluation.Settings settings = new Evaluation.Settings(maxFrames, seed, Evaluation.Settings.defaults().batch());
        SonogateModel trained = null;
        try {
            if (weights != null) {
                trained = SonogateModel.load(weights);
                untrainedConfig = trained.config();
            } else {
                notes.add("no trained model (no --model and none bundled): only the baselines and the untrained " + untrainedConfig.name()
                        + " model were evaluated");
            }
        } catch (CheckpointException e) {
            return fail(err, e.getMessage());
        }
        if (!neighbours) {
            if (!untrainedConfig.temporal()) {
                if (trained != null) trained.close();
                return fail(err, (weights != null ? weights + ": " : "") + "config " + untrainedConfig.name()
                        + " is not temporal (--no-neighbours needs a -temporal model)");
            }
            notes.add("--no-neighbours: the temporal models saw each frame as its own previous and next frame");
        }
        try (SonogateModel ownedTrained = trained;
             Translator untrained = Translator.forInference(untrainedConfig, Device.CPU, 1)) {
            List<FillMethod> methods = new ArrayList<>();
            if (ownedTrained != null) methods.add(FillMethod.model("sonogate", ownedTrained, settings.batch(), neighbours));
            methods.add(FillMethod.telea());
            methods.add(FillMethod.diffusion());
            methods.add(FillMethod.model("untrained", SonogateModel.of(untrained), settings.batch(), neighbours));
            List<HarvestedShape> shapes = List.of();
            if (cfd != null) {
                List<EvalRun.Clip> cfdClips;
                try {
                    cfdClips = clipsOf(cfd);
                } catch (IOException | UncheckedIOException e) {
                    return fail(err, e.getMessage());
                }
                shapes = EvalRun.harvest(cfdClips, maxFrames, line -> err.println("sonogate eval: " + line));
                out.println("eval: " + shapes.size() + " real colour-flow shape(s) from " + cfd);
            }
            if (shapes.isEmpty()) notes.add("no real colour-flow shapes: synthetic overlays only");
            EvalReport report = EvalRun.run(clips, shapes, methods, settings, notes, line -> out.println("eval: " + line));
            out.println();
            out.print(report.table());
            out.printf(Locale.ROOT, "eval: %d case(s) in %.1f s%n", report.cases().size(), report.seconds());
            if (json != null && !report.cases().isEmpty()) {
                String text = report.json();
                try {
                    AtomicFile.write(json, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return fail(err, json + ": cannot write: " + e.getMessage());
                }
                out.println("eval: JSON -> " + json);
            }
            if (report.cases().isEmpty()) return fail(err, "no clip could be evaluated");
            return report.failures().isEmpty() ? 0 : 1;
        }
    }

    /** ../shared/data/ultrasound or shared/data/ultrasound from the working directory; null when neither exists. */
    static Path defaultData() {
        for (String p : List.of("../shared/data/ultrasound", "shared/data/ultrasound")) {
            if (Files.isDirectory(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    /**
     * A file, or every file under a folder (sorted; documentation files and label images such as
     * HC18's {@code *_Annotation.png} skipped); a folder of frames is one clip.
     */
    static List<EvalRun.Clip> clipsOf(Path in) throws IOException {
        if (!Files.exists(in)) throw new IOException(in + ": no such file or folder");
        if (!Files.isDirectory(in) || ClipInputs.isFrameFolder(in)) return List.of(new EvalRun.Clip(in, in.toString()));
        return ClipInputs.clipsIn(in).stream()
                .filter(p -> !p.getFileName().toString().toLowerCase(Locale.ROOT).contains("_annotation"))
                .map(p -> new EvalRun.Clip(p, in.relativize(p).toString())).toList();
    }

    private static int fail(PrintStream err, String message) {
        err.println("sonogate eval: " + message);
        return 1;
    }

    private static int usage(PrintStream err, String message) {
        return UsageError.report(err, "eval", message);
    }
}
