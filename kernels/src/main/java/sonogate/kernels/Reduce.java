package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/** Reductions over n contiguous floats, accumulated in double for accuracy, plus the L1 gradient. */
public final class Reduce {
    private Reduce() {}

    public static double sum(long n, MemorySegment x) { throw new UnsupportedOperationException(); }
    public static double dot(long n, MemorySegment a, MemorySegment b) { throw new UnsupportedOperationException(); }
    /** sum |a - b|. */
    public static double l1(long n, MemorySegment a, MemorySegment b) { throw new UnsupportedOperationException(); }
    /** da += scale * sign(a - b); db -= scale * sign(a - b). Either may be null. sign(0) = 0. */
    public static void l1Backward(long n, float scale, MemorySegment a, MemorySegment b, MemorySegment da, MemorySegment db) { throw new UnsupportedOperationException(); }

    public static double sumReference(int n, double[] x) { throw new UnsupportedOperationException(); }
    public static double dotReference(int n, double[] a, double[] b) { throw new UnsupportedOperationException(); }
    public static double l1Reference(int n, double[] a, double[] b) { throw new UnsupportedOperationException(); }
    public static void l1BackwardReference(int n, double scale, double[] a, double[] b, double[] da, double[] db) { throw new UnsupportedOperationException(); }
}
