package sonogate.kernels;

/** Naive double-precision GEMM, the oracle for {@link Sgemm}. Same conventions, on heap arrays. */
public final class GemmReference {
    private GemmReference() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        throw new UnsupportedOperationException("GemmReference: not implemented yet");
    }
}
