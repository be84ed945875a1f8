package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import sonogate.inference.SonogateModel;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.FrameWriter;
import sonogate.io.ImageFolderReader;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.train.CheckpointException;

/** {@code sonogate translate}: a CFD clip to B-mode frames with a trained model. */
final class TranslateCommand {
    private TranslateCommand() {}

    static final String USAGE = """
            usage: sonogate translate --model CKPT IN OUT [--batch N] [--threshold T] [--format png|h5] [--force]
              CKPT           a checkpoint (training or weights-only); its configuration is read from it
              IN             a clip (DICOM, MetaImage .mha/.mhd) or a folder of PNG/JPEG frames (name order)
              OUT            a folder of PNG frames (frame_00000.png, ...) or an HDF5 file
                             (dataset /frames, uint8, frames x H x W); written atomically
              --batch N      frames per forward pass (default 8)
              --threshold T  colour when max(R,G,B) - min(R,G,B) > T, 0..255 (default 30; see sonogate masks)
              --format F     png or h5 (default: h5 when OUT ends in .h5 or .hdf5, else png)
              --force        replace an existing OUT (never an input)
            Frames are letterboxed to the model's frame size and back; non-colour pixels are kept exactly.
            examples:
              sonogate translate --model weights.h5 echo.dcm echo-bmode
              sonogate translate --model weights.h5 --batch 16 --format h5 echo.dcm echo-bmode.h5
              sonogate translate --model weights.h5 --threshold 40 --force frames/ out/""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String model = null, format = null;
        int batch = 8, threshold = MaskSettings.defaults().threshold();
        boolean force = false;
        java.util.List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--force" -> force = true;
                case "--model", "--batch", "--threshold", "--format" -> {
                    if (i + 1 >= args.length) return usage(err, a + " needs a value");
                    String v = args[++i];
                    switch (a) {
                        case "--model" -> model = v;
                        case "--format" -> format = v;
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
        FrameWriter.Format fmt;
        try {
            fmt = format == null ? FrameWriter.Format.forPath(outPath) : FrameWriter.Format.parse(format);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        return translate(ckpt, in, outPath, fmt, batch, threshold, force, out, err);
    }

    private static int translate(Path ckpt, Path in, Path outPath, FrameWriter.Format fmt, int batch, int threshold,
                                 boolean force, PrintStream out, PrintStream err) {
        try {
            if (!Files.exists(in)) return fail(err, in + ": no such file or folder");
            if (!Files.isRegularFile(ckpt)) return fail(err, ckpt + ": no such checkpoint file");
            Path target = outPath.toAbsolutePath().normalize();
            for (Path input : new Path[] {in, ckpt}) {
                Path p = input.toAbsolutePath().normalize();
                if (p.equals(target) || (Files.exists(target) && Files.isSameFile(p, target))) {
                    return fail(err, outPath + ": is an input; choose another output");
                }
            }
            try (ClipReader clip = Files.isDirectory(in) ? ImageFolderReader.open(in) : ClipReaders.open(in);
                 SonogateModel m = SonogateModel.load(ckpt);
                 FrameWriter writer = FrameWriter.open(outPath, fmt, force)) {
                int total = clip.info().frameCount();
                ColourMask masker = ColourMask.forClip(clip, MaskSettings.defaults().withThreshold(threshold));
                long t0 = System.nanoTime();
                long[] lastPrint = {t0};
                int n = m.translateFrames(clip.frames(), masker, frame -> {
                    try {
                        writer.write(frame);
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
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "\rtranslate: %d frames %dx%d in %.2f s (%.1f frames/s, batch %d, %s) -> %s%n", n,
                        clip.info().width(), clip.info().height(), s, n / s, batch, m.config().name(), outPath);
                return 0;
            }
        } catch (UncheckedIOException e) {
            return fail(err, oneLine(e.getCause().getMessage()));
        } catch (IOException | CheckpointException | IllegalArgumentException e) {
            return fail(err, oneLine(e.getMessage()));
        }
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
