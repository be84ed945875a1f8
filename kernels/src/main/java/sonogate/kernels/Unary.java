package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Vectorised element-wise kernels over n contiguous floats. forward overwrites y (y may alias x);
 * backward ADDS dy * f'(x) into dx (it may read x or y, whichever is cheaper).
 * Each has a double reference on heap arrays with the same semantics.
 */
public final class Unary {
    private Unary() {}

    public static void forward(UnaryOp op, float alpha, long n, MemorySegment x, MemorySegment y) { throw new UnsupportedOperationException(); }
    public static void backward(UnaryOp op, float alpha, long n, MemorySegment x, MemorySegment y, MemorySegment dy, MemorySegment dx) { throw new UnsupportedOperationException(); }
    /** y = scale * x + shift. */
    public static void affine(long n, float scale, float shift, MemorySegment x, MemorySegment y) { throw new UnsupportedOperationException(); }
    /** y += a * x. */
    public static void axpy(long n, float a, MemorySegment x, MemorySegment y) { throw new UnsupportedOperationException(); }
    public static void fill(long n, float value, MemorySegment y) { throw new UnsupportedOperationException(); }

    public static void forwardReference(UnaryOp op, double alpha, int n, double[] x, double[] y) { throw new UnsupportedOperationException(); }
    public static void backwardReference(UnaryOp op, double alpha, int n, double[] x, double[] y, double[] dy, double[] dx) { throw new UnsupportedOperationException(); }
}
