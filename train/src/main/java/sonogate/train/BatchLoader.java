package sonogate.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sonogate.train.data.Augmentation;
import sonogate.train.data.ImagingSector;
import sonogate.train.data.MaskMixer;

/**
 * Builds training batches on background daemon threads, at most a few batches ahead, so the
 * training step never waits on decoding, mask drawing or augmentation.
 *
 * <p>Determinism: batch {@code b} is a pure function of ({@code seed}, {@code b}) — its samples
 * draw from {@code new Rng(mix(seed, b))} — so the sequence does not depend on timing or on the
 * number of worker threads (worker w builds batches first + w, first + w + workers, ...; they are
 * handed out in index order), and a resumed run needs only the seed and the index of its next
 * batch (the training step) to go on with exactly the batches the uninterrupted run would have
 * seen. Each sample picks a training clip uniformly, then a frame of it uniformly, draws its hole
 * from the {@link MaskMixer} inside the clip's imaging sector ({@link FrameDataset.Clip#sector()},
 * else the frame's own estimate, {@link SectorEstimate}: holes on black background teach nothing
 * and pull the L1 optimum towards black) and applies one {@link Augmentation} draw to frame and
 * mask together.
 *
 * <p>Temporal configs ({@link sonogate.nn.ModelConfig#temporal()}): each sample also carries the
 * previous and next frames of its clip (the neighbouring stored frames, i.e. consecutive at the
 * clip's stride; at a clip's ends, and for a one-frame clip, the frame itself) with their own
 * masks: one {@link MaskMixer} draw of three frames, so a CFD-like mask moves smoothly from one
 * to the next (where a neighbour is the frame itself, so is its mask). The one augmentation draw
 * applies to all three frames and masks.
 */
public final class BatchLoader implements AutoCloseable {

    /**
     * One batch: {@code frames} and {@code masks} are [batch, 1, size, size] row-major; for a
     * temporal loader the four neighbour arrays are too (each sample's previous and next frame and
     * their masks), else they are null.
     */
    public record Batch(long index, int batch, int size, float[] frames, float[] masks,
                        float[] previousFrames, float[] previousMasks, float[] nextFrames, float[] nextMasks) {
        /** A batch without neighbours. */
        public Batch(long index, int batch, int size, float[] frames, float[] masks) {
            this(index, batch, size, frames, masks, null, null, null, null);
        }

        public boolean temporal() {
            return previousFrames != null;
        }
    }

    private final FrameDataset data;
    private final MaskMixer masks;
    private final Augmentation augmentation;
    private final long seed;
    private final int batch, capacity;
    private final boolean temporal;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Long, Object> ready = new HashMap<>();   // built batches (or a worker's exception) by index; guarded by itself
    private volatile boolean closed;
    private long nextToTake;                                  // guarded by ready

