package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static sonogate.kernels.ElementwiseTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

    /** [outer, axis, inner]: inner = 1 (contiguous rows) and inner > 1 (strided columns), ragged and large. */
    static final int[][] SHAPES = {
        {1, 1, 1}, {3, 7, 1}, {2, 17, 1}, {5, 1000, 1}, {20, 4096, 1},
        {2, 7, 9}, {1, 5, 33}, {3, 16, 16}, {2, 3, 17}, {2, 64, 1024}, {4, 1, 5}, {0, 3, 4}
    };

    @Test
    void forwardMatchesReferenceAndRowsSumToOne() {
        Random r = new Random(1);
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            double[] x = uniform(r, n, -8, 8), ref = new double[n];
            Softmax.forwardReference(s[0], s[1], s[2], x, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]);
                Softmax.forward(s[0], s[1], s[2], xs, ys);
                float[] y = floats(ys, n);
                assertClose(y, ref, TOL, "softmax " + java.util.Arrays.toString(s));
                for (int o = 0; o < s[0]; o++) {
                    for (int j = 0; j < s[2]; j++) {
                        double sum = 0, refSum = 0;
                        for (int a = 0; a < s[1]; a++) {
                            sum += y[(o * s[1] + a) * s[2] + j];
                            refSum += ref[(o * s[1] + a) * s[2] + j];
                        }
                        assertEquals(1, sum, 1e-5, "row sum " + java.util.Arrays.toString(s));
                        assertEquals(1, refSum, 1e-12, "reference row sum");
                    }
                }
                // in place
                Softmax.forward(s[0], s[1], s[2], xs, xs);
                assertClose(floats(xs, n), ref, TOL, "softmax in place " + java.util.Arrays.toString(s));
            }
        }
    }

    @Test
    void largeLogitsGiveNoNaN() {
        for (int[] s : new int[][] {{2, 37, 1}, {2, 5, 19}}) {
            int n = s[0] * s[1] * s[2];
            Random r = new Random(2);
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = (float) (1e4 * (r.nextDouble() * 2 - 1));
            x[0] = 1e4;
            x[1] = 1e4;   // ties at the maximum
            double[] ref = new double[n];
            Softmax.forwardReference(s[0], s[1], s[2], x, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment ys = seg(arena, new float[n]);
                Softmax.forward(s[0], s[1], s[2], seg(arena, x), ys);
                float[] y = floats(ys, n);
                for (float v : y) assertFalse(Float.isNaN(v) || Float.isInfinite(v), "softmax of 1e4 logits");
                assertClose(y, ref, TOL, "large logits");
            }
        }
    }

    @Test
    void backwardMatchesReferenceAndAccumulates() {
        Random r = new Random(3);
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            double[] x = uniform(r, n, -4, 4), y = new double[n], dy = uniform(r, n, -1, 1), dx0 = uniform(r, n, -1, 1);
            Softmax.forwardReference(s[0], s[1], s[2], x, y);
            double[] yf = new double[n];
            for (int i = 0; i < n; i++) yf[i] = (float) y[i];   // the float kernel sees float y
            double[] ref = dx0.clone();
            Softmax.backwardReference(s[0], s[1], s[2], yf, dy, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment dxs = seg(arena, dx0);
                Softmax.backward(s[0], s[1], s[2], seg(arena, yf), seg(arena, dy), dxs);
                assertClose(floats(dxs, n), ref, TOL, "softmax backward " + java.util.Arrays.toString(s));
            }
        }
    }

    /** The references: backward is the gradient of sum(dy * softmax(x)) by central differences (eps 1e-6). */
    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        Random r = new Random(4);
        for (int[] s : new int[][] {{2, 7, 1}, {2, 5, 3}}) {
            int n = s[0] * s[1] * s[2];
            double[] x = uniform(r, n, -3, 3), y = new double[n], dy = uniform(r, n, -1, 1), dx = new double[n], fd = new double[n];
            Softmax.forwardReference(s[0], s[1], s[2], x, y);
            Softmax.backwardReference(s[0], s[1], s[2], y, dy, dx);
            double eps = 1e-6;
            for (int i = 0; i < n; i++) {
                double[] p = x.clone(), m = x.clone(), yp = new double[n], ym = new double[n];
                p[i] += eps;
                m[i] -= eps;
                Softmax.forwardReference(s[0], s[1], s[2], p, yp);
                Softmax.forwardReference(s[0], s[1], s[2], m, ym);
                double l = 0;
                for (int k = 0; k < n; k++) l += dy[k] * (yp[k] - ym[k]);
                fd[i] = l / (2 * eps);
            }
            assertClose(dx, fd, 1e-6, "softmax reference gradient " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void badInputThrowsIllegalArgument() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s100 = seg(arena, new float[100]), s10 = seg(arena, new float[10]);
            assertIae(() -> Softmax.forward(-1, 5, 2, s100, s100), "Softmax.forward", "[-1, 5, 2]");
            assertIae(() -> Softmax.forward(1, 5, 3, s10, s100), "Softmax.forward", "x", "[1, 5, 3]", "15");
            assertIae(() -> Softmax.backward(1, 5, 3, s100, s100, s10), "Softmax.backward", "dx", "[1, 5, 3]");
            assertIae(() -> Softmax.forwardReference(2, 5, 3, new double[30], new double[29]), "Softmax.forwardReference", "y", "[2, 5, 3]", "30");
        }
    }
}
