package sonogate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import sonogate.inference.SonogateModel;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.FrameWriter;
import sonogate.io.SideBySide;
import sonogate.io.WriterOptions;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;

/**
 * Translates one clip into its output (and optionally its input | mask | output comparison clip),
 * both written atomically: on any error neither appears.
 */
final class ClipTranslation {
    private ClipTranslation() {}

    /** Where one clip goes. {@code comparison} null: none. */
    record Targets(Path output, FrameWriter.Format format, Path comparison, FrameWriter.Format comparisonFormat) {}

    /** One translated clip's figures. */
    record Done(String clip, Path output, Path comparison, int frames, int width, int height, double seconds) {
        double framesPerSecond() {
            return frames / Math.max(seconds, 1e-9);
        }
    }

    /**
     * Translates clip {@code in} (named {@code name} in progress lines) with {@code model}.
     *
     * @throws IOException a one-line problem (the reader's and writers' messages name the file)
     */
    static Done translate(SonogateModel model, Path in, String name, Targets targets, int batch, int threshold, boolean force,
                          FrameProgress progress) throws IOException {
        long t0 = System.nanoTime();
        try (ClipReader clip = ClipInputs.open(in);
             FrameWriter writer = FrameWriter.open(targets.output(), targets.format(), force, options(clip));
             FrameWriter comparison = targets.comparison() == null ? null
                     : FrameWriter.open(targets.comparison(), targets.comparisonFormat(), force, options(clip))) {
            ColourMask masker = ColourMask.forClip(clip, MaskSettings.defaults().withThreshold(threshold));
            // the mask stream reads ahead of its results: keep the inputs it took for the comparison
            ArrayDeque<Frame> pendingInputs = new ArrayDeque<>();
            Iterator<Frame> frames = comparison == null ? clip.frames() : remembering(clip.frames(), pendingInputs);
            progress.start(name, clip.info().frameCount());
            int n = model.translateFramesWithMasks(frames, masker, (mask, frame) -> {
                try {
                    writer.write(frame);
                    // the mask the model actually filled: temporally smoothed and dilated, not a per-frame estimate
                    if (comparison != null) comparison.write(SideBySide.compose(pendingInputs.removeFirst(), mask.mask(), frame));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.frame();
            }, batch);
            if (n == 0) throw new IOException(in + ": no frames");
            writer.commit();
            if (comparison != null) comparison.commit();
            return new Done(name, targets.output(), targets.comparison(), n, clip.info().width(), clip.info().height(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            progress.endBar();
        }
    }

    /** The clip's frame rate for the timed formats (AVI, GIF, HDF5 attribute). */
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
}
