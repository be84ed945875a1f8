package sonogate.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.nn.Generator;
import sonogate.nn.HarmonicFill;
import sonogate.nn.ModelConfig;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;
import sonogate.train.CheckpointInfo;

/**
 * The public inference API: a trained translator that turns colour-flow frames into B-mode.
 *
 * <pre>{@code
 * try (SonogateModel model = SonogateModel.load(Path.of("weights.h5"));
 *      ClipReader clip = ClipReaders.open(Path.of("cfd.dcm"))) {
 *     model.translateClip(clip, frame -> save(frame), 8);   // 8-bit grey frames, in order
 * }
 * }</pre>
 *
 * <p><b>Frame size rule.</b> The model runs at its configuration's frame size S (tiny 64, small 128,
 * base 256) on every frame: each frame is letterboxed, i.e. scaled by S / max(h, w) keeping its
 * aspect ratio, centred, padded with black and mask 0; nothing is cropped. The output is scaled back
 * to h x w and composited with the input: where the mask is 0 the output IS the input grey (bit
 * exact); only colour pixels come from the model. Frames already S x S are not resampled.
 *
 * <p><b>Streaming.</b> {@link #translateFrames} reads {@code batch} frames, runs one forward pass in
 * inference mode ({@link Tape#noGrad()}, nothing recorded) inside a {@link Scope} that frees every
 * tensor of the batch, hands the output frames to the consumer and forgets them: memory is bounded
 * by one batch whatever the clip length.
 *
 * <p><b>Temporal models</b> ({@link ModelConfig#temporal()}) see each frame's previous and next
 * frames and their masks ({@link Neighbours}): {@link #translateFrames} and {@link #translateSequence}
 * take them from the stream (a lookahead of one frame: a batch waits for the frame after it; memory
 * stays bounded by one batch and two frames); the first and last frames, frames next to a change
 * of frame size, and the independent frames of {@link #translate} and {@link #translateBatch}
 * stand in for their own missing neighbours. A model without the option ignores neighbours.
 *
 * <p>Deterministic: the same input and checkpoint give the same bits. Not thread-safe (one model per
 * thread); the computation itself uses the kernels' thread pool.
 */
public final class SonogateModel implements AutoCloseable {
    private final Translator translator;
    private final CheckpointInfo info;

    private SonogateModel(Translator translator, CheckpointInfo info) {
        this.translator = translator;
        this.info = info;
    }

    /**
     * Loads a checkpoint (training or weights-only); the configuration comes from the file.
     *
     * @throws sonogate.train.CheckpointException a one-line error naming the file when it is missing or invalid
     */
    public static SonogateModel load(Path checkpoint) {
        return load(checkpoint, Device.CPU);
    }

