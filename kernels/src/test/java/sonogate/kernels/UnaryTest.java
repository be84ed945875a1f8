package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static sonogate.kernels.ElementwiseTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnaryTest {

    static float alphaFor(UnaryOp op) {
        return op == UnaryOp.LEAKY_RELU ? 0.2f : op == UnaryOp.ELU ? 1f : 0f;
    }

    /** Inputs in each op's domain: positive for SQRT and LOG. */
    static double[] inputs(UnaryOp op, Random r, int n) {
        return switch (op) {
            case SQRT, LOG -> uniform(r, n, 1e-3, 10);
            case EXP -> uniform(r, n, -10, 10);
            default -> uniform(r, n, -6, 6);
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void forwardMatchesReference(UnaryOp op) {
        Random r = new Random(op.ordinal());
        for (float alpha : op == UnaryOp.ELU || op == UnaryOp.LEAKY_RELU ? new float[] {alphaFor(op), 0.5f} : new float[] {0}) {
            for (int n : LENGTHS) {
                double[] x = inputs(op, r, n);
                double[] ref = new double[n];
                Unary.forwardReference(op, alpha, n, x, ref);
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]);
                    Unary.forward(op, alpha, n, xs, ys);
                    assertClose(floats(ys, n), ref, TOL, op + " forward n=" + n + " alpha=" + alpha);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void backwardMatchesReferenceAndAccumulates(UnaryOp op) {
        Random r = new Random(100 + op.ordinal());
        float alpha = alphaFor(op);
        for (int n : LENGTHS) {
            double[] x = inputs(op, r, n), dy = uniform(r, n, -1, 1), dx0 = uniform(r, n, -1, 1);
            double[] ref = dx0.clone();
            Unary.backwardReference(op, alpha, n, x, null, dy, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]), dys = seg(arena, dy), dxs = seg(arena, dx0);
                Unary.forward(op, alpha, n, xs, ys);
                Unary.backward(op, alpha, n, xs, ys, dys, dxs);
                assertClose(floats(dxs, n), ref, TOL, op + " backward n=" + n);
            }
        }
    }

    /** The references themselves: backward equals central differences of forward (eps 1e-6, in double). */
    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void referenceBackwardMatchesFiniteDifferences(UnaryOp op) {
        Random r = new Random(200 + op.ordinal());
        int n = 257;
        for (double alpha : op == UnaryOp.ELU || op == UnaryOp.LEAKY_RELU ? new double[] {alphaFor(op), 0.7} : new double[] {0}) {
            double[] x = inputs(op, r, n);
            for (int i = 0; i < n; i++) if (Math.abs(x[i]) < 1e-3) x[i] += 2e-3;   // stay off kinks
            double[] dy = uniform(r, n, -1, 1), dx = new double[n];
            Unary.backwardReference(op, alpha, n, x, null, dy, dx);
            double eps = 1e-6;
            double[] xp = x.clone(), xm = x.clone(), yp = new double[n], ym = new double[n], fd = new double[n];
            for (int i = 0; i < n; i++) { xp[i] += eps; xm[i] -= eps; }
            Unary.forwardReference(op, alpha, n, xp, yp);
            Unary.forwardReference(op, alpha, n, xm, ym);
            for (int i = 0; i < n; i++) fd[i] = dy[i] * (yp[i] - ym[i]) / (2 * eps);
            assertClose(dx, fd, 1e-6, op + " reference gradient vs finite differences, alpha=" + alpha);
        }
    }

    @Test
    void derivativesAtKinks() {
        double[] x = {0, 0, 0, 0};
        double[] dy = {1, 1, 1, 1};
        for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.ABS, UnaryOp.LEAKY_RELU, UnaryOp.ELU}) {
            double[] dx = new double[4];
            Unary.backwardReference(op, 0.2, 4, x, null, dy, dx);
            double expect = op == UnaryOp.RELU || op == UnaryOp.ABS ? 0 : 0.2;
            assertEquals(expect, dx[0], 0, op + "'(0)");
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x), ys = seg(arena, new float[4]), dys = seg(arena, dy), dxs = seg(arena, new float[4]);
                Unary.forward(op, 0.2f, 4, xs, ys);
                Unary.backward(op, 0.2f, 4, xs, ys, dys, dxs);
                for (int i = 0; i < 4; i++) assertEquals((float) expect, Simd.get(dxs, i), 1e-7, op + "'(0) float");
            }
        }
    }

    @Test
    void extremeInputsStayFinite() {
        double[] x = {1e4, -1e4, 88, -88, 100, -100, 0, 1e-30, -1e-30, 30, -30, 15, -15, 3e38, -3e38, 1};
        int n = x.length;
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.ELU}) {
            double[] ref = new double[n];
            Unary.forwardReference(op, 1, n, x, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]);
                Unary.forward(op, 1f, n, xs, ys);
                float[] y = floats(ys, n);
                for (int i = 0; i < n; i++) {
                    assertFalse(Float.isNaN(y[i]) || Float.isInfinite(y[i]) && Math.abs(x[i]) < 1e38, op + "(" + x[i] + ") = " + y[i]);
                    if (op == UnaryOp.ELU && x[i] > 1e38) continue;   // ELU is the identity there: the float equals x
                    assertEquals(ref[i], y[i], 1e-6 * Math.max(1, Math.abs(ref[i])), op + "(" + x[i] + ")");
                }
                if (op == UnaryOp.SIGMOID) {
                    assertEquals(1f, y[0]);
                    assertEquals(0f, y[1]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void forwardInPlace(UnaryOp op) {
        Random r = new Random(300 + op.ordinal());
        for (int n : new int[] {17, 1000, 65537}) {
            double[] x = inputs(op, r, n), ref = new double[n];
            Unary.forwardReference(op, alphaFor(op), n, x, ref);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x);
                Unary.forward(op, alphaFor(op), n, xs, xs);
                assertClose(floats(xs, n), ref, TOL, op + " in place n=" + n);
            }
            double[] xr = x.clone();
            Unary.forwardReference(op, alphaFor(op), n, xr, xr);
            assertClose(xr, ref, 0, op + " reference in place");
        }
    }

    @Test
    void affineAxpyFill() {
        Random r = new Random(7);
        for (int n : LENGTHS) {
            double[] x = uniform(r, n, -3, 3), y0 = uniform(r, n, -3, 3);
            double[] aff = new double[n], ax = new double[n], fl = new double[n];
            for (int i = 0; i < n; i++) {
                aff[i] = 1.5 * x[i] - 0.25;
                ax[i] = y0[i] + -0.75 * x[i];
                fl[i] = 3.5;
            }
            try (Arena arena = Arena.ofShared()) {
                MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]);
                Unary.affine(n, 1.5f, -0.25f, xs, ys);
                assertClose(floats(ys, n), aff, TOL, "affine n=" + n);
                MemorySegment y2 = seg(arena, y0);
                Unary.axpy(n, -0.75f, xs, y2);
                assertClose(floats(y2, n), ax, TOL, "axpy n=" + n);
                Unary.fill(n, 3.5f, ys);
                assertClose(floats(ys, n), fl, 0, "fill n=" + n);
                Unary.affine(n, 1.5f, -0.25f, xs, xs);
                assertClose(floats(xs, n), aff, TOL, "affine in place n=" + n);
            }
        }
    }

    @Test
    void fillLeavesBytesBeyondNUntouched() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = seg(arena, new float[40]);
            Unary.fill(17, 1f, s);
            assertEquals(1f, Simd.get(s, 16));
            assertEquals(0f, Simd.get(s, 17));
            Unary.forward(UnaryOp.EXP, 0, 17, s, s);
            assertEquals(0f, Simd.get(s, 17));
        }
    }

    /** Segments of a confined arena cannot be touched by pool threads: large calls then run serially. */
    @Test
    void confinedSegmentsRunSerially() {
        int n = 200_003;
        double[] x = uniform(new Random(9), n, -3, 3), ref = new double[n];
        Unary.forwardReference(UnaryOp.TANH, 0, n, x, ref);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = seg(arena, x), ys = seg(arena, new float[n]);
            Unary.forward(UnaryOp.TANH, 0, n, xs, ys);
            assertClose(floats(ys, n), ref, TOL, "confined tanh");
            assertEquals(Reduce.sumReference(n, ref), Reduce.sum(n, ys), 1e-5 * n);
            StridedCopy.copy(new int[] {n}, xs, 0, new long[] {1}, ys, 0, new long[] {1}, true);
            Softmax.forward(1, n, 1, xs, ys);
        }
    }

    @Test
    void badInputThrowsIllegalArgument() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment small = seg(arena, new float[10]), big = seg(arena, new float[100]);
            assertIae(() -> Unary.forward(UnaryOp.ELU, 1, -1, big, big), "Unary.forward(ELU)", "-1");
            assertIae(() -> Unary.forward(UnaryOp.TANH, 1, 50, small, big), "Unary.forward(TANH)", "x", "10", "50");
            assertIae(() -> Unary.forward(UnaryOp.TANH, 1, 50, big, small), "Unary.forward(TANH)", "y", "10", "50");
            assertIae(() -> Unary.backward(UnaryOp.SIGMOID, 1, 50, big, big, big, small), "Unary.backward(SIGMOID)", "dx", "50");
            assertIae(() -> Unary.backward(UnaryOp.RELU, 1, 50, small, big, big, big), "Unary.backward(RELU)", "x", "50");
            assertIae(() -> Unary.forward(UnaryOp.EXP, 1, 5, null, big), "Unary.forward(EXP)", "null");
            assertIae(() -> Unary.affine(-3, 1, 0, big, big), "Unary.affine", "-3");
            assertIae(() -> Unary.axpy(11, 1, small, big), "Unary.axpy", "11");
            assertIae(() -> Unary.fill(11, 1, small), "Unary.fill", "11");
            assertIae(() -> Unary.forwardReference(UnaryOp.ABS, 1, 5, new double[3], new double[5]), "Unary.forwardReference(ABS)", "5");
            assertIae(() -> Unary.backwardReference(UnaryOp.ABS, 1, -2, null, null, null, null), "Unary.backwardReference(ABS)", "-2");
        }
    }
}
