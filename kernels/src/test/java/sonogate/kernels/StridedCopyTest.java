package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sonogate.kernels.ElementwiseTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StridedCopyTest {

    /** Runs the float kernel and the reference from the same initial dst and compares all of dst. */
    static void check(int[] shape, double[] src, long so, long[] ss, double[] dst0, long dof, long[] ds, boolean acc, String what) {
        double[] ref = dst0.clone();
        StridedCopy.copyReference(shape, src, so, ss, ref, dof, ds, acc);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment d = seg(arena, dst0);
            StridedCopy.copy(shape, seg(arena, src), so, ss, d, dof, ds, acc);
            assertClose(floats(d, dst0.length), ref, TOL, what + " accumulate=" + acc);
        }
    }

    @Test
    void transposeByPermutedStrides() {
        Random r = new Random(1);
        for (int[] shape : new int[][] {{2, 3, 7, 9}, {2, 24, 64, 65}, {1, 1, 1, 17}}) {
            int n = count(shape);
            int N = shape[0], C = shape[1], H = shape[2], W = shape[3];
            double[] src = uniform(r, n, -1, 1);
            // NCHW -> NHWC: iterate over NCHW, write with NHWC strides
            long[] nhwc = {(long) H * W * C, 1, (long) W * C, C};
            for (boolean acc : new boolean[] {false, true}) {
                check(shape, src, 0, contiguousStrides(shape), uniform(r, n, -1, 1), 0, nhwc, acc, Arrays.toString(shape) + " NCHW->NHWC");
                check(shape, src, 0, nhwc, uniform(r, n, -1, 1), 0, contiguousStrides(shape), acc, Arrays.toString(shape) + " NHWC->NCHW");
            }
            // exact check of the permutation for the small case
            if (n == 378) {
                double[] dst = new double[n];
                StridedCopy.copyReference(shape, src, 0, contiguousStrides(shape), dst, 0, nhwc, false);
                assertEquals(src[((1 * C + 2) * H + 3) * W + 4], dst[((1 * H + 3) * W + 4) * C + 2]);
            }
        }
        // 2-D matrix transpose with odd sizes
        double[] m = uniform(r, 31 * 17, -1, 1);
        check(new int[] {31, 17}, m, 0, new long[] {17, 1}, new double[31 * 17], 0, new long[] {1, 31}, false, "31x17 transpose");
    }

    @Test
    void channelSliceAndConcat() {
        Random r = new Random(2);
        for (int[] dims : new int[][] {{2, 8, 5, 7}, {2, 48, 33, 35}}) {
            int N = dims[0], C = dims[1], H = dims[2], W = dims[3];
            double[] src = uniform(r, N * C * H * W, -1, 1);
            int c0 = 2, cn = C / 2 + 1;
            int[] shape = {N, cn, H, W};
            long[] srcS = contiguousStrides(dims);
            // slice channels [c0, c0+cn) out into a contiguous tensor
            check(shape, src, (long) c0 * H * W, srcS, new double[count(shape)], 0, contiguousStrides(shape), false, "channel slice " + Arrays.toString(dims));
            // concat: write the slice into channels [1, 1+cn) of a [N, cn+3, H, W] tensor, both plain and accumulating
            int[] big = {N, cn + 3, H, W};
            double[] dst0 = uniform(r, count(big), -1, 1);
            for (boolean acc : new boolean[] {false, true}) {
                check(shape, src, (long) c0 * H * W, srcS, dst0, (long) H * W, contiguousStrides(big), acc, "concat " + Arrays.toString(dims));
            }
        }
    }

    /** Sum over broadcast dims: dst strides 0 in every subset of dims, small odd and large shapes. */
    @Test
    void accumulateWithZeroDstStridesSumsOverBroadcastDims() {
        Random r = new Random(3);
        for (int[] shape : new int[][] {{2, 3, 7, 9}, {4, 32, 32, 33}}) {
            int n = count(shape);
            double[] src = uniform(r, n, -1, 1);
            for (int mask = 0; mask < 16; mask++) {
                long[] ds = BinaryTest.broadcastStrides(shape, mask);
                double[] dst0 = uniform(r, BinaryTest.ownCount(shape, mask), -1, 1);
                for (boolean acc : new boolean[] {true, false}) {
                    check(shape, src, 0, contiguousStrides(shape), dst0, 0, ds, acc, Arrays.toString(shape) + " dst-mask " + mask);
                }
            }
        }
    }

    /** Explicit bias-gradient case: [N,C,H,W] -> [1,C,1,1] sums equal direct per-channel double sums. */
    @Test
    void biasGradientSumIsExact() {
        Random r = new Random(4);
        int N = 3, C = 24, H = 40, W = 41;
        int[] shape = {N, C, H, W};
        double[] src = uniform(r, count(shape), -1, 1);
        double[] expect = new double[C];
        for (int i = 0; i < src.length; i++) expect[i / (H * W) % C] += src[i];
        double[] ref = new double[C];
        StridedCopy.copyReference(shape, src, 0, contiguousStrides(shape), ref, 0, new long[] {0, 1, 0, 0}, true);
        assertClose(ref, expect, 1e-12, "reference bias sum");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment d = seg(arena, new float[C]);
            StridedCopy.copy(shape, seg(arena, src), 0, contiguousStrides(shape), d, 0, new long[] {0, 1, 0, 0}, true);
            assertClose(floats(d, C), expect, TOL, "bias sum");
        }
    }

    @Test
    void broadcastSourceAndOtherRanks() {
        Random r = new Random(5);
        double[] s = uniform(r, 64, -1, 1);
        // src stride 0: broadcast a per-channel vector to a full tensor (expand)
        int[] shape = {2, 3, 7, 9};
        for (boolean acc : new boolean[] {false, true}) {
            check(shape, s, 1, new long[] {0, 1, 0, 0}, uniform(r, count(shape), -1, 1), 0, contiguousStrides(shape), acc, "expand");
            check(new int[] {}, s, 5, new long[] {}, new double[3], 2, new long[] {}, acc, "rank 0");
            check(new int[] {1000}, uniform(r, 2000, -1, 1), 1, new long[] {2}, new double[1000], 0, new long[] {1}, acc, "rank 1 stride 2");
            int[] five = {2, 3, 2, 5, 3};
            check(five, uniform(r, count(five), -1, 1), 0, contiguousStrides(five), new double[count(five)], 0,
                    new long[] {1, 2, 6, 12, 60}, acc, "rank 5 reversed");
            // dst stride 0 in a src-strided inner run, and both 0
            check(new int[] {3, 50}, uniform(r, 150, -1, 1), 0, new long[] {1, 3}, new double[3], 0, new long[] {1, 0}, acc, "strided reduce");
            check(new int[] {4, 50}, s, 7, new long[] {1, 0}, new double[4], 0, new long[] {1, 0}, acc, "0/0 run");
            check(new int[] {0, 5}, s, 0, new long[] {5, 1}, new double[3], 0, new long[] {5, 1}, acc, "empty");
        }
        // a plain large contiguous copy (single bulk copy) and a negative stride reversal
        double[] big = uniform(r, 300_000, -1, 1);
        check(new int[] {300_000}, big, 0, new long[] {1}, new double[300_000], 0, new long[] {1}, false, "bulk copy");
        check(new int[] {1000}, big, 999, new long[] {-1}, new double[1000], 0, new long[] {1}, false, "reverse");
    }

    /** A dst layout with overlapping nonzero strides must still sum correctly (runs single-threaded). */
    @Test
    void overlappingDstStridesAccumulate() {
        Random r = new Random(6);
        int[] shape = {300, 400};
        double[] src = uniform(r, count(shape), -1, 1);
        check(shape, src, 0, contiguousStrides(shape), new double[1000], 0, new long[] {2, 1}, true, "overlapping dst");
    }

    @Test
    void badInputThrowsIllegalArgument() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s100 = seg(arena, new float[100]), s10 = seg(arena, new float[10]);
            int[] shape = {2, 5, 10};
            long[] c = contiguousStrides(shape);
            assertIae(() -> StridedCopy.copy(shape, s100, 0, new long[] {50, 10}, s100, 0, c, false),
                    "StridedCopy.copy", "src", "[2, 5, 10]", "rank 2");
            assertIae(() -> StridedCopy.copy(shape, s100, 0, c, s10, 0, c, true),
                    "StridedCopy.copy", "dst", "[2, 5, 10]", "10");
            assertIae(() -> StridedCopy.copy(shape, s100, 5, c, s100, 0, c, true),
                    "StridedCopy.copy", "src", "offset 5");
            assertIae(() -> StridedCopy.copy(new int[] {2, -5, 10}, s100, 0, c, s100, 0, c, true),
                    "StridedCopy.copy", "negative", "[2, -5, 10]");
            assertIae(() -> StridedCopy.copy(shape, s100, 0, c, s100, 0, new long[] {-50, 10, 1}, false),
                    "StridedCopy.copy", "dst", "-50");
            assertIae(() -> StridedCopy.copyReference(shape, new double[100], 0, c, new double[99], 0, c, false),
                    "StridedCopy.copyReference", "dst", "[2, 5, 10]");
        }
    }
}
