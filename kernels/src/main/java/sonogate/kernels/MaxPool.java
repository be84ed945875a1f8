package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * 2x2 max pooling with stride 2 over {@code planes} planes of h x w (VGG's pooling); the output is
 * floor(h/2) x floor(w/2) (an odd last row or column is dropped, as in PyTorch's default).
 * y[p, i, j] = max of x[p, 2i + a, 2j + b] for a, b in {0, 1}; backward ADDS dy[p, i, j] into dx at
 * the position of that maximum.
 *
 * <p>Ties and NaN follow PyTorch's CPU kernel: the window is scanned in row-major order and a value
 * replaces the running maximum when it is greater or NaN, so the FIRST of equal maxima wins and a
 * NaN propagates (the trainer's non-finite guard then sees it). Backward recomputes the winner from
 * x instead of storing indices: no extra tensor, and the same rule picks the same element.
 *
 * <p>Scalar loops, parallel over planes when the call is big: in the perceptual loss's feature
 * network the pooling is well under 1% of the work of the convolutions around it.
 */
public final class MaxPool {
    private MaxPool() {}

    private static final long PARALLEL_MIN = 1 << 15;

    public static void forward(int planes, int h, int w, MemorySegment x, MemorySegment y) {
        check(planes, h, w, x, y, "y");
        int oh = h / 2, ow = w / 2;
        Parallel.forRange(planes, SegmentThreads.grain(grain(h, w), planes, x, y), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    long r0 = ((long) p * h + 2 * i) * w, r1 = r0 + w, out = ((long) p * oh + i) * ow;
                    for (int j = 0; j < ow; j++) {
                        float m = x.getAtIndex(Simd.FLOAT, r0 + 2 * j);
                        m = pick(m, x.getAtIndex(Simd.FLOAT, r0 + 2 * j + 1));
                        m = pick(m, x.getAtIndex(Simd.FLOAT, r1 + 2 * j));
                        m = pick(m, x.getAtIndex(Simd.FLOAT, r1 + 2 * j + 1));
                        y.setAtIndex(Simd.FLOAT, out + j, m);
                    }
                }
            }
        });
    }

    public static void backward(int planes, int h, int w, MemorySegment x, MemorySegment dy, MemorySegment dx) {
        check(planes, h, w, x, dy, "dy");
        check(planes, h, w, dx, dy, "dy");
        int oh = h / 2, ow = w / 2;
        Parallel.forRange(planes, SegmentThreads.grain(grain(h, w), planes, x, dy, dx), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    long r0 = ((long) p * h + 2 * i) * w, r1 = r0 + w, out = ((long) p * oh + i) * ow;
                    for (int j = 0; j < ow; j++) {
                        long at = r0 + 2 * j;
                        float m = x.getAtIndex(Simd.FLOAT, at);
                        float v = x.getAtIndex(Simd.FLOAT, r0 + 2 * j + 1);
                        if (v > m || v != v) { m = v; at = r0 + 2 * j + 1; }
                        v = x.getAtIndex(Simd.FLOAT, r1 + 2 * j);
                        if (v > m || v != v) { m = v; at = r1 + 2 * j; }
                        v = x.getAtIndex(Simd.FLOAT, r1 + 2 * j + 1);
                        if (v > m || v != v) { at = r1 + 2 * j + 1; }
                        dx.setAtIndex(Simd.FLOAT, at, dx.getAtIndex(Simd.FLOAT, at) + dy.getAtIndex(Simd.FLOAT, out + j));
                    }
                }
            }
        });
    }

    /** The running maximum after seeing {@code v}: v when it is greater or NaN (PyTorch's rule). */
    private static float pick(float m, float v) {
        return v > m || v != v ? v : m;
    }

    private static int grain(int h, int w) {
        return (int) Math.max(1, PARALLEL_MIN / Math.max(1, (long) h * w));
    }

    /** x-sized {@code full} (planes x h x w) and pooled-size {@code pooled}. */
    private static void check(int planes, int h, int w, MemorySegment full, MemorySegment pooled, String pooledName) {
        if (planes <= 0 || h < 2 || w < 2) {
            throw new IllegalArgumentException("maxpool 2x2: invalid shape planes=" + planes + " h=" + h + " w=" + w + " (h and w must be >= 2)");
        }
        need(full, (long) planes * h * w, planes, h, w, "x");
        need(pooled, (long) planes * (h / 2) * (w / 2), planes, h, w, pooledName);
    }

    private static void need(MemorySegment seg, long n, int planes, int h, int w, String name) {
        if (seg == null || seg.byteSize() < n * Float.BYTES) {
            throw new IllegalArgumentException("maxpool 2x2 [" + planes + "," + h + "," + w + "]: " + name + " holds "
                    + (seg == null ? 0 : seg.byteSize() / Float.BYTES) + " floats, needs " + n);
        }
    }

    /** Naive reference: y[p, i, j] = max over the 2x2 window (first maximum wins, NaN propagates). */
    public static void forwardReference(int planes, int h, int w, double[] x, double[] y) {
        int oh = h / 2, ow = w / 2;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    y[(p * oh + i) * ow + j] = x[argmaxReference(p, h, w, i, j, x)];
    }

    /** Naive reference: dx[argmax of each window] += dy. */
    public static void backwardReference(int planes, int h, int w, double[] x, double[] dy, double[] dx) {
        int oh = h / 2, ow = w / 2;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    dx[argmaxReference(p, h, w, i, j, x)] += dy[(p * oh + i) * ow + j];
    }

    private static int argmaxReference(int p, int h, int w, int i, int j, double[] x) {
        int best = (p * h + 2 * i) * w + 2 * j;
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                int k = (p * h + 2 * i + a) * w + 2 * j + b;
                if (x[k] > x[best] || Double.isNaN(x[k])) best = k;
            }
        }
        return best;
    }
}
