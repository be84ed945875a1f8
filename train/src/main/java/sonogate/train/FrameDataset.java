package sonogate.train;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import sonogate.io.Frame;
import sonogate.train.data.ImagingSector;

/**
 * Training frames: grey, in [-1, 1], {@code size x size}, grouped by the clip (file) they came
 * from and split into training and validation clips.
 *
 * <p>Sources: a folder, scanned recursively, or files given directly. Every file the io module
 * reads is used the same way ({@link ClipSampler}): DICOM, MetaImage, MP4/MOV, MPEG, AVI, GIF,
 * HDF5 clips through {@link sonogate.io.ClipReaders}, PNG/JPEG/BMP images as one-frame clips;
 * files it cannot open are skipped with a one-line note. Files are left out by
 * {@link DataExclusions} (the hold-out list of evaluation clips, label images, {@code --exclude}
 * globs), frames showing colour flow are dropped, and each clip carries its imaging sector. An
 * HDF5 file given directly may instead hold a frames x H x W (or H x W) dataset of uint8 (0..255)
 * or float ([0, 1] or [-1, 1], told by the value range) values.
 *
 * <p>Frames per clip: up to {@link Options#maxFramesPerClip()} evenly strided over the clip; when
 * all clips together would exceed {@link Options#budgetBytes()} (one byte per pixel at the
 * training size), every clip's share is capped at one common number, the largest that fits, so
 * memory stays bounded however many or long the clips are. Decoding is streamed (one native frame
 * at a time per loading thread) and clips are read on {@link Options#threads()} threads; the
 * result does not depend on the thread count.
 *
 * <p>Each frame becomes grey (RGB to luminance, Rec. 601: 0.299 R + 0.587 G + 0.114 B), is
 * resized keeping its aspect so that its long side is {@code size} (area averaging when
 * shrinking, bilinear when enlarging), padded to a square with -1 (black), centred, and stored
 * with 8 bits ({@code round((v + 1) * 127.5)}, so -1 and 1 are exact).
 *
 * <p>Split rule (by file, so no validation frame's clip is trained on): the clips are sorted by
 * path; clip i is held out for validation when {@code (i + seed) mod k == 0} with k =
 * {@code holdOutEvery} (default 5). With fewer than two clips nothing is held out by file; an HDF5
 * file (one block of frames whose clip boundaries are unknown) holds out its last
 * {@code 1 / k} of frames as one contiguous block. When the rule would leave no training or no
 * validation clip, the last clip in path order goes to validation and the rest to training.
 */
public final class FrameDataset {

    /**
     * One source file's frames, 8 bits per pixel at {@code size x size}, and its imaging sector
     * letterboxed to that size (null: unknown, estimated per frame by {@link SectorEstimate}).
     */
    public static final class Clip {
        private final String name;
        private final int size, count;
        private final byte[] pixels;
        private final ImagingSector sector;

        Clip(String name, int size, byte[] pixels, int count, ImagingSector sector) {
            if (pixels.length != count * size * size) throw new IllegalArgumentException("clip " + name + ": pixel count");
            this.name = name;
            this.size = size;
            this.pixels = pixels;
            this.count = count;
            this.sector = sector;
        }

        /** A clip of already letterboxed [-1, 1] frames (no sector). */
        static Clip of(String name, int size, List<float[]> frames) {
            byte[] px = new byte[frames.size() * size * size];
            for (int k = 0; k < frames.size(); k++) quantize(frames.get(k), px, k * size * size);
            return new Clip(name, size, px, frames.size(), null);
        }

        public String name() { return name; }
        public int frameCount() { return count; }
        /** The clip's sector at the training size, or null when it is estimated per frame. */
        public ImagingSector sector() { return sector; }

        /** Frame {@code k} as fresh [-1, 1] values. */
        public float[] frame(int k) {
            java.util.Objects.checkIndex(k, count);
            float[] f = new float[size * size];
            for (int i = 0, o = k * size * size; i < f.length; i++) f[i] = (pixels[o + i] & 0xff) / 127.5f - 1f;
            return f;
        }

        /** The frames as a list view (each {@code get} decodes a fresh copy). */
        public List<float[]> frames() {
            return new java.util.AbstractList<>() {
                @Override
                public float[] get(int k) { return frame(k); }

                @Override
                public int size() { return count; }
            };
        }

        /** [-1, 1] values to 8 bits at {@code offset} of {@code dst}. */
        static void quantize(float[] v, byte[] dst, int offset) {
            for (int i = 0; i < v.length; i++) dst[offset + i] = (byte) Math.round((Math.max(-1f, Math.min(1f, v[i])) + 1f) * 127.5f);
        }

