package sonogate.train;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import sonogate.train.data.Augmentation;
import sonogate.train.data.ImagingSector;
import sonogate.train.data.MaskMixer;

/**
 * Builds training batches on a background daemon thread into a bounded queue, so the training
 * step never waits on decoding, mask drawing or augmentation.
 *
 * <p>Determinism: batch {@code b} is a pure function of ({@code seed}, {@code b}) — its samples
 * draw from {@code new Rng(mix(seed, b))} — so the sequence does not depend on timing, and a
 * resumed run needs only the seed and the index of its next batch (the training step) to go on
 * with exactly the batches the uninterrupted run would have seen. Each sample picks a training
 * clip uniformly, then a frame of it uniformly, draws its hole from the {@link MaskMixer} inside
 * the clip's imaging sector ({@link FrameDataset.Clip#sector()}, else the frame's own estimate,
 * {@link SectorEstimate}: holes on black background teach nothing and pull the L1 optimum
 * towards black) and
 * applies one {@link Augmentation} draw to frame and mask together.
 */
public final class BatchLoader implements AutoCloseable {

    /** One batch: {@code frames} and {@code masks} are [batch, 1, size, size] row-major. */
    public record Batch(long index, int batch, int size, float[] frames, float[] masks) {}

    private final FrameDataset data;
    private final MaskMixer masks;
    private final Augmentation augmentation;
    private final long seed;
    private final int batch;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private long nextToTake;

    /**
     * Starts the thread; the first batch it builds is {@code firstIndex}.
     *
     * @param prefetch how many batches may wait in the queue (2 to 4 is plenty)
     */
    public BatchLoader(FrameDataset data, MaskMixer masks, Augmentation augmentation, long seed, int batch, long firstIndex, int prefetch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1: " + batch);
        if (data.train().isEmpty()) throw new IllegalArgumentException("no training clips");
        this.data = data;
        this.masks = masks;
        this.augmentation = augmentation;
        this.seed = seed;
        this.batch = batch;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, prefetch));
        this.nextToTake = firstIndex;
        this.thread = Thread.ofPlatform().daemon(true).name("sonogate-batch-loader").unstarted(() -> produce(firstIndex));
        thread.start();
    }

    private void produce(long first) {
        try {
            for (long b = first; !closed; b++) {
                Object item;
                try {
                    item = build(b);
                } catch (RuntimeException e) {
                    item = e;
                }
                while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) { /* wait for room */ }
                if (item instanceof RuntimeException) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch in order; blocks until it is built. */
    public Batch next() {
        try {
            Object item = queue.take();
            if (item instanceof RuntimeException e) throw new IllegalStateException("batch loader failed: " + e.getMessage(), e);
            Batch b = (Batch) item;
            if (b.index() != nextToTake) throw new IllegalStateException("batch loader out of order: " + b.index() + " != " + nextToTake);
            nextToTake++;
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    /** Builds batch {@code index} on the calling thread (what the loader thread does). */
    public Batch build(long index) {
        return build(data, masks, augmentation, seed, batch, index);
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
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
    }
}