    /** Loads a checkpoint onto {@code device} (Device.CUDA needs the GPU backend registered first). */
    public static SonogateModel load(Path checkpoint, Device device) {
        CheckpointInfo info = Checkpoint.readConfig(checkpoint);
        Translator t = Translator.forInference(info.config(), device, 0);
        try {
            Checkpoint.loadWeights(checkpoint, t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return new SonogateModel(t, info);
    }

    /** Wraps an in-memory translator (tests, training previews); the caller keeps ownership of it. */
    public static SonogateModel of(Translator translator) {
        return new SonogateModel(translator, null);
    }

    public ModelConfig config() {
        return translator.config();
    }

    /** What the checkpoint says about itself; null for {@link #of}. */
    public CheckpointInfo checkpointInfo() {
        return info;
    }

    /**
     * Translates one frame.
     *
     * @param grey h*w grey values in [-1, 1], row-major (values under the mask are ignored)
     * @param mask h*w values, 1 (any value &gt;= 0.5) where colour is to be replaced, 0 where the grey is known
     * @return h*w values in [-1, 1]: {@code grey} where mask is 0, the model's B-mode where it is 1
     */
    public float[] translate(float[] grey, float[] mask, int h, int w) {
        return translateBatch(List.of(grey), List.of(mask), h, w).get(0);
    }

    /**
     * {@link #translate} of several independent frames of one size in one forward pass (for a
     * temporal model each frame is its own neighbour; consecutive frames of a clip go to
     * {@link #translateSequence}).
     */
    public List<float[]> translateBatch(List<float[]> greys, List<float[]> masks, int h, int w) {
        int n = greys.size();
        if (n == 0 || masks.size() != n) throw new IllegalArgumentException("translate: " + n + " frames and " + masks.size() + " masks");
        return composite(greys, masks, h, w, config().temporal() ? List.of(greys, masks, greys, masks) : null);
    }

    /** The model's fill of frames of one size (neighbours as in {@link #run}), composited with their known pixels. */
    private List<float[]> composite(List<float[]> greys, List<float[]> masks, int h, int w, List<List<float[]>> neighbours) {
        int n = greys.size();
        for (int i = 0; i < n; i++) {
            if (greys.get(i).length != h * w || masks.get(i).length != h * w) {
                throw new IllegalArgumentException("translate: frame " + i + " has " + greys.get(i).length + " grey values and "
                        + masks.get(i).length + " mask values, expected " + h + "x" + w + " = " + h * w);
            }
        }
        Letterbox lb = new Letterbox(h, w, config().frameSize());
        List<Letterbox> boxes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) boxes.add(lb);
        float[][] raw = run(boxes, greys, masks, neighbours);
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] g = greys.get(i), m = masks.get(i), r = raw[i];
            float[] o = new float[h * w];
            for (int p = 0; p < o.length; p++) o[p] = m[p] >= 0.5f ? clamp(r[p]) : g[p];
            out.add(o);
        }
        return out;
    }

    /**
     * Consecutive frames of one clip, all h x w, {@code batch} per forward pass: a temporal model
     * sees each frame's neighbours in the list (the ends stand in for themselves); for any other
     * model this equals {@link #translateBatch} of the frames. Values as in {@link #translate}.
     */
    public List<float[]> translateSequence(List<float[]> greys, List<float[]> masks, int h, int w, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        int n = greys.size();
        if (n == 0 || masks.size() != n) throw new IllegalArgumentException("translate: " + n + " frames and " + masks.size() + " masks");
        List<float[]> out = new ArrayList<>(n);
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            if (!config().temporal()) {
                out.addAll(translateBatch(greys.subList(start, end), masks.subList(start, end), h, w));
                continue;
            }
            List<float[][]> window = new ArrayList<>(end - start + 2);   // the batch and one frame each side (the ends stand in)
            for (int i = start - 1; i <= end; i++) {
                int c = Math.clamp(i, 0, n - 1);
                window.add(new float[][] {greys.get(c), masks.get(c)});
            }
            out.addAll(composite(greys.subList(start, end), masks.subList(start, end), h, w, neighbourLists(window)));
        }
        return out;
    }

    /**
     * Streams a clip: {@link #translateFrames} with the colour mask of {@link ColourMask#forClip}
     * (the clip's sector from its DICOM regions or from frames sampled over it) at the defaults.
     */
    public int translateClip(ClipReader clip, Consumer<Frame> sink, int batch) {
        ColourMask masker;
        try {
            masker = ColourMask.forClip(clip, MaskSettings.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return translateFrames(clip.frames(), masker, sink, batch);
    }

    /**
     * Streams frames through the model, {@code batch} at a time, in order: each frame's colour mask
     * and grey input come from {@code masker}'s stream ({@link ColourMask#stream}: temporally
     * smoothed, reading at most its temporal radius of frames ahead, plus the first frames when it
     * estimates the sector itself); {@code sink} receives one 8-bit grey {@link Frame} of
     * the input's size per input frame (non-colour pixels are the input's luminance, exactly).
     * Frames may differ in size (batched by consecutive runs of one size). Returns the number of frames.
     *
     * @throws UncheckedIOException when the iterator fails to read a frame (as {@link ClipReader#frames()} does)
     */
    public int translateFrames(Iterator<Frame> frames, ColourMask masker, Consumer<Frame> sink, int batch) {
        Objects.requireNonNull(sink, "sink");
        return translateFramesWithMasks(frames, masker, (mask, frame) -> sink.accept(frame), batch);
    }

    /**
     * As {@link #translateFrames(Iterator, ColourMask, Consumer, int)}, and {@code sink} also
     * receives the (temporally smoothed) colour-mask estimate each frame was translated with, e.g.
     * for a comparison clip that shows what the model filled.
     */
    public int translateFramesWithMasks(Iterator<Frame> frames, ColourMask masker, BiConsumer<ColourMask.Result, Frame> sink, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        Objects.requireNonNull(sink, "sink");
        boolean temporal = config().temporal();
        int count = 0;
        List<ColourMask.Result> pending = new ArrayList<>(batch);
        ColourMask.Result before = null;   // temporal: the frame before pending's first; null at a sequence's start
        Iterator<ColourMask.Result> results = masker.stream(frames);   // temporally smoothed, bounded lookahead
        while (results.hasNext()) {
            ColourMask.Result r = results.next();
            if (!pending.isEmpty() && (r.width() != pending.get(0).width() || r.height() != pending.get(0).height())) {
                count += flush(pending, before, null, sink);   // a new frame size starts a new sequence
                before = null;
            }
            if (temporal && pending.size() == batch) {         // a full batch waited for its last frame's next frame, r
                ColourMask.Result last = pending.getLast();
                count += flush(pending, before, r, sink);
                before = last;
            }
            pending.add(r);
            if (!temporal && pending.size() == batch) count += flush(pending, null, null, sink);
        }
        if (!pending.isEmpty()) count += flush(pending, before, null, sink);
        return count;
    }

    /**
     * Translates the pending frames; a temporal model's neighbours come from the pending frames and
     * {@code before} / {@code after} (the frames just outside them; null: the end frame stands in).
     */
    private int flush(List<ColourMask.Result> pending, ColourMask.Result before, ColourMask.Result after, BiConsumer<ColourMask.Result, Frame> sink) {
        int n = pending.size(), h = pending.get(0).height(), w = pending.get(0).width();
        Letterbox lb = new Letterbox(h, w, config().frameSize());
        List<Letterbox> boxes = new ArrayList<>(n);
        List<float[]> greys = new ArrayList<>(n), masks = new ArrayList<>(n);
        for (ColourMask.Result r : pending) {
            boxes.add(lb);
            float[][] gm = toUnit(r);
            greys.add(gm[0]);
            masks.add(gm[1]);
        }
        List<List<float[]>> neighbours = null;
        if (config().temporal()) {
            // before, the pending frames, after: frame i's neighbours are window[i] and window[i + 2]
            List<float[][]> window = new ArrayList<>(n + 2);
            window.add(before != null ? toUnit(before) : new float[][] {greys.get(0), masks.get(0)});
            for (int i = 0; i < n; i++) window.add(new float[][] {greys.get(i), masks.get(i)});
            window.add(after != null ? toUnit(after) : new float[][] {greys.get(n - 1), masks.get(n - 1)});
            neighbours = neighbourLists(window);
        }
        float[][] raw = run(boxes, greys, masks, neighbours);
        for (int i = 0; i < n; i++) {
            ColourMask.Result r = pending.get(i);
            byte[] out = r.grey().clone();
            byte[] mb = r.mask();
            float[] o = raw[i];
            for (int p = 0; p < out.length; p++) if (mb[p] != 0) out[p] = toByte(o[p]);
            sink.accept(r, new Frame(w, h, 1, out));
        }
        pending.clear();
        return n;
    }

    /**
     * The neighbours {@link #run} takes, from {@code window}: {grey, mask} pairs of n frames with one
     * more on each side, so frame i's previous is window[i] and its next window[i + 2]. Returns the
     * previous greys, previous masks, next greys and next masks.
     */
    private static List<List<float[]>> neighbourLists(List<float[][]> window) {
        int n = window.size() - 2;
        List<List<float[]>> out = List.of(new ArrayList<>(n), new ArrayList<>(n), new ArrayList<>(n), new ArrayList<>(n));
        for (int i = 0; i < n; i++) {
            out.get(0).add(window.get(i)[0]);
            out.get(1).add(window.get(i)[1]);
            out.get(2).add(window.get(i + 2)[0]);
            out.get(3).add(window.get(i + 2)[1]);
        }
        return out;
    }

    /** A mask result's grey and mask as the model's floats: {grey in [-1, 1], mask 0/1}. */
    public static float[][] toUnit(ColourMask.Result r) {
        byte[] gb = r.grey(), mb = r.mask();
        float[] g = new float[gb.length], m = new float[mb.length];
        for (int p = 0; p < g.length; p++) {
            g[p] = toUnit(gb[p]);
            m[p] = mb[p];
        }
        return new float[][] {g, m};
    }

    /**
     * One forward pass over letterboxed frames; returns each frame's model output scaled back to its
     * size. {@code neighbours}: a temporal model's previous greys, previous masks, next greys and next
     * masks, one per frame (letterboxed like the frames); null for any other model.
     */
    private float[][] run(List<Letterbox> boxes, List<float[]> greys, List<float[]> masks, List<List<float[]>> neighbours) {
        int n = boxes.size(), s = config().frameSize(), plane = s * s;
        float[] x = new float[n * plane], m = new float[n * plane];
        for (int i = 0; i < n; i++) boxes.get(i).forward(greys.get(i), masks.get(i), x, m, i * plane);
        float[][] nb = neighbours == null ? null : new float[4][n * plane];
        if (nb != null) for (int i = 0; i < n; i++) {
            boxes.get(i).forward(neighbours.get(0).get(i), neighbours.get(1).get(i), nb[0], nb[1], i * plane);
            boxes.get(i).forward(neighbours.get(2).get(i), neighbours.get(3).get(i), nb[2], nb[3], i * plane);
        }
        float[] out, prefill = null;
        try (Tape.NoGrad ng = Tape.noGrad(); Scope scope = Scope.open()) {
            Tensor xt = onModelDevice(Tensor.of(x, n, 1, s, s)), mt = onModelDevice(Tensor.of(m, n, 1, s, s));
            Neighbours nt = nb == null ? null : Neighbours.of(nb, n, s, this::onModelDevice);
            Generator.Output o = translator.generator().forward(xt, mt, nt);
            out = o.composite().toFloatArray();
            if (o.prefill() != null) prefill = o.prefill().toFloatArray();
        }
        float[][] back = new float[n][];
        for (int i = 0; i < n; i++) {
            back[i] = prefill == null ? boxes.get(i).back(out, i * plane)
                    : correctedFullSizeFill(boxes.get(i), greys.get(i), masks.get(i), out, prefill, i * plane);
        }
        return back;
    }

    /**
     * For a model with the prefill option: the diffusion fill of the frame at its own size plus the
     * model's correction (its output minus its own S x S prefill) scaled back. The fill at full size
     * keeps the hole's border as sharp as the frame; the model adds what diffusion cannot guess.
     */
    private static float[] correctedFullSizeFill(Letterbox box, float[] grey, float[] mask, float[] out, float[] prefill, int offset) {
        int plane = box.size * box.size;
        float[] correction = new float[plane], lowFill = new float[plane];
        for (int p = 0; p < plane; p++) {
            correction[p] = out[offset + p] - prefill[offset + p];
            lowFill[p] = prefill[offset + p];
        }
        byte[] hole = HarmonicFill.holeOf(mask, 0, mask.length);
        float[] fill = HarmonicFill.fill(grey, hole, box.w, box.h, HarmonicFill.DEFAULT_TOLERANCE, box.back(lowFill, 0));
        float[] up = box.back(correction, 0);
        for (int p = 0; p < fill.length; p++) fill[p] += up[p];
        return fill;
    }

    /** A host tensor moved to the model's device (itself on the CPU). */
    private Tensor onModelDevice(Tensor host) {
        if (translator.device() == Device.CPU) return host;
        try (host) {
            return host.to(translator.device());
        }
    }

    /** 8-bit grey to the model's [-1, 1]. */
    public static float toUnit(byte v) {
        return (v & 0xFF) / 127.5f - 1f;
    }

    /** The model's [-1, 1] to 8-bit grey (clamped, rounded). */
    public static byte toByte(float v) {
        return (byte) Math.clamp(Math.round((v + 1f) * 127.5f), 0, 255);
    }

    private static float clamp(float v) {
        return Float.isNaN(v) ? 0f : Math.clamp(v, -1f, 1f);
    }

    /** Frees the weights (not for {@link #of}: the caller owns that translator). */
    @Override
    public void close() {
        if (info != null) translator.close();
    }
}
