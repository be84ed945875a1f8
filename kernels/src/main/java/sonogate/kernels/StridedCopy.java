package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * dst[i . dstStrides] (=|+=) src[i . srcStrides] for every index i of {@code shape} (any rank).
 * Covers transpose, contiguous copies of views, concat/split, and with accumulate and a 0 stride
 * in dst, the sum over broadcast dimensions that gradients of broadcast ops need.
 */
public final class StridedCopy {
    private StridedCopy() {}

    public static void copy(int[] shape, MemorySegment src, long srcOff, long[] srcStrides,
                            MemorySegment dst, long dstOff, long[] dstStrides, boolean accumulate) { throw new UnsupportedOperationException(); }

    public static void copyReference(int[] shape, double[] src, long srcOff, long[] srcStrides,
                                     double[] dst, long dstOff, long[] dstStrides, boolean accumulate) { throw new UnsupportedOperationException(); }
}
