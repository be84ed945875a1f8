package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Winograd F(2x2, 3x3) filter transform U = G g G^T of a 3x3 convolution's weights, with each of
 * its 16 matrices packed for {@link Sgemm#serialPacked}, cached while the weights stay the same.
 *
 * <p>Why a cache: the transform and packing touch every weight and scatter it over 16 matrices; at
 * batch 1 that cost a fifth of the convolution itself (the second Winograd try). Inference calls the
 * same weights again and again. The cache is keyed by the weights' native address and checked
 * against a copy of the weights (a vectorised {@link MemorySegment#mismatch}, one read of the
 * weights) on every call, so it never returns a stale transform. Weights found changed in place
 * (training: the optimiser updates them every step) mark their key as changing; from then on they
 * are transformed on every call into buffers the calling thread reuses, because caching a fresh
 * copy per step fed the heap tens of MB of garbage per step (peak RSS +270 MB in small's training
 * benchmark). Least recently used keys go beyond {@link #CAPACITY} (a model has a few dozen such
 * layers, two keys each with the backward pass).
 *
 * <pre>
 *   G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]      U[4r + s][o][c] = (G g_oc G^T)[r][s]
 * </pre>
 */
final class WinogradFilters {
    private WinogradFilters() {}

    /** Cached keys at most: several models' worth of 3x3 layers. */
    static final int CAPACITY = 256;

    /**
     * The 16 transformed matrices U[xi] [rows, cols], each packed by {@link Sgemm#packA} (only the
     * packed form is kept: with the copy, about 11 bytes per weight instead of 18; 45 MB for config
     * base); {@code weights} is the copy they came from.
     */
    record Transformed(float[] weights, float[][] packed) {}

    private record Key(long address, int outChannels, int inChannels, boolean adjoint) {}

    /** Marks a key whose weights change in place. */
    private static final Transformed CHANGING = new Transformed(null, null);

    private static final Map<Key, Transformed> CACHE = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Transformed> eldest) {
            return size() > CAPACITY;
        }
    });

    /** A thread's buffers: U before packing, and the transforms that are not cached; grown on demand, then reused. */
    private static final class Buffers {
        float[] weights = new float[0], u = new float[0];
        final float[][] packed = new float[16][];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * The transform of {@code w} ([cout, cin, 3, 3] of {@code g}). {@code adjoint}: the filters of the
     * backward-data pass instead, w'[c][o] = w[o][c] rotated by 180 degrees ([cin, cout, 3, 3]), so dx
     * is a forward convolution of dy with them. A transform that is not cached (heap weights, or
     * weights that change) lives in this thread's buffers until its next such call.
     */
    static Transformed of(ConvGeometry g, MemorySegment w, boolean adjoint) {
        if (!w.isNative()) return transform(g, w, adjoint, false);
        Key key = new Key(w.address(), g.outChannels(), g.inChannels(), adjoint);
        Transformed t = CACHE.get(key);
        if (t == CHANGING) return transform(g, w, adjoint, false);
        if (t != null) {
            long bytes = g.weightSize() * Float.BYTES;
            if (MemorySegment.mismatch(w, 0, bytes, MemorySegment.ofArray(t.weights()), 0, bytes) < 0) return t;
            CACHE.put(key, CHANGING);
            return transform(g, w, adjoint, false);
        }
        t = transform(g, w, adjoint, true);
        CACHE.put(key, t);
        return t;
    }

    /** Entries held (tests). */
    static int size() {
        return CACHE.size();
    }

    /** Into new arrays ({@code kept}: for the cache) or into this thread's buffers. */
    private static Transformed transform(ConvGeometry g, MemorySegment w, boolean adjoint, boolean kept) {
        int co = g.outChannels(), ci = g.inChannels(), planes = co * ci;
        Buffers buf = BUFFERS.get();
        float[] weights = kept ? new float[planes * 9] : (buf.weights = grown(buf.weights, planes * 9));
        float[] u = buf.u = grown(buf.u, 16 * planes);
        MemorySegment.copy(w, Simd.FLOAT, 0, weights, 0, planes * 9);
        // the GEMM's A is [rows, cols]: [cout, cin] forward, [cin, cout] for the adjoint
        int rows = adjoint ? ci : co, cols = adjoint ? co : ci;
        float[] f = new float[9];
        double[] gf = new double[12];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = r * cols + c;
                if (adjoint) {
                    for (int t = 0; t < 9; t++) f[t] = weights[(c * ci + r) * 9 + 8 - t];
                } else {
                    System.arraycopy(weights, p * 9, f, 0, 9);
                }
                transformOne(f, gf, u, p, planes);
            }
        }
        MemorySegment useg = MemorySegment.ofArray(u);
        float[][] packed = kept ? new float[16][] : buf.packed;
        int size = Sgemm.packedASize(rows, cols);
        for (int xi = 0; xi < 16; xi++) {
            float[] p = Sgemm.packA(false, rows, cols, useg, (long) xi * planes, cols);
            if (packed[xi] == null || packed[xi].length < size) packed[xi] = new float[size];
            System.arraycopy(p, 0, packed[xi], 0, size);
        }
        return new Transformed(weights, packed);
    }

    private static float[] grown(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /** U[xi] element p (at xi * planes + p) of one 3x3 filter f (row-major); gf is G f's scratch. */
    private static void transformOne(float[] f, double[] gf, float[] u, int p, int planes) {
        // G f: 4 rows of 3
        for (int j = 0; j < 3; j++) {
            double f0 = f[j], f1 = f[3 + j], f2 = f[6 + j];
            gf[j] = f0;
            gf[3 + j] = 0.5 * (f0 + f1 + f2);
            gf[6 + j] = 0.5 * (f0 - f1 + f2);
            gf[9 + j] = f2;
        }
        // (G f) G^T, row r (a, b, c): [a, (a+b+c)/2, (a-b+c)/2, c]
        for (int r = 0; r < 4; r++) {
            double a = gf[3 * r], b = gf[3 * r + 1], c = gf[3 * r + 2];
            u[(4 * r) * planes + p] = (float) a;
            u[(4 * r + 1) * planes + p] = (float) (0.5 * (a + b + c));
            u[(4 * r + 2) * planes + p] = (float) (0.5 * (a - b + c));
            u[(4 * r + 3) * planes + p] = (float) c;
        }
    }
}
