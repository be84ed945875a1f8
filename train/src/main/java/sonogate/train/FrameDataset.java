package sonogate.train;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;

/**
 * Training frames: grey, in [-1, 1], {@code size x size}, grouped by the clip (file) they came
 * from and split into training and validation clips.
 *
 * <p>Sources: a folder, scanned recursively (PNG, JPEG and BMP images through javax.imageio, one
 * frame each; every other file that {@link ClipReaders} opens - DICOM, MetaImage, videos, GIF,
 * HDF5 clips - with every frame up to {@code maxFramesPerClip}, evenly strided; files it cannot
 * open are skipped with a one-line note, as are files whose name contains "annotation", which in
 * the public data sets are label masks), or an HDF5 file given directly, holding a frames x H x W
 * (or H x W) dataset of uint8 (0..255) or float ([0, 1] or [-1, 1], told by the value range)
 * values.
 *
 * <p>Each frame becomes grey (RGB to luminance, Rec. 601: 0.299 R + 0.587 G + 0.114 B), is
 * resized keeping its aspect so that its long side is {@code size} (area averaging when
 * shrinking, bilinear when enlarging) and padded to a square with -1 (black), centred.
 *
 * <p>Split rule (by file, so no validation frame's clip is trained on): the clips are sorted by
 * path; clip i is held out for validation when {@code (i + seed) mod k == 0} with k =
 * {@code holdOutEvery} (default 5). With fewer than two clips nothing is held out by file; an HDF5
 * file (one block of frames whose clip boundaries are unknown) holds out its last
 * {@code 1 / k} of frames as one contiguous block. When the rule would leave no training or no
 * validation clip, the last clip in path order goes to validation and the rest to training.
 */
public final class FrameDataset {

    /** One source file's frames (each {@code size * size} values, row-major). */
    public record Clip(String name, List<float[]> frames) {}

    public static final int DEFAULT_HOLD_OUT_EVERY = 5;
    public static final int DEFAULT_MAX_FRAMES_PER_CLIP = 64;

    private final int size;
    private final List<Clip> train, validation;
    private final List<String> notes;

    private FrameDataset(int size, List<Clip> train, List<Clip> validation, List<String> notes) {
        this.size = size;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
        this.notes = List.copyOf(notes);
    }

    /** Loads with the default split (every 5th clip held out) and at most 64 frames per clip. */
    public static FrameDataset load(List<Path> sources, int size, long seed) throws IOException {
        return load(sources, size, seed, DEFAULT_HOLD_OUT_EVERY, DEFAULT_MAX_FRAMES_PER_CLIP);
    }

