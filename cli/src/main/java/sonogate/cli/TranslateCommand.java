package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import sonogate.gpu.DeviceSelection;
import sonogate.inference.DefaultModel;
import sonogate.inference.SonogateModel;
import sonogate.io.FrameWriter;
import sonogate.io.mask.MaskSettings;
import sonogate.tensor.Device;
import sonogate.train.CheckpointException;

/**
 * {@code sonogate translate}: CFD clips to B-mode with a trained model; one clip, or a folder of
 * clips into a folder (batch mode: a bad file is reported and skipped, the rest go on).
 */
final class TranslateCommand {
    private TranslateCommand() {}

    static final String USAGE = """
            usage: sonogate translate [--model CKPT] [options] IN OUT
              CKPT           a checkpoint (training or weights-only); its configuration is read from it
                             (default: the model bundled in the jar, see README "Default model")
              IN             one clip, or a folder of clips (batch mode). A clip is any of:
                               DICOM (.dcm; native, deflated, RLE, JPEG baseline, JPEG lossless; multi-frame)
                               MetaImage (.mha, .mhd; raw or zlib)
                               a PNG/JPEG image, or a folder holding only PNG/JPEG frames (name order)
                               MP4 / MOV (H.264), MPEG-1/2 (.mpg, .mpeg, .m1v, .m2v)
                               AVI (Motion JPEG, uncompressed, MPEG-4 Part 2), animated GIF
                               HDF5 (.h5: its one frames x H x W (x 3) dataset, or FILE.h5:/group/dataset)
                             The format is found from the content, then the extension.
              OUT            one clip: where its output goes, by --format or else OUT's extension:
                               NAME (no known extension)  a folder of PNG frames frame_00000.png, ...
                               NAME.h5 / NAME.hdf5        HDF5, dataset /frames, uint8, frames x H x W
                               NAME.avi                   Motion-JPEG AVI at the clip's frame rate
                               NAME.gif                   animated GIF at the clip's frame rate
                             (MP4/MOV output is not written: convert the .avi with ffmpeg.)
                             batch mode: a folder (created if missing); clip DIR/x.dcm becomes OUT/DIR/x in --format
              --format F     png, h5, avi or gif (default: from OUT's extension, a PNG folder otherwise;
                             batch mode: png)
              --compare FILE also write input | mask | output side by side (format from FILE's extension); the
                             mask panel shows the temporally smoothed, dilated mask the model filled.
                             Batch mode: a folder; clip x gets x-compare.avi in it (it may be OUT itself)
              --batch N      frames per forward pass (default 8)
              --threshold T  colour when max(R,G,B) - min(R,G,B) > T, 0..255 (default 30; see sonogate masks)
              --json FILE    also write a JSON summary: per clip frames, size, seconds, output; failures; totals
              --force        replace existing outputs (and the --json FILE); an input is never replaced
              --device D     cpu (default), cuda (fail if no GPU) or auto (GPU if it starts, else CPU)
            Outputs are written to a temporary file or folder and renamed into place when complete.
            Frames are letterboxed to the model's frame size and back; non-colour pixels are kept exactly.
            Batch mode translates every clip below IN (sub-folders included, name order; .md/.txt/.json/.csv
            files skipped); a file that cannot be read or translated is reported in one line and skipped.
            Prints a progress bar (frames/s, ETA) on a terminal, plain lines otherwise, and a summary.
            Exit code: 0 all translated, 1 any clip failed (or no model), 2 bad usage.
            examples:
              sonogate translate --model weights.h5 echo.dcm echo-bmode
              sonogate translate --model weights.h5 --batch 16 --format h5 echo.dcm echo-bmode.h5
              sonogate translate --model weights.h5 --compare echo-compare.avi echo.dcm echo-bmode.avi
              sonogate translate --model weights.h5 camus.h5:/patient0001/frames camus-bmode.avi
              sonogate translate --model weights.h5 --format avi --json summary.json --force scans/ scans-bmode/""";

