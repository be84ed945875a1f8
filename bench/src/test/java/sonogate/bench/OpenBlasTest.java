package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class OpenBlasTest {

    private static OpenBlas blas() {
        var o = OpenBlas.find();
        assumeTrue(o.isPresent(), () -> "skipped: " + OpenBlas.loadError());
        return o.get();
    }

    @Test
    void sgemmMatchesNaiveLoopForEveryTransposeWithOffsetsAndStrides() {
        OpenBlas blas = blas();
        int m = 7, n = 5, k = 9, pad = 3, off = 11;
        float alpha = 1.5f, beta = -0.5f;
        try (Arena arena = Arena.ofShared()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int aRows = ta ? k : m, aCols = ta ? m : k, lda = aCols + pad;
                    int bRows = tb ? n : k, bCols = tb ? k : n, ldb = bCols + pad;
                    int ldc = n + pad;
                    MemorySegment a = Buffers.random(arena, off + (long) aRows * lda, 1);
                    MemorySegment b = Buffers.random(arena, off + (long) bRows * ldb, 2);
                    MemorySegment c = Buffers.random(arena, off + (long) m * ldc, 3);
                    float[] expected = new float[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int p = 0; p < k; p++) {
                                float av = get(a, off + (ta ? (long) p * lda + i : (long) i * lda + p));
                                float bv = get(b, off + (tb ? (long) j * ldb + p : (long) p * ldb + j));
                                s += (double) av * bv;
                            }
                            expected[i * n + j] = (float) (alpha * s + beta * get(c, off + (long) i * ldc + j));
                        }
                    }
                    float padBefore = get(c, off + n); // a padding element: must stay untouched
                    blas.sgemm(ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(expected[i * n + j], get(c, off + (long) i * ldc + j), 1e-4,
                                    "transA=" + ta + " transB=" + tb + " C[" + i + "," + j + "]");
                        }
                    }
                    assertEquals(padBefore, get(c, off + n), "padding between rows of C changed");
                }
            }
        }
    }

    @Test
    void threadCountAndConfigAreReported() {
        OpenBlas blas = blas();
        blas.setNumThreads(1);
        assertEquals(1, blas.numThreads());
        assertTrue(blas.config().startsWith("OpenBLAS"), blas.config());
        assertTrue(!blas.corename().isBlank());
    }

    @Test
    void installHintIsOneLine() {
        assertTrue(!OpenBlas.INSTALL_HINT.contains("\n"));
        assertTrue(OpenBlas.INSTALL_HINT.contains("apt-get install -y libopenblas0"));
    }

    private static float get(MemorySegment s, long i) {
        return s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }
}