    /**
     * Worker threads for this machine: one per spare processor, at most 8 (a frame takes ~10 ms at
     * 128 x 128, so a GPU step may need several; idle workers only wait).
     */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** One worker thread (see {@link #BatchLoader(FrameDataset, MaskMixer, Augmentation, long, int, long, int, int)}). */
    public BatchLoader(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long firstIndex, int prefetch) {
        this(data, masks, augmentation, seed, batch, firstIndex, prefetch, 1);
    }

    /**
     * Starts the workers; the first batch handed out is {@code firstIndex}.
     *
     * @param prefetch how many batches may be built ahead of the one being taken (2 to 4 is plenty;
     *     at least {@code workers})
     * @param workers  threads building batches; the batches do not depend on it
     */
    public BatchLoader(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long firstIndex, int prefetch, int workers) {
        this(data, masks, augmentation, seed, batch, firstIndex, prefetch, workers, false);
    }

    /** As above; {@code temporal} adds each sample's neighbouring frames and masks (class comment). */
    public BatchLoader(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long firstIndex, int prefetch, int workers,
                       boolean temporal) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1: " + workers);
        if (data.train().isEmpty()) throw new IllegalArgumentException("no training clips");
        this.data = data;
        this.masks = masks;
        this.augmentation = augmentation;
        this.seed = seed;
        this.batch = batch;
        this.temporal = temporal;
        this.capacity = Math.max(Math.max(1, prefetch), workers);
        this.nextToTake = firstIndex;
        for (int w = 0; w < workers; w++) {
            long first = firstIndex + w;
            threads.add(Thread.ofPlatform().daemon(true).name("sonogate-batch-loader-" + w).unstarted(() -> produce(first, workers)));
        }
        threads.forEach(Thread::start);
    }

    private void produce(long first, int stride) {
        try {
            for (long b = first; !closed; b += stride) {
                synchronized (ready) {
                    while (!closed && b >= nextToTake + capacity) ready.wait();
                }
                if (closed) return;
                Object item;
                try {
                    item = build(b);
                } catch (RuntimeException | Error e) { // handed to the consumer, which would otherwise wait forever
                    item = e;
                }
                synchronized (ready) {
                    ready.put(b, item);
                    ready.notifyAll();
                }
                if (item instanceof Throwable) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch in order; blocks until it is built. */
    public Batch next() {
        Object item;
        synchronized (ready) {
            try {
                while (!ready.containsKey(nextToTake)) ready.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            item = ready.remove(nextToTake);
            nextToTake++;
            ready.notifyAll();
        }
        if (item instanceof Throwable e) throw new IllegalStateException("batch loader failed: " + e, e);
        return (Batch) item;
    }

    /** Builds batch {@code index} on the calling thread (what the loader thread does). */
    public Batch build(long index) {
        return temporal ? buildTemporal(data, masks, augmentation, seed, batch, index) : build(data, masks, augmentation, seed, batch, index);
    }

    public static Batch build(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long index) {
        Rng rng = new Rng(mix(seed, index));
        int s = data.size(), hw = s * s;
        float[] frames = new float[batch * hw], holes = new float[batch * hw];
        List<FrameDataset.Clip> clips = data.train();
        for (int i = 0; i < batch; i++) {
            FrameDataset.Clip clip = clips.get(rng.nextInt(clips.size()));
            float[] frame = clip.frame(rng.nextInt(clip.frameCount()));
            MaskMixer.Sample m = sample(masks, rng, frame, s, clip.sector());
            Augmentation.Result r = augmentation.apply(rng, new float[][] {frame}, m.masks(), s, s);
            System.arraycopy(r.frames()[0], 0, frames, i * hw, hw);
            System.arraycopy(r.masks()[0], 0, holes, i * hw, hw);
        }
        return new Batch(index, batch, s, frames, holes);
    }

    /** Batch {@code index} of a temporal loader: each sample with its neighbours (class comment). */
    public static Batch buildTemporal(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long index) {
        Rng rng = new Rng(mix(seed, index));
        int s = data.size(), hw = s * s;
        float[][] out = new float[6][batch * hw];   // frames, masks, previous frames, their masks, next frames, their masks
        List<FrameDataset.Clip> clips = data.train();
        for (int i = 0; i < batch; i++) {
            FrameDataset.Clip clip = clips.get(rng.nextInt(clips.size()));
            int t = rng.nextInt(clip.frameCount());
            TemporalSample sample = temporalSample(masks, rng, clip, t, s);
            Augmentation.Result r = augmentation.apply(rng, sample.frames(), sample.masks(), s, s);
            for (int k = 0; k < 3; k++) {
                int slot = k == 1 ? 0 : k == 0 ? 2 : 4;   // order in r: previous, frame, next
                System.arraycopy(r.frames()[k], 0, out[slot], i * hw, hw);
                System.arraycopy(r.masks()[k], 0, out[slot + 1], i * hw, hw);
            }
        }
        return new Batch(index, batch, s, out[0], out[1], out[2], out[3], out[4], out[5]);
    }

    /** Frames and masks of one temporal sample, in time order: previous, the frame, next. */
    record TemporalSample(float[][] frames, float[][] masks) {}

    /**
     * Frame {@code t} of {@code clip} with its neighbours (the frame itself past either end) and a
     * three-frame mask sequence drawn in the clip's sector (else the frame's own estimate); a
     * neighbour that is the frame itself gets the frame's mask.
     */
    static TemporalSample temporalSample(MaskMixer masks, Rng rng, FrameDataset.Clip clip, int t, int size) {
        int n = clip.frameCount(), before = Math.max(0, t - 1), after = Math.min(n - 1, t + 1);
        float[] frame = clip.frame(t);
        ImagingSector sector = clip.sector() != null ? clip.sector() : SectorEstimate.of(frame, size);
        MaskMixer.Sample m = sector == null ? masks.sample(rng, 3, size, size) : masks.sample(rng, 3, sector);
        float[][] holes = m.masks().clone();
        if (before == t) holes[0] = holes[1];
        if (after == t) holes[2] = holes[1];
        return new TemporalSample(new float[][] {clip.frame(before), frame, clip.frame(after)}, holes);
    }

    /**
     * A hole inside the clip's imaging sector ({@code clipSector}, from the io module's estimate on the
     * native frames), else the frame's own estimate ({@link SectorEstimate}), else a random default sector.
     */
    static MaskMixer.Sample sample(MaskMixer masks, Rng rng, float[] frame, int size, ImagingSector clipSector) {
        ImagingSector sector = clipSector != null ? clipSector : SectorEstimate.of(frame, size);
        return sector == null ? masks.sample(rng, 1, size, size) : masks.sample(rng, 1, sector);
    }

    /** The seed of batch {@code index}: a SplitMix64 step of seed and index. */
    static long mix(long seed, long index) {
        return new Rng(seed ^ (index * 0xD1B54A32D192ED03L)).nextLong();
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) t.interrupt();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (ready) {
            ready.clear();
        }
    }
}