    public static FrameDataset load(List<Path> sources, int size, long seed, int holdOutEvery, int maxFramesPerClip) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("frame size must be positive: " + size);
        if (holdOutEvery < 2) throw new IllegalArgumentException("holdOutEvery must be at least 2: " + holdOutEvery);
        List<String> notes = new ArrayList<>();
        List<Clip> clips = new ArrayList<>();
        List<Clip> h5Train = new ArrayList<>(), h5Val = new ArrayList<>();
        for (Path source : sources) {
            if (!Files.exists(source)) throw new IOException(source + ": no such file or folder");
            if (Files.isDirectory(source)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(source)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    Clip c = readFile(f, size, maxFramesPerClip, notes);
                    if (c != null) clips.add(c);
                }
            } else if (isHdf5(source)) {
                List<float[]> frames = readHdf5(source, size, notes);
                int held = frames.size() < 2 ? 0 : Math.max(1, frames.size() / holdOutEvery);
                h5Train.add(new Clip(source.toString(), frames.subList(0, frames.size() - held)));
                if (held > 0) h5Val.add(new Clip(source + "#validation", frames.subList(frames.size() - held, frames.size())));
            } else {
                Clip c = readFile(source, size, maxFramesPerClip, notes);
                if (c != null) clips.add(c);
            }
        }
        clips.sort((a, b) -> a.name().compareTo(b.name()));
        List<Clip> train = new ArrayList<>(h5Train), validation = new ArrayList<>(h5Val);
        if (clips.size() >= 2) {
            List<Clip> t = new ArrayList<>(), v = new ArrayList<>();
            for (int i = 0; i < clips.size(); i++) {
                (Math.floorMod(i + seed, holdOutEvery) == 0 ? v : t).add(clips.get(i));
            }
            if (t.isEmpty() || v.isEmpty()) {
                t = new ArrayList<>(clips.subList(0, clips.size() - 1));
                v = List.of(clips.get(clips.size() - 1));
            }
            train.addAll(t);
            validation.addAll(v);
        } else {
            train.addAll(clips);
        }
        train.removeIf(c -> c.frames().isEmpty());
        if (train.isEmpty()) throw new IOException("no training frames found in " + sources);
        return new FrameDataset(size, train, validation, notes);
    }

    public int size() { return size; }
    public List<Clip> train() { return train; }
    public List<Clip> validation() { return validation; }
    /** One line per skipped or unreadable file. */
    public List<String> notes() { return notes; }

    public int trainFrameCount() { return train.stream().mapToInt(c -> c.frames().size()).sum(); }
    public int validationFrameCount() { return validation.stream().mapToInt(c -> c.frames().size()).sum(); }

    // ---- reading --------------------------------------------------------------------------------

    private static final List<String> IMAGES = List.of(".png", ".jpg", ".jpeg", ".bmp");
    private static final List<String> NOT_DATA = List.of(".md", ".txt", ".json", ".csv");

    private static Clip readFile(Path f, int size, int maxFrames, List<String> notes) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.contains("annotation")) {
                notes.add("skipped " + f + ": an annotation mask, not an image");
                return null;
            }
            if (endsWith(name, IMAGES)) {
                BufferedImage img = ImageIO.read(f.toFile());
                if (img == null) {
                    notes.add("skipped " + f + ": javax.imageio cannot decode it");
                    return null;
                }
                return new Clip(f.toString(), List.of(fit(grey(img), img.getWidth(), img.getHeight(), size)));
            }
            if (!endsWith(name, NOT_DATA)) {
                try (ClipReader r = ClipReaders.open(f)) {
                    int n = r.info().frameCount();
                    int take = Math.min(n, maxFrames);
                    List<float[]> frames = new ArrayList<>(take);
                    for (int k = 0; k < take; k++) {
                        Frame fr = r.readFrame((int) ((long) k * n / take));
                        frames.add(fit(grey(fr), fr.width(), fr.height(), size));
                    }
                    return new Clip(f.toString(), frames);
                }
            }
            return null;
        } catch (sonogate.io.ClipFormatException e) {
            notes.add("skipped " + e.getMessage()); // names the file and the problem
            return null;
        } catch (IOException | RuntimeException e) {
            notes.add("skipped " + f + ": " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            return null;
        }
    }

    private static boolean endsWith(String name, List<String> exts) {
        for (String e : exts) if (name.endsWith(e)) return true;
        return false;
    }

    private static boolean isHdf5(Path f) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(f)) {
            head = in.readNBytes(8);
        }
        return head.length == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F';
    }

    /** The first 2-D or 3-D numeric dataset (depth first, in name order) of the file. */
    private static List<float[]> readHdf5(Path file, int size, List<String> notes) throws IOException {
        try (HdfFile in = new HdfFile(file)) {
            Dataset ds = findFrames(in);
            if (ds == null) throw new IOException(file + ": no frames x H x W dataset found");
            int[] dims = ds.getDimensions();
            int n = dims.length == 3 ? dims[0] : 1, h = dims[dims.length - 2], w = dims[dims.length - 1];
            Object flat = ds.getDataFlat();
            float[] v = toFloats(flat);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            // range rule: bytes or values above 1.5 are 0..255; non-negative floats are [0, 1]; else [-1, 1]
            boolean bytes = flat instanceof byte[] || hi > 1.5f;
            boolean unit = !bytes && lo >= 0;
            List<float[]> frames = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                float[] g = new float[h * w];
                for (int i = 0; i < g.length; i++) {
                    float x = v[k * h * w + i];
                    g[i] = bytes ? Math.min(255f, Math.max(0f, x)) / 255f : unit ? Math.min(1f, x) : Math.min(1f, Math.max(-1f, x)) * 0.5f + 0.5f;
                }
                frames.add(fit(g, w, h, size));
            }
            notes.add("read " + n + " frames of " + h + "x" + w + " from " + file + ":" + ds.getPath());
            return frames;
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot read HDF5 frames: " + e.getMessage(), e);
        }
    }

    private static Dataset findFrames(Group g) {
        List<String> names = new ArrayList<>(g.getChildren().keySet());
        Collections.sort(names);
        for (String name : names) {
            Node c = g.getChild(name);
            if (c instanceof Dataset ds && (ds.getDimensions().length == 3 || ds.getDimensions().length == 2) && isNumeric(ds.getJavaType())) return ds;
        }
        for (String name : names) {
            if (g.getChild(name) instanceof Group sub) {
                Dataset d = findFrames(sub);
                if (d != null) return d;
            }
        }
        return null;
    }

    private static boolean isNumeric(Class<?> t) {
        return t == byte.class || t == short.class || t == int.class || t == long.class || t == float.class || t == double.class;
    }

    private static float[] toFloats(Object flat) {
        if (flat instanceof float[] f) return f;
        if (flat instanceof byte[] b) {
            float[] o = new float[b.length];
            for (int i = 0; i < b.length; i++) o[i] = b[i] & 0xff;
            return o;
        }
        if (flat instanceof short[] s) {
            float[] o = new float[s.length];
            for (int i = 0; i < s.length; i++) o[i] = s[i];
            return o;
        }
        if (flat instanceof int[] s) {
            float[] o = new float[s.length];
            for (int i = 0; i < s.length; i++) o[i] = s[i];
            return o;
        }
        if (flat instanceof long[] s) {
            float[] o = new float[s.length];
            for (int i = 0; i < s.length; i++) o[i] = s[i];
            return o;
        }
        if (flat instanceof double[] d) {
            float[] o = new float[d.length];
            for (int i = 0; i < d.length; i++) o[i] = (float) d[i];
            return o;
        }
        throw new IllegalArgumentException("unsupported HDF5 element type " + flat.getClass().getSimpleName());
    }

    // ---- pixels -----------------------------------------------------------------------------------

    /** Luminance in [0, 1]. */
    static float[] grey(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        float[] g = new float[w * h];
        boolean grey = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    g[y * w + x] = img.getRaster().getSample(x, y, 0) / 255f;
                } else {
                    int rgb = img.getRGB(x, y);
                    g[y * w + x] = luminance((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
                }
            }
        }
        return g;
    }

    static float[] grey(Frame f) {
        int w = f.width(), h = f.height(), c = f.channels();
        byte[] s = f.samples();
        float[] g = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            g[i] = c == 1 ? (s[i] & 0xff) / 255f : luminance(s[i * c] & 0xff, s[i * c + 1] & 0xff, s[i * c + 2] & 0xff);
        }
        return g;
    }

    private static float luminance(int r, int g, int b) {
        return (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255.0);
    }

    /**
     * [0, 1] grey {@code w x h} to [-1, 1] {@code size x size}: the long side resized to {@code size}
     * (area averaging when shrinking, bilinear when enlarging), centred, padded with -1.
     */
    static float[] fit(float[] grey, int w, int h, int size) {
        double scale = (double) size / Math.max(w, h);
        int nw = Math.max(1, (int) Math.round(w * scale)), nh = Math.max(1, (int) Math.round(h * scale));
        float[] r = scale < 1 ? area(grey, w, h, nw, nh) : bilinear(grey, w, h, nw, nh);
        float[] out = new float[size * size];
        java.util.Arrays.fill(out, -1f);
        int ox = (size - nw) / 2, oy = (size - nh) / 2;
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) out[(y + oy) * size + x + ox] = Math.min(1f, Math.max(-1f, r[y * nw + x] * 2f - 1f));
        }
        return out;
    }

    /** Box-filter resampling: each output pixel is the coverage-weighted mean of the input pixels under it. */
    static float[] area(float[] src, int w, int h, int nw, int nh) {
        double sx = (double) w / nw, sy = (double) h / nh;
        float[] out = new float[nw * nh];
        for (int y = 0; y < nh; y++) {
            double y0 = y * sy, y1 = y0 + sy;
            for (int x = 0; x < nw; x++) {
                double x0 = x * sx, x1 = x0 + sx, sum = 0, wsum = 0;
                for (int yy = (int) y0; yy < Math.min(h, (int) Math.ceil(y1)); yy++) {
                    double wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                    if (wy <= 0) continue;
                    for (int xx = (int) x0; xx < Math.min(w, (int) Math.ceil(x1)); xx++) {
                        double wx = Math.min(x1, xx + 1) - Math.max(x0, xx);
                        if (wx <= 0) continue;
                        sum += wx * wy * src[yy * w + xx];
                        wsum += wx * wy;
                    }
                }
                out[y * nw + x] = (float) (sum / wsum);
            }
        }
        return out;
    }

    /** Bilinear with pixel centres aligned (align_corners = false), edges clamped. */
    static float[] bilinear(float[] src, int w, int h, int nw, int nh) {
        float[] out = new float[nw * nh];
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / nh - 0.5));
            int y0 = (int) fy, y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / nw - 0.5));
                int x0 = (int) fx, x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                double top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
                double bot = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
                out[y * nw + x] = (float) (top * (1 - ty) + bot * ty);
            }
        }
        return out;
    }

    /** Prints the notes, one line each. */
    public void printNotes(PrintStream out) {
        for (String n : notes) out.println(n);
    }
}
