package sonogate.kernels;

/** Naive double-precision GEMM, the oracle for {@link Sgemm}. Same conventions, on heap arrays. */
public final class GemmReference {
    private GemmReference() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        // TEMP placeholder (conv branch): replaced by the sgemm branch's version on merge.
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double av = a[aOff + (transA ? p * lda + i : i * lda + p)];
                    double bv = b[bOff + (transB ? j * ldb + p : p * ldb + j)];
                    acc += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * acc + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
    }
}
