package sonogate.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import sonogate.io.ClipFormatException;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.ImageFolderReader;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;
import sonogate.train.data.ImagingSector;

/**
 * Reads one clip file's training frames through the io module ({@link ClipReaders}; single
 * PNG/JPEG/BMP images through {@link ImageFolderReader#openImage}), streaming: frames are decoded
 * one at a time in increasing order (sequential decoders never rewind), each kept frame is
 * letterboxed to the training size at once and stored as 8 bits, so a clip of any length costs
 * at most {@code quota} small frames plus the few native frames the sector estimate samples.
 *
 * <p>Per clip:
 * <ol>
 *   <li>the imaging sector, {@link SectorEstimator#forClip} (DICOM regions, else estimated from 8
 *       frames at native resolution), letterboxed like the frames: synthetic holes are drawn inside
 *       it. When the estimator finds nothing ({@link Sector.Source#WHOLE_FRAME}) the clip has no
 *       sector and the loader estimates one per frame instead ({@link SectorEstimate});</li>
 *   <li>{@code quota} frames evenly strided over the clip ({@code floor(k n / quota)});</li>
 *   <li>an RGB frame that shows colour flow ({@link ColourMask} with the clip's sector: colour over
 *       at least {@link #COLOUR_FLOW_FRACTION} of the sector; scanner graphics such as coloured
 *       text and markers do not count) is dropped: its pixels under the colour are not tissue and
 *       would teach the model to paint colour.</li>
 * </ol>
 */
final class ClipSampler {
    /** Colour flow on at least this fraction of the sector makes a frame unusable; 0.2%. */
    static final double COLOUR_FLOW_FRACTION = 0.002;
    /** Chroma (max - min of R, G, B) of colour flow; a frame with no pixel above it is grey (cheap pre-check). */
    private static final int CHROMA = MaskSettings.defaults().threshold();

    /** One file's outcome: the clip (null when nothing usable) and a one-line note for the log. */
    record Result(FrameDataset.Clip clip, String note) {}

    private ClipSampler() {}

    /** The number of frames of {@code file} (opens it, decodes nothing it need not); a ClipFormatException when unreadable. */
    static int frameCount(Path file) throws IOException {
        try (ClipReader r = open(file)) {
            return r.info().frameCount();
        }
    }

    static ClipReader open(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (ImageFolderReader.isImage(file) || name.endsWith(".bmp")) return ImageFolderReader.openImage(file);
        return ClipReaders.open(file);
    }

    /** Up to {@code quota} training frames of {@code file} at {@code size x size}. */
    static Result read(Path file, int size, int quota) {
        try (ClipReader r = open(file)) {
            int n = r.info().frameCount();
            int take = Math.min(n, quota);
            if (take < 1) return new Result(null, "skipped " + file + ": no frames");
            Sector sector = SectorEstimator.forClip(r, SectorEstimator.Settings.defaults());
            boolean estimated = sector.source() != Sector.Source.WHOLE_FRAME;
            ColourMask colour = new ColourMask(MaskSettings.defaults(), sector);
            byte[] pixels = new byte[take * size * size];
            int kept = 0, colourFrames = 0;
            for (int k = 0; k < take; k++) {
                Frame f = r.readFrame((int) ((long) k * n / take));
                if (showsColourFlow(colour, f, sector)) {
                    colourFrames++;
                    continue;
                }
                FrameDataset.Clip.quantize(FrameDataset.fit(FrameDataset.grey(f), f.width(), f.height(), size), pixels, kept * size * size);
                kept++;
            }
            ImagingSector trainingSector = estimated ? letterbox(sector, size) : null;
            String what = String.format(Locale.ROOT, "%d of %d frames%s, sector %s", kept, n,
                    colourFrames > 0 ? " (" + colourFrames + " with colour flow left out)" : "",
                    estimated ? sector.source().name().toLowerCase(Locale.ROOT).replace('_', ' ') : "per frame");
            if (kept == 0) return new Result(null, "skipped " + file + ": " + what);
            return new Result(new FrameDataset.Clip(file.toString(), size, java.util.Arrays.copyOf(pixels, kept * size * size), kept,
                    trainingSector), "using " + file + ": " + what);
        } catch (IOException | RuntimeException | NoClassDefFoundError e) {
            return new Result(null, skipped(file, e));
        }
    }

    /** The one-line note for a file that cannot be read: the file and the problem. */
    static String skipped(Path file, Throwable e) {
        if (e instanceof ClipFormatException) return "skipped " + e.getMessage();   // names the file and the problem
        String msg = String.valueOf(e.getMessage());
        if (e instanceof NoClassDefFoundError && (msg.startsWith("javax/imageio") || msg.startsWith("java/awt"))) {
            // a jlinked runtime without java.desktop, such as the GPU bundle's
            return "skipped " + file + ": this Java runtime has no java.desktop module, which reads PNG/JPEG images and JPEG-compressed DICOM";
        }
        return "skipped " + file + ": " + e.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse("");
    }

    /** True when {@code f} shows colour flow over at least {@link #COLOUR_FLOW_FRACTION} of the sector. */
    static boolean showsColourFlow(ColourMask colour, Frame f, Sector sector) {
        if (f.channels() != 3 || !hasChroma(f)) return false;
        byte[] c = colour.apply(f).colour();
        long count = 0;
        for (byte b : c) count += b;
        return count >= COLOUR_FLOW_FRACTION * sector.area();
    }

    private static boolean hasChroma(Frame f) {
        byte[] s = f.samples();
        for (int i = 0; i + 2 < s.length; i += 3) {
            int r = s[i] & 0xff, g = s[i + 1] & 0xff, b = s[i + 2] & 0xff;
            if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > CHROMA) return true;
        }
        return false;
    }

    /** The sector letterboxed to {@code size x size} like the frames: a pixel is inside when more than half of it is. */
    static ImagingSector letterbox(Sector sector, int size) {
        boolean[] in = sector.mask();
        float[] m = new float[in.length];
        for (int i = 0; i < in.length; i++) m[i] = in[i] ? 1f : 0f;
        float[] fitted = FrameDataset.fit(m, sector.width(), sector.height(), size); // [-1, 1], outside the image -1
        float[] mask = new float[size * size];
        int count = 0;
        for (int i = 0; i < mask.length; i++) {
            if (fitted[i] > 0f) {
                mask[i] = 1f;
                count++;
            }
        }
        return count == 0 ? null : ImagingSector.of(size, size, mask);
    }
}