    /** The parsed command line. {@code format} and {@code compare} null: not given. */
    record Options(Path model, Path in, Path out, FrameWriter.Format format, Path compare, int batch, int threshold,
                   boolean force, DeviceSelection device, Path json) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            out.println(USAGE);
            return 0;
        }
        Options o;
        try {
            o = parse(args);
        } catch (UsageError e) {
            return UsageError.report(err, "translate", e.getMessage());
        }
        Path onDisk = ClipInputs.onDisk(o.in());
        boolean batchMode;
        try {
            batchMode = onDisk != null && onDisk.equals(o.in()) && ClipInputs.isBatch(o.in());
        } catch (IOException e) {
            return fail(err, o.in() + ": cannot list: " + e.getMessage());
        }
        FrameWriter.Format format, compareFormat = null;
        try {
            if (batchMode) {
                format = o.format() == null ? FrameWriter.Format.PNG : o.format();
                if (o.compare() != null) compareFormat = FrameWriter.Format.AVI;
            } else {
                format = o.format() == null ? FrameWriter.Format.forPath(o.out()) : o.format();
                if (o.compare() != null) compareFormat = FrameWriter.Format.forPath(o.compare());
            }
        } catch (IllegalArgumentException e) {
            return UsageError.report(err, "translate", e.getMessage());
        }
        if (!batchMode && o.compare() != null && same(o.compare(), o.out())) {
            return UsageError.report(err, "translate", "--compare " + o.compare() + " is OUT itself; choose another file");
        }
        if (onDisk == null) return fail(err, o.in() + ": no such file or folder");
        if (o.model() == null && !DefaultModel.bundled()) return fail(err, "no --model given and this build carries no bundled default model");
        if (o.model() != null && !Files.isRegularFile(o.model())) return fail(err, o.model() + ": no such checkpoint file");
        // Nothing is written over, into or around an input (a --force on a parent folder would delete it).
        List<Path> inputs = o.model() == null ? List.of(onDisk) : List.of(onDisk, o.model());
        List<Path> outputs = o.compare() == null ? List.of(o.out()) : List.of(o.out(), o.compare());
        for (Path output : outputs) {
            for (Path input : inputs) {
                if (OutputPaths.overlaps(input, output)) return fail(err, output + ": is an input, or holds or lies inside one (" + input + "); choose another output");
            }
        }
        JsonReport json;
        try {
            json = JsonReport.open(o.json(), o.force(), inputs, outputs);
        } catch (IOException e) {
            return fail(err, e.getMessage());
        }
        Device device = DeviceOption.resolve(o.device(), err);
        if (device == null) return 1;
        Path weights = o.model() != null ? o.model() : DefaultModel.extract();
        try (SonogateModel model = SonogateModel.load(weights, device)) {
            return new Run(o, model, device, format, compareFormat, FrameProgress.forStream(out), out, err).run(onDisk, batchMode, json);
        } catch (CheckpointException | IllegalArgumentException | UncheckedIOException e) {
            return fail(err, ErrorText.oneLine(e.getMessage()));
        }
    }

    static Options parse(String[] args) throws UsageError {
        Path model = null, compare = null, json = null;
        FrameWriter.Format format = null;
        int batch = 8, threshold = MaskSettings.defaults().threshold();
        boolean force = false;
        DeviceSelection device = DeviceSelection.CPU;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--force" -> force = true;
                case "--model" -> model = Path.of(UsageError.value(args, ++i, a));
                case "--compare" -> compare = Path.of(UsageError.value(args, ++i, a));
                case "--json" -> json = Path.of(UsageError.value(args, ++i, a));
                case "--batch" -> batch = UsageError.intValue(args, ++i, a, 1, 4096);
                case "--threshold" -> threshold = UsageError.intValue(args, ++i, a, 0, 255);
                case "--format" -> {
                    try {
                        format = FrameWriter.Format.parse(UsageError.value(args, ++i, a));
                    } catch (IllegalArgumentException e) {
                        throw new UsageError(e.getMessage());
                    }
                }
                case "--device" -> {
                    try {
                        device = DeviceSelection.parse(UsageError.value(args, ++i, a));
                    } catch (IllegalArgumentException e) {
                        throw new UsageError(e.getMessage());
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) throw new UsageError("unknown option '" + a + "'");
                    positional.add(a);
                }
            }
        }
        if (positional.size() != 2) throw new UsageError("needs IN and OUT, got " + positional.size() + " path(s)");
        return new Options(model, Path.of(positional.get(0)), Path.of(positional.get(1)), format, compare, batch, threshold, force, device, json);
    }

    /** One run over one clip or a folder of clips: translates, reports, sums up. */
    private record Run(Options o, SonogateModel model, Device device, FrameWriter.Format format, FrameWriter.Format compareFormat,
                         FrameProgress progress, PrintStream out, PrintStream err) {

        int run(Path in, boolean batchMode, JsonReport json) {
            List<ClipTranslation.Done> done = new ArrayList<>();
            List<Map<String, Object>> failed = new ArrayList<>();
            long t0 = System.nanoTime();
            List<Path> clips;
            try {
                clips = batchMode ? ClipInputs.clipsIn(in) : List.of(o.in());
                if (batchMode) {
                    if (Files.exists(o.out()) && !Files.isDirectory(o.out())) return fail(err, o.out() + ": exists and is not a folder");
                    if (o.compare() != null && Files.exists(o.compare()) && !Files.isDirectory(o.compare())) {
                        return fail(err, o.compare() + ": exists and is not a folder");
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                return fail(err, in + ": cannot list: " + ErrorText.of(e));
            }
            if (clips.isEmpty()) return fail(err, in + ": no clips in the folder");
            List<Path> created = new ArrayList<>();
            for (Path folder : batchMode ? outputs() : List.<Path>of()) if (!Files.exists(folder)) created.add(folder);
            Set<Path> taken = new HashSet<>();
            for (int k = 0; k < clips.size(); k++) {
                Path clip = clips.get(k);
                String name = batchMode ? in.relativize(clip).toString() : Files.exists(clip) ? clip.getFileName().toString() : clip.toString();
                String label = batchMode ? "[" + (k + 1) + "/" + clips.size() + "] " + name : name;
                try {
                    ClipTranslation.Targets targets = batchMode ? batchTargets(in, clip, taken)
                            : new ClipTranslation.Targets(o.out(), format, o.compare(), compareFormat);
                    ClipTranslation.Done d = ClipTranslation.translate(model, clip, label, targets, o.batch(), o.threshold(), o.force(), progress);
                    done.add(new ClipTranslation.Done(name, d.output(), d.comparison(), d.frames(), d.width(), d.height(), d.seconds()));
                    progress.message(String.format(Locale.ROOT, "%s: %d frames %dx%d in %.2f s (%.1f frames/s) -> %s%s", label, d.frames(),
                            d.width(), d.height(), d.seconds(), d.framesPerSecond(), d.output(),
                            d.comparison() == null ? "" : ", comparison -> " + d.comparison()));
                } catch (IOException | IllegalArgumentException e) {
                    failed.add(failure(clip, ErrorText.of(e), err));
                } catch (RuntimeException e) { // a reader bug must still end in one line, not a stack trace
                    failed.add(failure(clip, "internal error (please report): " + ErrorText.oneLine(String.valueOf(e)), err));
                } catch (OutOfMemoryError e) { // readers refuse lying sizes first; this is the last resort
                    failed.add(failure(clip, "out of memory (a larger -Xmx, or a smaller --batch, may help)", err));
                }
            }
            for (Path folder : created) removeEmptyFolders(folder);   // a batch that wrote nothing leaves nothing
            double seconds = (System.nanoTime() - t0) / 1e9;
            long frames = done.stream().mapToLong(ClipTranslation.Done::frames).sum();
            if (batchMode || !done.isEmpty()) {
                out.printf(Locale.ROOT, "translate: %d ok, %d failed; %d frames in %.2f s (%.1f frames/s; %s, batch %d%s) -> %s%n",
                        done.size(), failed.size(), frames, seconds, frames / Math.max(seconds, 1e-9), model.config().name(), o.batch(),
                        device == Device.CPU ? "" : ", " + device, o.out());
            }
            if (json != null) {
                try {
                    json.write(summary(done, failed, frames, seconds));
                } catch (IOException e) {
                    return fail(err, e.getMessage());
                }
            }
            return failed.isEmpty() ? 0 : 1;
        }

        private List<Path> outputs() {
            return o.compare() == null ? List.of(o.out()) : List.of(o.out(), o.compare());
        }

        /**
         * Batch mode: clip {@code IN/dir/x.dcm} goes to {@code OUT/dir/x} (+ the format's extension),
         * or {@code x.dcm} (+ extension) when another clip of that folder already took {@code x}.
         */
        private ClipTranslation.Targets batchTargets(Path in, Path clip, Set<Path> taken) throws IOException {
            Path rel = in.relativize(clip);
            String file = rel.getFileName().toString();
            int dot = file.lastIndexOf('.');
            String stem = dot > 0 ? file.substring(0, dot) : file;
            Path parent = rel.getParent();
            Path base = parent == null ? Path.of(stem) : parent.resolve(stem);
            if (!taken.add(base)) base = parent == null ? Path.of(file) : parent.resolve(file);
            Path output = o.out().resolve(base + extension(format));
            Files.createDirectories(output.getParent());
            Path comparison = null;
            if (o.compare() != null) {
                comparison = o.compare().resolve(base + "-compare.avi");
                Files.createDirectories(comparison.getParent());
            }
            return new ClipTranslation.Targets(output, format, comparison, compareFormat);
        }

        private Map<String, Object> summary(List<ClipTranslation.Done> done, List<Map<String, Object>> failed, long frames, double seconds) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("command", "translate");
            s.put("input", o.in().toString());
            s.put("output", o.out().toString());
            s.put("model", o.model() != null ? o.model().toString() : "bundled default " + DefaultModel.RESOURCE);
            s.put("config", model.config().name());
            s.put("device", device.toString().toLowerCase(Locale.ROOT));
            s.put("format", format.toString().toLowerCase(Locale.ROOT));
            s.put("batch", o.batch());
            s.put("threshold", o.threshold());
            BatchTotals.put(s, done.size(), failed.size(), frames, seconds);
            List<Map<String, Object>> clips = new ArrayList<>();
            for (ClipTranslation.Done d : done) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("clip", d.clip());
                c.put("output", d.output().toString());
                if (d.comparison() != null) c.put("comparison", d.comparison().toString());
                c.put("frames", d.frames());
                c.put("width", d.width());
                c.put("height", d.height());
                c.put("seconds", d.seconds());
                c.put("frames_per_second", d.framesPerSecond());
                clips.add(c);
            }
            s.put("clips", clips);
            s.put("failures", failed);
            return s;
        }
    }

    /** Deletes {@code dir} and its sub-folders, deepest first, as far as they are empty. */
    private static void removeEmptyFolders(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
                try (java.util.stream.Stream<Path> entries = Files.list(p)) {
                    if (entries.findAny().isEmpty()) Files.delete(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // only tidying: what is left is empty folders
        }
    }

    private static String extension(FrameWriter.Format f) {
        return switch (f) {
            case PNG -> "";
            case H5 -> ".h5";
            case AVI -> ".avi";
            case GIF -> ".gif";
        };
    }

    /** Reports a clip that failed, in one line naming it; returns its JSON entry. */
    private static Map<String, Object> failure(Path clip, String why, PrintStream err) {
        String line = why.contains(clip.toString()) ? why : clip + ": " + why;
        err.println("sonogate translate: " + line);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", clip.toString());
        f.put("error", line);
        return f;
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }


    private static int fail(PrintStream err, String message) {
        err.println("sonogate translate: " + message);
        return 1;
    }
}
