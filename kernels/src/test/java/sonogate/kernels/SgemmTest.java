package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sgemm against the double-precision {@link GemmReference}.
 *
 * <p>Error metric: {@code max|c - ref| / max(1, max|ref|)}, with ref computed in double from the
 * same float inputs (uniform in [-1, 1]). Float rounding of a K-long dot product grows roughly
 * like sqrt(K) (random-walk rounding), so the bound is {@code 1e-5 * max(1, sqrt(K / 256))}:
 * 1e-5 up to K = 256, 2.6e-5 at K = 1728. Observed errors are about 10x below it.
 */
class SgemmTest {

    private static final int[] RAGGED = {1, 2, 3, 7, 13, 17, 31, 33, 65, 100, 129};

    /** One test case's data, on heap (for the reference) and off heap (for Sgemm). */
    private static final class Case {
        final boolean ta, tb;
        final int m, n, k, lda, ldb, ldc, aOff, bOff, cOff;
        final float alpha, beta;
        final float[] a, b, c0;

        Case(long seed, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
             int pad, int off, boolean nanC) {
            Random r = new Random(seed);
            this.ta = ta; this.tb = tb; this.m = m; this.n = n; this.k = k;
            this.alpha = alpha; this.beta = beta;
            lda = (ta ? m : k) + pad; ldb = (tb ? k : n) + pad; ldc = n + pad;
            aOff = off; bOff = 2 * off; cOff = 3 * off;
            a = random(r, aOff + (ta ? k : m) * lda);
            b = random(r, bOff + (tb ? n : k) * ldb);
            c0 = random(r, cOff + m * ldc);
            if (nanC) {
                for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) c0[cOff + i * ldc + j] = Float.NaN;
            }
        }

        float[] runSgemm(int threads) {
            try (Arena arena = Arena.ofShared()) {
                MemorySegment as = seg(arena, a), bs = seg(arena, b), cs = seg(arena, c0);
                Sgemm.sgemm(threads, ta, tb, m, n, k, alpha, as, aOff, lda, bs, bOff, ldb, beta, cs, cOff, ldc);
                return cs.toArray(ValueLayout.JAVA_FLOAT);
            }
        }

        double[] reference() {
            double[] c = toDouble(c0);
            GemmReference.gemm(ta, tb, m, n, k, alpha, toDouble(a), aOff, lda, toDouble(b), bOff, ldb, beta, c, cOff, ldc);
            return c;
        }

        /** Checks the m x n window against the reference and that nothing outside it changed. */
        void check(float[] got) {
            double[] ref = reference();
            double maxRef = 0, maxErr = 0;
            for (int i = 0; i < got.length; i++) {
                boolean inside = i >= cOff && (i - cOff) / ldc < m && (i - cOff) % ldc < n;
                if (!inside) {
                    assertEquals(Float.floatToRawIntBits(c0[i]), Float.floatToRawIntBits(got[i]),
                            () -> "C element outside the window changed: " + this);
                    continue;
                }
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
                double err = Math.abs(got[i] - ref[i]);
                if (!(err <= Double.MAX_VALUE)) err = Double.POSITIVE_INFINITY; // NaN counts as wrong
                maxErr = Math.max(maxErr, err);
            }
            double rel = maxErr / Math.max(1, maxRef);
            double tol = 1e-5 * Math.max(1, Math.sqrt(k / 256.0));
            assertTrue(rel < tol, () -> "relative error " + rel + " >= " + tol + " for " + this);
        }

