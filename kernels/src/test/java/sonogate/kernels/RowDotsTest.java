package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static sonogate.kernels.ConvTestSupport.assertClose;
import static sonogate.kernels.ConvTestSupport.random;
import static sonogate.kernels.ConvTestSupport.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowDotsTest {

    /** Ragged m, n (not multiples of 4) and lengths (not multiples of the lanes), strided rows, two calls into the same lanes. */
    @Test
    void matchesTheDefinitionOverSeveralCalls() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int[][] shapes = {{1, 54, 300}, {4, 4, 16}, {7, 9, 37}, {12, 32, 1024}, {24, 30, 5}, {3, 5, 0}, {96, 13, 257}};
        try (Arena arena = Arena.ofShared()) {
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], len = sh[2];
                int lda = len + rnd.nextInt(5), ldb = len + rnd.nextInt(5), ldc = n + rnd.nextInt(3);
                double[] a1 = random(rnd, (long) m * lda + 3), b1 = random(rnd, (long) n * ldb), a2 = random(rnd, (long) m * lda + 3), b2 = random(rnd, (long) n * ldb);
                double[] c = random(rnd, (long) m * ldc);
                double[] expect = c.clone();
                // A offset by 3 floats: rows need not start aligned
                double[] a1s = java.util.Arrays.copyOfRange(a1, 3, a1.length), a2s = java.util.Arrays.copyOfRange(a2, 3, a2.length);
                RowDots.reference(m, n, len, a1s, lda, b1, ldb, expect, ldc);
                RowDots.reference(m, n, len, a2s, lda, b2, ldb, expect, ldc);
                float[] acc = new float[RowDots.accSize(m, n)];
                MemorySegment cs = segment(arena, c);
                RowDots.accumulate(m, n, len, segment(arena, a1), 3, lda, segment(arena, b1), 0, ldb, acc);
                RowDots.accumulate(m, n, len, segment(arena, a2), 3, lda, segment(arena, b2), 0, ldb, acc);
                RowDots.finish(m, n, acc, cs, 0, ldc);
                assertClose(m + "x" + n + " len " + len + " (seed " + seed + ")", cs, expect, 1e-5);
            }
        }
    }

    /** Same inputs, same bits: the order of every sum is fixed by the layout. */
    @Test
    void isDeterministic() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int m = 10, n = 14, len = 531;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = segment(arena, random(rnd, (long) m * len)), b = segment(arena, random(rnd, (long) n * len));
            float[] first = new float[RowDots.accSize(m, n)], second = new float[RowDots.accSize(m, n)];
            RowDots.accumulate(m, n, len, a, 0, len, b, 0, len, first);
            RowDots.accumulate(m, n, len, a, 0, len, b, 0, len, second);
            assertArrayEquals(first, second, 0f, "seed " + seed);
        }
    }
}