        Clip subClip(String newName, int from, int to) {
            int hw = size * size;
            return new Clip(newName, size, java.util.Arrays.copyOfRange(pixels, from * hw, to * hw), to - from, sector);
        }
    }

    /**
     * How a dataset is loaded.
     *
     * @param holdOutEvery     every k-th clip (in path order) is a validation clip; default 5
     * @param maxFramesPerClip frames sampled per clip at most; default 256
     * @param budgetBytes      all clips' frames together at most (one byte a pixel); default 512 MiB
     * @param exclusions       the files left out; default the hold-out list (and label images)
     * @param threads          clips decoded at once; default min(4, processors); no effect on the result
     */
    public record Options(int holdOutEvery, int maxFramesPerClip, long budgetBytes, DataExclusions exclusions, int threads) {
        public Options {
            if (holdOutEvery < 2) throw new IllegalArgumentException("holdOutEvery must be at least 2: " + holdOutEvery);
            if (maxFramesPerClip < 1) throw new IllegalArgumentException("maxFramesPerClip must be at least 1: " + maxFramesPerClip);
            if (budgetBytes < 1) throw new IllegalArgumentException("budgetBytes must be positive: " + budgetBytes);
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
            java.util.Objects.requireNonNull(exclusions, "exclusions");
        }

        public static Options defaults() {
            return new Options(DEFAULT_HOLD_OUT_EVERY, DEFAULT_MAX_FRAMES_PER_CLIP, DEFAULT_BUDGET_BYTES, DataExclusions.defaults(List.of()),
                    Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        }

        public Options withHoldOutEvery(int v) { return new Options(v, maxFramesPerClip, budgetBytes, exclusions, threads); }
        public Options withMaxFramesPerClip(int v) { return new Options(holdOutEvery, v, budgetBytes, exclusions, threads); }
        public Options withBudgetBytes(long v) { return new Options(holdOutEvery, maxFramesPerClip, v, exclusions, threads); }
        public Options withExclusions(DataExclusions v) { return new Options(holdOutEvery, maxFramesPerClip, budgetBytes, v, threads); }
        public Options withThreads(int v) { return new Options(holdOutEvery, maxFramesPerClip, budgetBytes, exclusions, v); }
    }

    public static final int DEFAULT_HOLD_OUT_EVERY = 5;
    public static final int DEFAULT_MAX_FRAMES_PER_CLIP = 256;
    public static final long DEFAULT_BUDGET_BYTES = 512L << 20;

    /** Checkpoint settings keys of the file selection (so that a resume reads the same frames). */
    public static final String SETTING_EXCLUDE = "data_exclude", SETTING_HOLDOUT = "data_holdout";

    private final int size;
    private final List<Clip> train, validation;
    private final List<String> notes;
    private final Map<String, Object> selection;

    private FrameDataset(int size, List<Clip> train, List<Clip> validation, List<String> notes, DataExclusions exclusions) {
        this.size = size;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
        this.notes = List.copyOf(notes);
        this.selection = Map.of(SETTING_EXCLUDE, String.join("\n", exclusions.globs()), SETTING_HOLDOUT, !exclusions.holdout().isEmpty());
    }

    /** Loads with the default options. */
    public static FrameDataset load(List<Path> sources, int size, long seed) throws IOException {
        return load(sources, size, seed, Options.defaults());
    }

    /** Loads with the default options but {@code holdOutEvery} and {@code maxFramesPerClip}. */
    public static FrameDataset load(List<Path> sources, int size, long seed, int holdOutEvery, int maxFramesPerClip) throws IOException {
        return load(sources, size, seed, Options.defaults().withHoldOutEvery(holdOutEvery).withMaxFramesPerClip(maxFramesPerClip));
    }