        @Override
        public String toString() {
            return "sgemm(transA=" + ta + ", transB=" + tb + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", alpha=" + alpha + ", beta=" + beta + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc
                    + ", offs=" + aOff + "/" + bOff + "/" + cOff + ")";
        }
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static MemorySegment seg(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) Math.max(1, x.length) * Float.BYTES, 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
        return s;
    }

    private static void check(long seed, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                              int pad, int off, boolean nanC) {
        Case c = new Case(seed, ta, tb, m, n, k, alpha, beta, pad, off, nanC);
        c.check(c.runSgemm(Parallel.threads()));
    }

    @Test
    void raggedSizesAllTransposes() {
        long seed = 1;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            for (int mi = 0; mi < RAGGED.length; mi++) {
                for (int ni = 0; ni < RAGGED.length; ni++) {
                    int k = RAGGED[(mi * 3 + ni * 5 + t) % RAGGED.length];
                    check(seed++, ta, tb, RAGGED[mi], RAGGED[ni], k, 1f, 0f, 0, 0, false);
                }
            }
        }
    }

    @Test
    void raggedKAcrossBlocks() {
        // K just around the KC block size and its multiples, so split K blocks and their beta handling show.
        int[] ks = {Sgemm.KC - 1, Sgemm.KC, Sgemm.KC + 1, 2 * Sgemm.KC + 5, 1000};
        long seed = 100;
        for (int t = 0; t < 4; t++) {
            for (int k : ks) check(seed++, (t & 1) != 0, (t & 2) != 0, 29, 45, k, 0.5f, 0.75f, 0, 0, false);
        }
    }

    @Test
    void alphaBetaCases() {
        long seed = 200;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            check(seed++, ta, tb, 37, 70, 53, 1f, 0f, 0, 0, true);      // beta 0 ignores NaN in C
            check(seed++, ta, tb, 37, 70, 53, -1.5f, 0f, 0, 0, true);
            check(seed++, ta, tb, 37, 70, 53, 1f, 1f, 0, 0, false);     // accumulate
            check(seed++, ta, tb, 37, 70, 53, 0.25f, -0.5f, 0, 0, false);
            check(seed++, ta, tb, 37, 70, 53, 0f, 0f, 0, 0, true);      // alpha 0, beta 0: C = 0
            check(seed++, ta, tb, 37, 70, 53, 0f, 2f, 0, 0, false);     // alpha 0: C = beta*C
            check(seed++, ta, tb, 37, 70, 0, 1f, 0.5f, 0, 0, false);    // k 0: C = beta*C
            check(seed++, ta, tb, 37, 70, 0, 1f, 0f, 0, 0, true);
        }
    }

    /** One column of C or a single inner dimension ({@link SgemmThin}): transposes, alpha/beta, NaN in C, padding, offsets. */
    @Test
    void matrixVectorAndOuterProducts() {
        long seed = 250;
        int[][] shapes = {{128, 1, 3200}, {3200, 1, 128}, {128, 3200, 1}, {1, 1, 1}, {7, 1, 33}, {33, 1, 7}, {5, 70, 1}, {70, 5, 1}, {1, 45, 1}};
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            for (int[] s : shapes) {
                check(seed++, ta, tb, s[0], s[1], s[2], 1f, 0f, 0, 0, true);
                check(seed++, ta, tb, s[0], s[1], s[2], -0.75f, 0.5f, 5, 3, false);
                Case c = new Case(seed++, ta, tb, s[0], s[1], s[2], 1.5f, 1f, 3, 7, false);
                assertArrayEquals(c.runSgemm(1), c.runSgemm(Math.max(2, Parallel.threads())), () -> "1 vs many threads differ for " + c);
            }
        }
    }

    @Test
    void offsetsAndLeadingDimensions() {
        long seed = 300;
        int[][] shapes = {{5, 9, 3}, {13, 40, 17}, {33, 65, 31}, {100, 33, 129}};
        for (int t = 0; t < 4; t++) {
            for (int[] s : shapes) {
                check(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1f, 0f, 7, 11, true);
                check(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 2f, 1f, 32, 3, false);
            }
        }
    }

    @Test
    void modelShapesReduced() {
        // {transA, transB, m, n, k}: forward im2col GEMMs (M = cout, K = cin*kh*kw, N = H*W) with N cut,
        // and the backward dW = dY * col^T (transB) and dcol = W^T * dY (transA).
        int[][] shapes = {
                {0, 0, 48, 160, 1728}, {0, 0, 24, 1024, 216}, {0, 0, 12, 4096, 72}, {0, 0, 64, 256, 288},
                {0, 0, 128, 96, 576}, {0, 0, 20, 3100, 800},
                {0, 1, 48, 432, 1024}, {0, 1, 12, 72, 4096}, {0, 1, 24, 216, 2048},
                {1, 0, 432, 1024, 48}, {1, 0, 72, 4096, 12}, {1, 0, 1728, 100, 96},
        };
        long seed = 400;
        for (int[] s : shapes) check(seed++, s[0] == 1, s[1] == 1, s[2], s[3], s[4], 1f, 0f, 0, 0, false);
    }

    @Test
    void hugeAPackedBlockByBlock() {
        // op(A) over Sgemm.A_CACHE_MAX floats is not packed whole but per A block.
        int k = (int) (Sgemm.A_CACHE_MAX / 24) + 1000;
        check(700, false, false, 13, 33, k, 1f, 0f, 0, 0, false);
        check(701, true, true, 13, 33, k, 1f, 0.5f, 0, 0, false);
    }

    @Test
    void multiThreadedMatchesSingleThreaded() {
        // Splitting by columns and by rows must give bit-identical results: each C element sees
        // the same K blocking and the same kernel either way.
        int[][] shapes = {{96, 1000, 300}, {400, 40, 500}, {130, 129, 131}, {12, 4100, 100}, {1000, 33, 64}};
        long seed = 500;
        for (int t = 0; t < 4; t++) {
            for (int[] s : shapes) {
                Case c = new Case(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1f, 0.5f, 3, 5, false);
                float[] one = c.runSgemm(1);
                float[] many = c.runSgemm(Math.max(2, Parallel.threads()));
                assertArrayEquals(one, many, () -> "1 vs many threads differ for " + c);
                c.check(many);
            }
        }
    }

    /** The product from a kept packing of A (Winograd's cached filters) equals the threaded entry point's bits and the reference. */
    @Test
    void serialPackedMatchesSgemm() {
        int[][] shapes = {{96, 64, 48}, {13, 33, 17}, {192, 128, 96}, {40, 50, 1100}, {1, 40, 3}, {30, 1, 12}};
        long seed = 700;
        for (int[] s : shapes) {
            for (float beta : new float[] {0f, 1f, 0.5f}) {
                Case c = new Case(seed++, false, false, s[0], s[1], s[2], 1f, beta, 2, 3, false);
                float[] expected = c.runSgemm(1);
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment as = seg(arena, c.a), bs = seg(arena, c.b), cs = seg(arena, c.c0);
                    float[] packed = Sgemm.packA(false, c.m, c.k, as, c.aOff, c.lda).clone();
                    Sgemm.serialPacked(packed, c.m, c.n, c.k, bs, c.bOff, c.ldb, beta, cs, c.cOff, c.ldc);
                    float[] got = cs.toArray(ValueLayout.JAVA_FLOAT);
                    c.check(got);
                    if (c.n > 1 && c.k > 1) assertArrayEquals(expected, got, () -> "serialPacked differs from sgemm for " + c);
                }
            }
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment b = arena.allocate(64 * 64 * 4L, 64), c = arena.allocate(64 * 64 * 4L, 64);
            expectBad(() -> Sgemm.serialPacked(new float[10], 12, 8, 8, b, 0, 8, 0f, c, 0, 8));
            expectBad(() -> Sgemm.serialPacked(null, 12, 8, 8, b, 0, 8, 0f, c, 0, 8));
            expectBad(() -> Sgemm.serialPacked(new float[Sgemm.packedASize(12, 8)], 12, 8, 8, b, 0, 8, 0f, c, 4090, 8));
        }
    }

    @Test
    void confinedSegmentsStayOnCallerThread() {
        // Pool workers may not touch a confined segment, so such calls must run on the caller.
        Case c = new Case(600, false, false, 100, 300, 200, 1f, 0f, 0, 0, false);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment as = seg(arena, c.a), bs = seg(arena, c.b), cs = seg(arena, c.c0);
            Sgemm.sgemm(false, false, c.m, c.n, c.k, 1f, as, 0, c.lda, bs, 0, c.ldb, 0f, cs, 0, c.ldc);
            c.check(cs.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    @Test
    void noAllocationAfterWarmUp() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            int m = 24, n = 64, k = 72;
            MemorySegment a = arena.allocate((long) m * k * 4), b = arena.allocate((long) k * n * 4),
                    c = arena.allocate((long) m * n * 4);
            // Enough calls for C2 to compile the kernel: interpreted Vector API code boxes every vector.
            for (int i = 0; i < 3000; i++) Sgemm.sgemm(1, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10; i++) Sgemm.sgemm(1, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            long perCall = (bean.getCurrentThreadAllocatedBytes() - before) / 10;
            assertTrue(perCall < 1024, "sgemm allocated " + perCall + " bytes per call after warm-up");
        }
    }

    @Test
    void badInputsThrowIllegalArgument() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(100 * 4);
            MemorySegment big = arena.allocate(10_000 * 4);
            expectBad(() -> Sgemm.sgemm(false, false, -1, 4, 4, 1f, s, 0, 4, s, 0, 4, 0f, s, 0, 4));
            expectBad(() -> Sgemm.sgemm(false, false, 4, -4, 4, 1f, s, 0, 4, s, 0, 4, 0f, s, 0, 4));
            expectBad(() -> Sgemm.sgemm(false, false, 4, 4, -2, 1f, s, 0, 4, s, 0, 4, 0f, s, 0, 4));
            expectBad(() -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, s, 0, 3, s, 0, 4, 0f, s, 0, 4));   // lda < k
            expectBad(() -> Sgemm.sgemm(true, false, 6, 4, 4, 1f, s, 0, 5, s, 0, 4, 0f, s, 0, 4));    // lda < m
            expectBad(() -> Sgemm.sgemm(false, true, 4, 4, 5, 1f, s, 0, 5, s, 0, 4, 0f, s, 0, 4));    // ldb < k
            expectBad(() -> Sgemm.sgemm(false, false, 4, 5, 4, 1f, s, 0, 4, s, 0, 5, 0f, s, 0, 4));   // ldc < n
            expectBad(() -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, s, -1, 4, s, 0, 4, 0f, s, 0, 4));  // offset
            expectBad(() -> Sgemm.sgemm(false, false, 20, 20, 20, 1f, s, 0, 20, big, 0, 20, 0f, big, 0, 20));
            expectBad(() -> Sgemm.sgemm(false, false, 20, 20, 20, 1f, big, 0, 20, s, 0, 20, 0f, big, 0, 20));
            expectBad(() -> Sgemm.sgemm(false, false, 20, 20, 20, 1f, big, 0, 20, big, 0, 20, 0f, s, 0, 20));
            expectBad(() -> Sgemm.sgemm(false, false, 10, 10, 10, 1f, s, 1, 10, s, 0, 10, 0f, big, 0, 10)); // off by one
            expectBad(() -> Sgemm.sgemm(false, false, 4, 4, 4, 1f, null, 0, 4, s, 0, 4, 0f, s, 0, 4));
            // Huge declared shapes must not overflow the size check into a pass.
            expectBad(() -> Sgemm.sgemm(false, false, 1 << 20, 1 << 20, 1 << 20, 1f, big, 0, 1 << 20, big, 0, 1 << 20, 0f, big, 0, 1 << 20));
            // Exactly fitting shapes are accepted.
            Sgemm.sgemm(false, false, 10, 10, 10, 1f, s, 0, 10, s, 0, 10, 0f, big, 0, 10);
        }
    }

    private static void expectBad(org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("sgemm") && e.getMessage().contains("m="), e::getMessage);
    }
}
