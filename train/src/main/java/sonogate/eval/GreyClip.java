package sonogate.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.ImageFolderReader;

/**
 * The first frames of a B-mode clip as 8-bit grey: the evaluation's ground truth. Colour-stored
 * frames (grey content in YUV video, RGB PNGs) become their Rec. 601 luminance, the same formula
 * the colour mask uses for the translator's input, so that pixels outside the colour flow are
 * identical in the truth and in every method's output.
 *
 * @param frames row-major {@code width * height} grey frames, consecutive from the clip's start
 */
public record GreyClip(String name, int width, int height, List<byte[]> frames) {
    /** Reads at most {@code maxFrames} frames of a clip file, a single image or a folder of frames. */
    public static GreyClip read(Path file, String name, int maxFrames) throws IOException {
        try (ClipReader reader = open(file)) {
            int w = reader.info().width(), h = reader.info().height();
            List<byte[]> frames = new ArrayList<>();
            Iterator<Frame> it = reader.frames();
            while (frames.size() < maxFrames && it.hasNext()) {
                Frame f = it.next();
                if (f.width() != w || f.height() != h) throw new IOException(file + ": frames change size (" + f + ")");
                frames.add(luminance(f));
            }
            if (frames.isEmpty()) throw new IOException(file + ": no frames");
            return new GreyClip(name, w, h, List.copyOf(frames));
        }
    }

    /** A clip file, a single PNG/JPEG image, or a folder of PNG/JPEG frames. */
    public static ClipReader open(Path file) throws IOException {
        if (Files.isDirectory(file)) return ImageFolderReader.open(file);
        if (ImageFolderReader.isImage(file)) return ImageFolderReader.openImage(file);
        return ClipReaders.open(file);
    }

    /** Grey samples of a frame: as they are, or the luminance of RGB. */
    public static byte[] luminance(Frame f) {
        byte[] s = f.samples();
        if (f.channels() == 1) return s.clone();
        byte[] g = new byte[f.width() * f.height()];
        for (int i = 0, j = 0; i < g.length; i++, j += 3) {
            int r = s[j] & 0xFF, gr = s[j + 1] & 0xFF, b = s[j + 2] & 0xFF;
            g[i] = (byte) ((299 * r + 587 * gr + 114 * b + 500) / 1000);
        }
        return g;
    }

    /** Frame t as a 1-channel {@link Frame}. */
    public Frame frame(int t) {
        return new Frame(width, height, 1, frames.get(t));
    }
}