    public static FrameDataset load(List<Path> sources, int size, long seed, Options options) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("frame size must be positive: " + size);
        int holdOutEvery = options.holdOutEvery();
        List<String> notes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Clip> h5Train = new ArrayList<>(), h5Val = new ArrayList<>();
        int excluded = 0;
        for (Path source : sources) {
            if (!Files.exists(source)) throw new IOException(source + ": no such file or folder");
            if (Files.isDirectory(source)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(source)) {
                    found = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : found) {
                    if (endsWith(f.getFileName().toString().toLowerCase(Locale.ROOT), NOT_DATA)) continue;
                    String why = options.exclusions().reason(f, source.relativize(f));
                    if (why != null) {
                        notes.add("excluded " + f + ": " + why);
                        excluded++;
                    } else {
                        files.add(f);
                    }
                }
            } else if (isHdf5(source)) {
                Clip all = Clip.of(source.toString(), size, readHdf5(source, size, notes));
                int n = all.frameCount();
                int held = n < 2 ? 0 : Math.max(1, n / holdOutEvery);
                h5Train.add(all.subClip(source.toString(), 0, n - held));
                if (held > 0) h5Val.add(all.subClip(source + "#validation", n - held, n));
            } else {
                String why = options.exclusions().reason(source, source.getFileName());
                if (why != null) {
                    notes.add("excluded " + source + ": " + why);
                    excluded++;
                } else {
                    files.add(source);
                }
            }
        }
        List<Clip> clips = readClips(files, size, options, notes);
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
        train.removeIf(c -> c.frameCount() == 0);
        notes.add(String.format(Locale.ROOT, "data: %d files used, %d excluded, %d skipped", clips.size(), excluded,
                files.size() - clips.size()));
        if (train.isEmpty()) throw new IOException("no training frames found in " + sources);
        return new FrameDataset(size, train, validation, notes, options.exclusions());
    }

    /**
     * Every file's clip (in the given order, unreadable ones left out with a note): frame counts
     * first, then each clip's share of the budget, then the frames, {@code threads} files at a time.
     */
    private static List<Clip> readClips(List<Path> files, int size, Options options, List<String> notes) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "sonogate-data-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Object>> counting = new ArrayList<>();
            for (Path f : files) {
                counting.add(pool.submit(() -> {
                    try {
                        return (Object) ClipSampler.frameCount(f);
                    } catch (IOException | RuntimeException | NoClassDefFoundError e) {
                        return ClipSampler.skipped(f, e);
                    }
                }));
            }
            int[] counts = new int[files.size()];
            String[] failed = new String[files.size()];
            for (int i = 0; i < files.size(); i++) {
                Object o = get(counting.get(i));
                if (o instanceof Integer n) counts[i] = n;
                else failed[i] = (String) o;
            }
            int[] quotas = quotas(counts, options.maxFramesPerClip(), Math.max(1, options.budgetBytes() / ((long) size * size)));
            List<Future<ClipSampler.Result>> reading = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                int q = quotas[i];
                reading.add(failed[i] != null ? null : pool.submit(() -> ClipSampler.read(f, size, q)));
            }
            List<Clip> clips = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (failed[i] != null) {
                    notes.add(failed[i]);
                    continue;
                }
                ClipSampler.Result r = get(reading.get(i));
                notes.add(r.note());
                if (r.clip() != null) clips.add(r.clip());
            }
            return clips;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading frames", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loading frames failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Frames to take from each clip: {@code min(count, maxPerClip)}, and when those add up to more
     * than {@code budget}, {@code min(count, cap)} with the largest common cap that fits (each
     * readable clip keeps at least one frame).
     */
    static int[] quotas(int[] counts, int maxPerClip, long budget) {
        int[] q = new int[counts.length];
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            q[i] = Math.min(counts[i], maxPerClip);
            sum += q[i];
        }
        if (sum <= budget) return q;
        int lo = 1, hi = maxPerClip; // the largest cap with sum(min(q, cap)) <= budget, at least 1
        while (lo < hi) {
            int mid = (int) (((long) lo + hi + 1) / 2);
            long s = 0;
            for (int v : q) s += Math.min(v, mid);
            if (s <= budget) lo = mid;
            else hi = mid - 1;
        }
        for (int i = 0; i < q.length; i++) q[i] = Math.min(q[i], lo);
        return q;
    }

    /**
     * How the files were chosen, for the checkpoint's settings: {@value #SETTING_EXCLUDE} (the
     * --exclude globs, one a line) and {@value #SETTING_HOLDOUT} (whether the hold-out list applied).
     */
    public Map<String, Object> selection() { return selection; }

    public int size() { return size; }
    public List<Clip> train() { return train; }
    public List<Clip> validation() { return validation; }
    /** One line per used, excluded, skipped or unreadable file, and a summary. */
    public List<String> notes() { return notes; }

    public int trainFrameCount() { return train.stream().mapToInt(Clip::frameCount).sum(); }
    public int validationFrameCount() { return validation.stream().mapToInt(Clip::frameCount).sum(); }

    // ---- reading --------------------------------------------------------------------------------

    private static final List<String> NOT_DATA = List.of(".md", ".txt", ".json", ".csv", ".jsonl", ".html");

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
