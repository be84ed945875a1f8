package sonogate.kernels;

import static sonogate.kernels.ElementwiseTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BinaryTest {

    /** Contiguous strides of shape with dims in {@code mask} (bit d = dim d) collapsed to size 1 and broadcast (stride 0). */
    static long[] broadcastStrides(int[] shape, int mask) {
        int[] own = shape.clone();
        for (int d = 0; d < shape.length; d++) if ((mask >> d & 1) != 0) own[d] = 1;
        long[] s = contiguousStrides(own);
        for (int d = 0; d < shape.length; d++) if ((mask >> d & 1) != 0) s[d] = 0;
        return s;
    }

    static int ownCount(int[] shape, int mask) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) if ((mask >> d & 1) == 0) n *= shape[d];
        return n;
    }

    static double[] operand(BinaryOp op, Random r, int n, boolean isB) {
        if (isB && op == BinaryOp.DIV) {
            double[] v = uniform(r, n, 0.5, 2);
            for (int i = 0; i < n; i++) if (r.nextBoolean()) v[i] = -v[i];
            return v;
        }
        return uniform(r, n, -3, 3);
    }

    /** Runs float kernel and reference on the same inputs and compares. */
    static void check(BinaryOp op, int[] shape, double[] a, long aOff, long[] as, double[] b, long bOff, long[] bs, String what) {
        int n = count(shape);
        double[] ref = new double[n];
        Binary.forwardReference(op, shape, a, aOff, as, b, bOff, bs, ref);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ys = seg(arena, new float[n]);
            Binary.forward(op, shape, seg(arena, a), aOff, as, seg(arena, b), bOff, bs, ys);
            assertClose(floats(ys, n), ref, TOL, op + " " + what);
        }
    }

    /** Every subset of broadcast dims for b, and for a, on an odd 4-D shape. */
    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void everyBroadcastSubsetOnOddShape(BinaryOp op) {
        Random r = new Random(op.ordinal());
        int[] shape = {2, 3, 7, 9};
        for (int am = 0; am < 16; am++) {
            for (int bm = 0; bm < 16; bm++) {
                double[] a = operand(op, r, ownCount(shape, am), false), b = operand(op, r, ownCount(shape, bm), true);
                check(op, shape, a, 0, broadcastStrides(shape, am), b, 0, broadcastStrides(shape, bm),
                        "shape [2,3,7,9] a-mask " + am + " b-mask " + bm);
            }
        }
    }

    /** The model's common cases on a large shape (parallel path) and on ragged small ones. */
    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void commonCasesLargeAndRagged(BinaryOp op) {
        Random r = new Random(10 + op.ordinal());
        int[][] shapes = {{2, 16, 64, 65}, {1, 1, 1, 1}, {1, 1, 1, 17}, {3, 5, 1, 31}, {1, 24, 33, 33}};
        // masks: same shape, [1,C,1,1], [N,C,1,1], [N,1,H,W], scalar, [1,1,H,W]
        int[] masks = {0, 0b1101, 0b1100, 0b0010, 0b1111, 0b0011};
        for (int[] shape : shapes) {
            int n = count(shape);
            double[] a = operand(op, r, n, false);
            for (int bm : masks) {
                double[] b = operand(op, r, ownCount(shape, bm), true);
                check(op, shape, a, 0, contiguousStrides(shape), b, 0, broadcastStrides(shape, bm),
                        java.util.Arrays.toString(shape) + " b-mask " + bm);
                // and broadcast on the left operand
                check(op, shape, b, 0, broadcastStrides(shape, bm), a, 0, contiguousStrides(shape),
                        java.util.Arrays.toString(shape) + " a-mask " + bm);
            }
        }
    }

    /** Non-contiguous operands: permuted (transposed) strides, offsets, a negative stride, a channel slice. */
    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void stridedOperands(BinaryOp op) {
        Random r = new Random(20 + op.ordinal());
        for (int[] shape : new int[][] {{2, 3, 7, 9}, {2, 8, 40, 41}}) {
            int n = count(shape);
            int N = shape[0], C = shape[1], H = shape[2], W = shape[3];
            // a stored as NHWC, read as NCHW
            double[] a = operand(op, r, n + 5, false);
            long[] aNhwc = {(long) H * W * C, 1, (long) W * C, C};
            // b: a channel slice [.., 1 .. C+1, ..] of a [N, C+2, H, W] buffer, flipped along W
            double[] b = operand(op, r, N * (C + 2) * H * W, true);
            long[] bs = {(long) (C + 2) * H * W, (long) H * W, W, -1};
            long bOff = (long) H * W + (W - 1);
            check(op, shape, a, 5, aNhwc, b, bOff, bs, java.util.Arrays.toString(shape) + " NHWC a, sliced flipped b");
            // per-channel b taken from a strided column of a matrix (stride 3)
            double[] bc = operand(op, r, 3 * C, true);
            check(op, shape, a, 5, aNhwc, bc, 2, new long[] {0, 3, 0, 0}, "strided per-channel b");
        }
    }

    @Test
    void otherRanks() {
        Random r = new Random(30);
        double[] a = uniform(r, 1000, -1, 1), b = uniform(r, 1000, -1, 1);
        check(BinaryOp.ADD, new int[] {1000}, a, 0, new long[] {1}, b, 0, new long[] {1}, "rank 1");
        check(BinaryOp.MUL, new int[] {10, 100}, a, 0, new long[] {100, 1}, b, 0, new long[] {1, 0}, "rank 2 row broadcast");
        check(BinaryOp.SUB, new int[] {}, a, 3, new long[] {}, b, 7, new long[] {}, "rank 0");
        check(BinaryOp.SUB, new int[] {2, 0, 3, 3}, a, 0, new long[] {0, 0, 0, 0}, b, 0, new long[] {0, 0, 0, 0}, "empty");
    }

    @Test
    void badInputThrowsIllegalArgument() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s100 = seg(arena, new float[100]), s10 = seg(arena, new float[10]);
            int[] shape = {1, 2, 5, 10};
            long[] c = contiguousStrides(shape);
            assertIae(() -> Binary.forward(BinaryOp.ADD, shape, s100, 0, new long[] {1, 1, 1}, s100, 0, c, s100),
                    "Binary.forward(ADD)", "[1, 2, 5, 10]", "rank 3");
            assertIae(() -> Binary.forward(BinaryOp.MUL, shape, s10, 0, c, s100, 0, c, s100),
                    "Binary.forward(MUL)", "a", "[1, 2, 5, 10]", "10");
            assertIae(() -> Binary.forward(BinaryOp.MUL, shape, s100, 1, c, s100, 0, c, s100),
                    "Binary.forward(MUL)", "a", "offset 1");
            assertIae(() -> Binary.forward(BinaryOp.DIV, shape, s100, 0, c, s100, -1, new long[] {0, 0, 0, 0}, s100),
                    "Binary.forward(DIV)", "b");
            assertIae(() -> Binary.forward(BinaryOp.SUB, shape, s100, 0, c, s100, 0, c, s10),
                    "Binary.forward(SUB)", "y", "[1, 2, 5, 10]");
            assertIae(() -> Binary.forward(BinaryOp.SUB, new int[] {1, -2, 5, 10}, s100, 0, c, s100, 0, c, s100),
                    "Binary.forward(SUB)", "negative", "[1, -2, 5, 10]");
            assertIae(() -> Binary.forwardReference(BinaryOp.ADD, shape, new double[100], 0, c, new double[99], 0, c, new double[100]),
                    "Binary.forwardReference(ADD)", "b", "[1, 2, 5, 10]");
        }
    }
}
