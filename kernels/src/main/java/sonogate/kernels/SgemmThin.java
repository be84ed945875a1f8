package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * The GEMMs {@link Sgemm}'s blocking serves badly: one column of C (n = 1, a matrix-vector product)
 * and a single inner dimension (k = 1, an outer product). The blocked path pads B to 32-wide
 * panels, so it did 32 times the work: spectral norm's power iteration (W v, W^T u, and the rank-1
 * term of its gradient) ran at 1-2 GFLOP/s and took 2% of config small's training step. These are
 * memory-bound, so one thread streams A once. Each C element's sum runs in a fixed order (vector
 * lanes, then lanes added in lane order, then the tail), the same on every run and thread count.
 * Same arguments and semantics as {@link Sgemm#sgemm}; alpha != 0, k > 0, m, n > 0.
 */
final class SgemmThin {
    private SgemmThin() {}

    private static final int L = Simd.F.length();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    static boolean handles(int n, int k) {
        return n == 1 || k == 1;
    }

    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                    float beta, MemorySegment c, long cOff, int ldc) {
        if (n == 1) matrixVector(transA, transB, m, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else outerProduct(transA, transB, m, n, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** c[i] = alpha * (op(A) x)[i] + beta * c[i], x = op(B)'s one column, c = C's one column. */
    private static void matrixVector(boolean transA, boolean transB, int m, int k, float alpha,
                                     MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                     float beta, MemorySegment c, long cOff, int ldc) {
        float[] x = scratch(0, k);
        long xStride = transB ? 1 : ldb;   // op(B)[r][0]: B[r][0] (k rows of ldb), or B[0][r] transposed
        for (int r = 0; r < k; r++) x[r] = b.getAtIndex(ValueLayout.JAVA_FLOAT, bOff + r * xStride);
        if (!transA) {
            for (int i = 0; i < m; i++) store(c, cOff + (long) i * ldc, alpha * dot(a, aOff + (long) i * lda, x, k), beta);
        } else {
            // op(A) = A^T with A stored k x m: the product is the sum of A's rows weighted by x
            float[] y = scratch(1, m);
            java.util.Arrays.fill(y, 0, m, 0f);
            for (int r = 0; r < k; r++) axpy(x[r], a, aOff + (long) r * lda, y, m);
            for (int i = 0; i < m; i++) store(c, cOff + (long) i * ldc, alpha * y[i], beta);
        }
    }

    /** C[i][j] = alpha * u[i] * v[j] + beta * C[i][j], u = op(A)'s one column, v = op(B)'s one row. */
    private static void outerProduct(boolean transA, boolean transB, int m, int n, float alpha,
                                     MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                     float beta, MemorySegment c, long cOff, int ldc) {
        float[] v = scratch(0, n);
        long vStride = transB ? ldb : 1;   // op(B)[0][j]: B[0][j], or B[j][0] transposed (n rows of ldb)
        for (int j = 0; j < n; j++) v[j] = b.getAtIndex(ValueLayout.JAVA_FLOAT, bOff + j * vStride);
        long uStride = transA ? 1 : lda;   // op(A)[i][0]: A[i][0] (m rows of lda), or A[0][i] transposed
        for (int i = 0; i < m; i++) {
            float s = alpha * a.getAtIndex(ValueLayout.JAVA_FLOAT, aOff + i * uStride);
            scaledRow(s, v, beta, c, cOff + (long) i * ldc, n);
        }
    }

    private static float dot(MemorySegment a, long at, float[] x, int k) {
        FloatVector acc = FloatVector.zero(Simd.F);
        int r = 0;
        for (; r <= k - L; r += L) {
            acc = FloatVector.fromMemorySegment(Simd.F, a, (at + r) * Float.BYTES, Simd.ORDER).fma(FloatVector.fromArray(Simd.F, x, r), acc);
        }
        float sum = 0;
        for (int l = 0; l < L; l++) sum += acc.lane(l);
        for (; r < k; r++) sum += a.getAtIndex(ValueLayout.JAVA_FLOAT, at + r) * x[r];
        return sum;
    }

    private static void axpy(float s, MemorySegment a, long at, float[] y, int m) {
        FloatVector sv = FloatVector.broadcast(Simd.F, s);
        int i = 0;
        for (; i <= m - L; i += L) {
            FloatVector.fromMemorySegment(Simd.F, a, (at + i) * Float.BYTES, Simd.ORDER).fma(sv, FloatVector.fromArray(Simd.F, y, i)).intoArray(y, i);
        }
        for (; i < m; i++) y[i] += s * a.getAtIndex(ValueLayout.JAVA_FLOAT, at + i);
    }

    /** c[j] = s * v[j] + beta * c[j] for j < n; beta 0 overwrites (whatever c held, NaN included). */
    private static void scaledRow(float s, float[] v, float beta, MemorySegment c, long at, int n) {
        FloatVector sv = FloatVector.broadcast(Simd.F, s), bv = FloatVector.broadcast(Simd.F, beta);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector p = FloatVector.fromArray(Simd.F, v, j).mul(sv);
            if (beta != 0) p = FloatVector.fromMemorySegment(Simd.F, c, (at + j) * Float.BYTES, Simd.ORDER).fma(bv, p);
            p.intoMemorySegment(c, (at + j) * Float.BYTES, Simd.ORDER);
        }
        for (; j < n; j++) {
            float p = s * v[j];
            c.setAtIndex(ValueLayout.JAVA_FLOAT, at + j, beta == 0 ? p : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, at + j) + p);
        }
    }

    private static void store(MemorySegment c, long at, float value, float beta) {
        c.setAtIndex(ValueLayout.JAVA_FLOAT, at, beta == 0 ? value : beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, at) + value);
    }

    private static float[] scratch(int slot, int length) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < length) s[slot] = new float[length];
        return s[slot];
    }
}
