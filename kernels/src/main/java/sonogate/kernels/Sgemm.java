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
        throw new UnsupportedOperationException("Sgemm: not implemented yet");
    }
}
