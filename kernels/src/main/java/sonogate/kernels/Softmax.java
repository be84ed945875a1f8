package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Softmax over the middle axis of a contiguous [outer, axis, inner] array (numerically stable).
 * backward ADDS y * (dy - sum(dy * y over axis)) into dx.
 */
public final class Softmax {
    private Softmax() {}

    public static void forward(int outer, int axis, int inner, MemorySegment x, MemorySegment y) { throw new UnsupportedOperationException(); }
    public static void backward(int outer, int axis, int inner, MemorySegment y, MemorySegment dy, MemorySegment dx) { throw new UnsupportedOperationException(); }

    public static void forwardReference(int outer, int axis, int inner, double[] x, double[] y) { throw new UnsupportedOperationException(); }
    public static void backwardReference(int outer, int axis, int inner, double[] y, double[] dy, double[] dx) { throw new UnsupportedOperationException(); }
}
