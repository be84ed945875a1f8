package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import sonogate.gpu.DeviceSelection;
import sonogate.inference.SonogateModel;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.FrameWriter;
import sonogate.io.ImageFolderReader;
import sonogate.io.SideBySide;
import sonogate.io.WriterOptions;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.tensor.Device;
import sonogate.train.CheckpointException;

/** {@code sonogate translate}: a CFD clip to B-mode frames with a trained model. */
final class TranslateCommand {
    private TranslateCommand() {}

    static final String USAGE = """
            usage: sonogate translate --model CKPT IN OUT [--batch N] [--threshold T] [--format F] [--compare FILE] [--force]
              CKPT           a checkpoint (training or weights-only); its configuration is read from it
              IN             a clip (DICOM, MetaImage .mha/.mhd) or a folder of PNG/JPEG frames (name order)
              OUT            a folder of PNG frames (frame_00000.png, ...), an HDF5 file (dataset /frames,
                             uint8, frames x H x W), a Motion-JPEG .avi or an animated .gif; written atomically
              --batch N      frames per forward pass (default 8)
              --threshold T  colour when max(R,G,B) - min(R,G,B) > T, 0..255 (default 30; see sonogate masks)
              --format F     png, h5, avi or gif (default: from OUT's extension, a PNG folder otherwise)
              --compare FILE also write input | mask | output side by side (format from FILE's extension)
              --force        replace an existing OUT / FILE (never an input)
              --device D     cpu (default), cuda (fail if no GPU) or auto (GPU if it starts, else CPU)
            Frames are letterboxed to the model's frame size and back; non-colour pixels are kept exactly.
            AVI and GIF play at the clip's frame rate (25 fps when the clip states none).
            examples:
              sonogate translate --model weights.h5 echo.dcm echo-bmode
              sonogate translate --model weights.h5 --batch 16 --format h5 echo.dcm echo-bmode.h5
              sonogate translate --model weights.h5 --compare echo-compare.avi echo.dcm echo-bmode.avi
              sonogate translate --model weights.h5 --threshold 40 --force frames/ out/""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String model = null, format = null, compare = null;
        int batch = 8, threshold = MaskSettings.defaults().threshold();
        boolean force = false;
        DeviceSelection deviceSelection = DeviceSelection.CPU;
        java.util.List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--force" -> force = true;
                case "--device" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    try {
                        deviceSelection = DeviceSelection.parse(args[++i]);
                    } catch (IllegalArgumentException e) {
                        return usage(err, e.getMessage());
                    }
                }
                case "--model", "--batch", "--threshold", "--format", "--compare" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    String v = args[++i];
                    switch (a) {
                        case "--model" -> model = v;
                        case "--format" -> format = v;
                        case "--compare" -> compare = v;
                        default -> {
                            int n;
                            try {
                                n = Integer.parseInt(v);
                            } catch (NumberFormatException e) {
                                return usage(err, a + " needs a whole number, got '" + v + "'");
                            }
                            if (a.equals("--batch")) {
                                if (n < 1 || n > 4096) return usage(err, "--batch " + n + " must be 1..4096");
                                batch = n;
                            } else {
                                if (n < 0 || n > 255) return usage(err, "--threshold " + n + " must be 0..255");
                                threshold = n;
                            }
                        }
                    }
                }
                default -> {
                    if (a.startsWith("-") && a.length() > 1) return usage(err, "unknown option '" + a + "'");
                    positional.add(a);
                }
            }
        }
        if (model == null) return usage(err, "--model is required");
        if (positional.size() != 2) return usage(err, "needs IN and OUT, got " + positional.size() + " path(s)");
        Path in = Path.of(positional.get(0)), outPath = Path.of(positional.get(1)), ckpt = Path.of(model);
        FrameWriter.Format fmt, compareFmt = null;
        Path comparePath = compare == null ? null : Path.of(compare);
        try {
            fmt = format == null ? FrameWriter.Format.forPath(outPath) : FrameWriter.Format.parse(format);
            if (comparePath != null) compareFmt = FrameWriter.Format.forPath(comparePath);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (comparePath != null && comparePath.toAbsolutePath().normalize().equals(outPath.toAbsolutePath().normalize())) {
            return usage(err, "--compare " + compare + " is OUT itself; choose another file");
        }
        Device device = DeviceOption.resolve(deviceSelection, err);
        if (device == null) return 1;
        return translate(ckpt, in, outPath, fmt, comparePath, compareFmt, batch, threshold, force, device, out, err);
    }

    private static int translate(Path ckpt, Path in, Path outPath, FrameWriter.Format fmt, Path comparePath,
                                 FrameWriter.Format compareFmt, int batch, int threshold, boolean force, Device device,
                                 PrintStream out, PrintStream err) {
        try {
            if (!Files.exists(in)) return fail(err, in + ": no such file or folder");
            if (!Files.isRegularFile(ckpt)) return fail(err, ckpt + ": no such checkpoint file");
            for (Path output : comparePath == null ? new Path[] {outPath} : new Path[] {outPath, comparePath}) {
                Path target = output.toAbsolutePath().normalize();
                for (Path input : new Path[] {in, ckpt}) {
                    Path p = input.toAbsolutePath().normalize();
                    if (p.equals(target) || (Files.exists(target) && Files.isSameFile(p, target))) {
                        return fail(err, output + ": is an input; choose another output");
                    }
                }
            }
            try (ClipReader clip = Files.isDirectory(in) ? ImageFolderReader.open(in) : ClipReaders.open(in);
                 SonogateModel m = SonogateModel.load(ckpt, device);
                 FrameWriter writer = FrameWriter.open(outPath, fmt, force, options(clip));
                 FrameWriter comparison = comparePath == null ? null : FrameWriter.open(comparePath, compareFmt, force, options(clip))) {
                int total = clip.info().frameCount();
                ColourMask masker = ColourMask.forClip(clip, MaskSettings.defaults().withThreshold(threshold));
                // the model consumes inputs a batch ahead of its outputs: keep them for the comparison
                ArrayDeque<Frame> pendingInputs = new ArrayDeque<>();
                Iterator<Frame> frames = comparison == null ? clip.frames() : remembering(clip.frames(), pendingInputs);
                long t0 = System.nanoTime();
                long[] lastPrint = {t0};
                int n = m.translateFrames(frames, masker, frame -> {
                    try {
                        writer.write(frame);
                        if (comparison != null) {
                            Frame input = pendingInputs.removeFirst();
                            comparison.write(SideBySide.compose(input, masker.apply(input).mask(), frame));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    long now = System.nanoTime();
                    if (now - lastPrint[0] > 1_000_000_000L) {
                        lastPrint[0] = now;
                        out.printf(Locale.ROOT, "\rtranslate: %d/%d frames, %.1f frames/s", writer.count(), total,
                                writer.count() / ((now - t0) / 1e9));
                    }
                }, batch);
                writer.commit();
                if (comparison != null) comparison.commit();
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "\rtranslate: %d frames %dx%d in %.2f s (%.1f frames/s, batch %d, %s%s) -> %s%s%n", n,
                        clip.info().width(), clip.info().height(), s, n / s, batch, m.config().name(),
                        device == Device.CPU ? "" : ", " + device, outPath,
                        comparison == null ? "" : ", comparison -> " + comparePath);
                return 0;
            }
        } catch (UncheckedIOException e) {
            return fail(err, oneLine(e.getCause().getMessage()));
        } catch (IOException | CheckpointException | IllegalArgumentException e) {
            return fail(err, oneLine(e.getMessage()));
        } catch (RuntimeException e) { // a reader bug must still end in one line, not a stack trace
            return fail(err, in + ": internal error (please report): " + oneLine(String.valueOf(e)));
        } catch (OutOfMemoryError e) { // readers refuse lying sizes first; this is the last resort
            return fail(err, in + ": out of memory (a larger -Xmx, or a smaller --batch, may help)");
        }
    }

    /** The clip's frame rate for the timed formats. */
    private static WriterOptions options(ClipReader clip) {
        return WriterOptions.DEFAULT.withFrameRate(clip.info().frameRate());
    }

    /** Passes frames through, appending each to {@code seen}. */
    private static Iterator<Frame> remembering(Iterator<Frame> frames, ArrayDeque<Frame> seen) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return frames.hasNext();
            }

            @Override
            public Frame next() {
                Frame f = frames.next();
                seen.addLast(f);
                return f;
            }
        };
    }

    private static String oneLine(String s) {
        return s == null ? "failed" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static int fail(PrintStream err, String message) {
        err.println("sonogate translate: " + message);
        return 1;
    }

    private static int usage(PrintStream err, String message) {
        err.println("sonogate: translate: " + message);
        err.println(USAGE);
        return 2;
    }
}
