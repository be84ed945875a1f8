package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Argument validation shared by the element-wise kernels. Every failure is an
 * {@link IllegalArgumentException} whose message starts with the kernel's name and states the
 * sizes involved, so bad input from the tensor layer never reaches a Vector API access (which
 * would throw an unhelpful IndexOutOfBoundsException) or native memory.
 */
final class ElementwiseArgs {
    private ElementwiseArgs() {}

    /** Element count above which the kernels split work over {@link Parallel}. */
    static final long PARALLEL_MIN = 1L << 16;

    /** Parallel split unit: a multiple of every vector length, so only the last block has a tail. */
    static final int BLOCK = 1024;

    /** A range body over long indices. */
    @FunctionalInterface
    interface LongRange {
        void run(long lo, long hi);
    }

    /**
     * Runs {@code body} over {@code [0, n)}: serially below {@link #PARALLEL_MIN}, otherwise split
     * into {@link #BLOCK}-aligned ranges of at least {@code PARALLEL_MIN / 2} elements. Runs
     * serially when any of {@code segs} is confined to the calling thread.
     */
    static void forRange(long n, LongRange body, MemorySegment... segs) {
        if (!parallel(n, segs)) {
            body.run(0, n);
            return;
        }
        long blocks = (n + BLOCK - 1) / BLOCK;
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException("element-wise kernel: n=" + n + " too large");
        Parallel.forRange((int) blocks, (int) (PARALLEL_MIN / 2 / BLOCK),
                (lo, hi) -> body.run((long) lo * BLOCK, Math.min(n, (long) hi * BLOCK)));
    }

    private static final Thread OTHER = new Thread(() -> { });

    /** Whether n elements are worth splitting and every segment may be touched by pool threads. */
    static boolean parallel(long n, MemorySegment... segs) {
        if (n < PARALLEL_MIN || Parallel.threads() == 1) return false;
        for (MemorySegment s : segs) if (s != null && !s.isAccessibleBy(OTHER)) return false;
        return true;
    }

    static void count(String kernel, long n) {
        if (n < 0) throw new IllegalArgumentException(kernel + ": negative element count n=" + n);
    }

    static long floats(MemorySegment seg) {
        return seg.byteSize() / Float.BYTES;
    }

    /** Requires {@code seg} to hold at least {@code n} floats. */
    static void segment(String kernel, String name, MemorySegment seg, long n) {
        if (seg == null) throw new IllegalArgumentException(kernel + ": " + name + " is null (n=" + n + ")");
        if (floats(seg) < n) {
            throw new IllegalArgumentException(kernel + ": " + name + " holds " + floats(seg)
                    + " floats but n=" + n + " are needed");
        }
    }

    static void array(String kernel, String name, double[] a, long n) {
        if (a == null) throw new IllegalArgumentException(kernel + ": " + name + " is null (n=" + n + ")");
        if (a.length < n) {
            throw new IllegalArgumentException(kernel + ": " + name + " has length " + a.length
                    + " but n=" + n + " are needed");
        }
    }

    /** Shape entries must be non-negative; returns the element count. */
    static long shape(String kernel, int[] shape) {
        if (shape == null) throw new IllegalArgumentException(kernel + ": shape is null");
        long total = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(kernel + ": negative size in shape " + Arrays.toString(shape));
            total = Math.multiplyExact(total, (long) s);
        }
        return total;
    }

    /** Rank of strides must match shape. */
    static void strides(String kernel, String name, int[] shape, long[] strides) {
        if (strides == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " strides are null for shape " + Arrays.toString(shape));
        }
        if (strides.length != shape.length) {
            throw new IllegalArgumentException(kernel + ": " + name + " strides " + Arrays.toString(strides)
                    + " have rank " + strides.length + " but shape " + Arrays.toString(shape) + " has rank " + shape.length);
        }
    }

    /**
     * Requires every element {@code off + i . strides} (i over {@code shape}) to lie in
     * {@code [0, capacity)}. Nothing is required when the shape is empty (a 0 extent).
     */
    static void extent(String kernel, String name, int[] shape, long off, long[] strides, long capacity, long total) {
        if (total == 0) return;
        long lo = off, hi = off;
        for (int d = 0; d < shape.length; d++) {
            long span = (long) (shape[d] - 1) * strides[d];
            if (span < 0) lo += span; else hi += span;
        }
        if (lo < 0 || hi >= capacity) {
            throw new IllegalArgumentException(kernel + ": " + name + " with shape " + Arrays.toString(shape)
                    + ", offset " + off + ", strides " + Arrays.toString(strides) + " reaches elements ["
                    + lo + ", " + hi + "] but " + name + " holds " + capacity + " elements");
        }
    }
}
