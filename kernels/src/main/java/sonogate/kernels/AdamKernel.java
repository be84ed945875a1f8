package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * One Adam step over n contiguous parameters, fused: moments, bias correction and the update in a
 * single pass over p, g, m, v (Kingma and Ba 2015, with PyTorch's arrangement of the arithmetic):
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 */
public final class AdamKernel {
    private AdamKernel() {}

    private static final long PARALLEL_MIN = 1 << 16;

    /** Step {@code t} (1-based) for parameters p with gradients g and moments m, v, all of n floats. */
    public static void step(long n, int t, float lr, float beta1, float beta2, float eps,
                            MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v) {
        if (n < 0 || t < 1) throw new IllegalArgumentException("adam: invalid n=" + n + " step=" + t);
        for (MemorySegment s : new MemorySegment[] {p, g, m, v}) {
            if (s == null || s.byteSize() < n * Float.BYTES) {
                throw new IllegalArgumentException("adam: a segment holds fewer than " + n + " floats");
            }
        }
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        int chunks = (int) Math.max(1, Math.min(Parallel.threads(), n / PARALLEL_MIN));
        Parallel.forChunks(chunks, c -> {
            // vector-aligned boundaries: the scalar tail then only ever holds the last n % LANES elements
            long lo = (n * c / chunks) & -Simd.LANES, hi = c == chunks - 1 ? n : (n * (c + 1) / chunks) & -Simd.LANES;
            range(lo, hi, stepSize, correction2, beta1, beta2, eps, p, g, m, v);
        });
    }

    private static void range(long lo, long hi, float stepSize, float correction2, float b1, float b2, float eps,
                              MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v) {
        long i = lo, end = lo + ((hi - lo) & -Simd.LANES);
        FloatVector vb1 = FloatVector.broadcast(Simd.F, b1), vb2 = FloatVector.broadcast(Simd.F, b2);
        for (; i < end; i += Simd.LANES) {
            FloatVector gv = Simd.load(g, i);
            FloatVector mv = Simd.load(m, i).mul(vb1).add(gv.mul(1 - b1));
            FloatVector vv = Simd.load(v, i).mul(vb2).add(gv.mul(gv).mul(1 - b2));
            FloatVector denom = vv.sqrt().div(correction2).add(eps);
            Simd.store(mv, m, i);
            Simd.store(vv, v, i);
            Simd.store(Simd.load(p, i).sub(mv.div(denom).mul(stepSize)), p, i);
        }
        // the vector body's operations in its order, so every element gets the same bits either way
        for (; i < hi; i++) {
            float gv = Simd.get(g, i);
            float mv = Simd.get(m, i) * b1 + gv * (1 - b1);
            float vv = Simd.get(v, i) * b2 + gv * gv * (1 - b2);
            Simd.set(m, i, mv);
            Simd.set(v, i, vv);
            float denom = (float) Math.sqrt(vv) / correction2 + eps;     // float sqrt, correctly rounded
            Simd.set(p, i, Simd.get(p, i) - mv / denom * stepSize);
        }
    }

    /** The same step in double on heap arrays: the oracle. */
    public static void stepReference(int n, int t, double lr, double beta1, double beta2, double eps,
                                     double[] p, double[] g, double[] m, double[] v) {
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }
}
