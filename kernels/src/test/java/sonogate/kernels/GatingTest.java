package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatingTest {
    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] s = {{1, 1, 1}, {1, 3, 7}, {3, 5, 37}, {2, 4, 16}, {1, 2, 63}, {3, 3, 7 * 9}, {2, 24, 4096 + 5}};
        for (GateActivation a : GateActivation.values()) for (int[] t : s) b.add(Arguments.of(a, t[0], t[1], t[2]));
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesReference(GateActivation act, int n, int c, int hw) {
        Random rnd = new Random(n * 31 + c * 7 + hw);
        int xs = 2 * n * c * hw, ys = n * c * hw;
        double[] x = new double[xs];
        for (int i = 0; i < xs; i++) x[i] = (float) (rnd.nextGaussian() * 4);
        // a few extremes and exact zeros
        double[] special = {0, -0.0, 100, -100, 1e4, -1e4, 88, -88, 89, -89, 1e-30};
        for (int i = 0; i < Math.min(xs, special.length); i++) x[(i * 7919) % xs] = special[i];
        double[] dy = random(rnd, ys), dx0 = random(rnd, xs);
        try (Arena arena = Arena.ofShared()) {
            double[] y = new double[ys];
            Gating.forwardReference(act, n, c, hw, x, y);
            MemorySegment yseg = segment(arena, random(rnd, ys)), xseg = segment(arena, x);
            Gating.forward(act, n, c, hw, xseg, yseg);
            assertClose(act + " forward", yseg, y, 1e-5);

            double[] dx = dx0.clone();
            Gating.backwardReference(act, n, c, hw, x, dy, dx);
            MemorySegment dxs = segment(arena, dx0);
            Gating.backward(act, n, c, hw, xseg, segment(arena, dy), dxs);
            assertClose(act + " backward", dxs, dx, 1e-5);
        }
    }

    /** The reference backward agrees with central differences of the reference forward. */
    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        for (GateActivation act : GateActivation.values()) {
            int n = 2, c = 3, hw = 5;
            Random rnd = new Random(1);
            double[] x = new double[2 * n * c * hw], dy = new double[n * c * hw];
            for (int i = 0; i < x.length; i++) {
                double v = rnd.nextGaussian() * 2;
                x[i] = Math.abs(v) < 1e-3 ? 0.5 : v; // keep away from ReLU's kink
            }
            for (int i = 0; i < dy.length; i++) dy[i] = rnd.nextGaussian();
            double[] dx = new double[x.length];
            Gating.backwardReference(act, n, c, hw, x, dy, dx);
            double h = 1e-6;
            double[] y = new double[dy.length];
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + h;
                Gating.forwardReference(act, n, c, hw, x, y);
                double up = dot(y, dy);
                x[i] = keep - h;
                Gating.forwardReference(act, n, c, hw, x, y);
                double down = dot(y, dy);
                x[i] = keep;
                assertEquals((up - down) / (2 * h), dx[i], 1e-6, act + " element " + i);
            }
        }
    }

    @Test
    void extremeInputsGiveFiniteOutputs() {
        int hw = 33;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = arena.allocate(2L * hw * 4), y = arena.allocate(hw * 4L), dx = arena.allocate(2L * hw * 4);
            MemorySegment dy = arena.allocate(hw * 4L);
            float[] vals = {Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 0f, 500f, -500f};
            for (int i = 0; i < 2 * hw; i++) x.setAtIndex(Simd.FLOAT, i, vals[i % vals.length]);
            for (int i = 0; i < hw; i++) dy.setAtIndex(Simd.FLOAT, i, 1f);
            for (GateActivation act : GateActivation.values()) {
                Gating.forward(act, 1, 1, hw, x, y);
                Gating.backward(act, 1, 1, hw, x, dy, dx);
                for (int i = 0; i < hw; i++) {
                    float f = x.getAtIndex(Simd.FLOAT, i), v = y.getAtIndex(Simd.FLOAT, i);
                    // f * sigmoid(g) may legitimately overflow only when f itself is huge
                    assertTrue(!Float.isNaN(v) && (Float.isFinite(v) || Math.abs(f) > 1e30f), act + " y[" + i + "] = " + v);
                }
                for (int i = 0; i < 2 * hw; i++) assertTrue(!Float.isNaN(dx.getAtIndex(Simd.FLOAT, i)), act + " dx NaN at " + i);
            }
        }
    }

    /** A thread-confined segment must not reach pool workers: big call, confined arena, still right. */
    @Test
    void confinedSegmentsRunOnTheCallingThread() {
        int n = 2, c = 16, hw = 4096;
        Random rnd = new Random(9);
        double[] x = random(rnd, 2L * n * c * hw), y = new double[n * c * hw];
        Gating.forwardReference(GateActivation.ELU, n, c, hw, x, y);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ys = arena.allocate(y.length * 4L);
            Gating.forward(GateActivation.ELU, n, c, hw, segment(arena, x), ys);
            assertClose("confined forward", ys, y, 1e-5);
            Gating.backward(GateActivation.ELU, n, c, hw, segment(arena, x), ys, arena.allocate(x.length * 4L));
        }
    }
}
