package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * y = a (op) b over a 4-D output {@code shape}; a and b are read through element strides where a
 * stride of 0 broadcasts that dimension. y is contiguous and overwritten. Offsets are in elements.
 */
public final class Binary {
    private Binary() {}

    public static void forward(BinaryOp op, int[] shape, MemorySegment a, long aOff, long[] aStrides,
                               MemorySegment b, long bOff, long[] bStrides, MemorySegment y) { throw new UnsupportedOperationException(); }

    public static void forwardReference(BinaryOp op, int[] shape, double[] a, long aOff, long[] aStrides,
                                        double[] b, long bOff, long[] bStrides, double[] y) { throw new UnsupportedOperationException(); }
}
