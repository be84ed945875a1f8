package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Single-precision GEMM on off-heap float data, row-major:
 * {@code C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C}.
 * Offsets and leading dimensions are in floats. {@code op(A)} is A (m rows of lda) or, with
 * {@code transA}, the transpose of A stored as k rows of lda; likewise for B.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, long aOff, int lda,
                             MemorySegment b, long bOff, int ldb,
                             float beta, MemorySegment c, long cOff, int ldc) {
        // TEMP placeholder (conv branch): plain loops, replaced by the real Sgemm on merge.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = a.getAtIndex(Simd.FLOAT, aOff + (transA ? (long) p * lda + i : (long) i * lda + p));
                    float bv = b.getAtIndex(Simd.FLOAT, bOff + (transB ? (long) j * ldb + p : (long) p * ldb + j));
                    acc += av * bv;
                }
                long ci = cOff + (long) i * ldc + j;
                float old = beta == 0f ? 0f : beta * c.getAtIndex(Simd.FLOAT, ci);
                c.setAtIndex(Simd.FLOAT, ci, alpha * acc + old);
            }
        }
    }
}
