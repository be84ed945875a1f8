package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Winograd F(2x2, 3x3) path: forward and backward data against the float64 reference, the gated form, the filter cache, the rule. */
class ConvWinogradTest {

    /**
     * batch, cin, h, w, cout, k, s, p, d: every dilation the split handles (below, at and above the
     * vector width; also with -Dsonogate.simd.bits=256 or 128, where more of them are at or above it).
     */
    static Stream<ConvGeometry> geometries() {
        int l = Simd.LANES;
        return Stream.of(
                new ConvGeometry(1, 12, 32, 2 * l, 12, 3, 1, 1, 1),
                new ConvGeometry(2, 16, 8, 4 * l, 24, 3, 1, 1, 1),       // several tile vectors per row, one band per sample
                new ConvGeometry(1, 24, 16, 32, 48, 3, 1, 2, 2),
                new ConvGeometry(3, 13, 16, 32, 17, 3, 1, 4, 4),      // odd channel counts: ragged GEMM slivers
                new ConvGeometry(1, 12, 16, 32, 12, 3, 1, 8, 8),
                new ConvGeometry(1, 12, 32, 32, 14, 3, 1, 16, 16),
                new ConvGeometry(1, 12, 64, 64, 12, 3, 1, 32, 32),       // two origin blocks per row at d = 32
                new ConvGeometry(1, 48, 32, 32, 96, 3, 1, 1, 1),         // small's 4c layers
                new ConvGeometry(2, 40, 64, 64, 40, 3, 1, 1, 1))         // many bands per sample
                .filter(ConvWinograd::suits);
    }

    @Test
    void ruleTakesTheModelsThreeByThreeLayersOnly() {
        assertTrue(geometries().count() >= 8, "the test geometries take the Winograd path");
        assertTrue(ConvWinograd.suits(new ConvGeometry(1, 48, 32, 32, 96, 3, 1, 16, 16)));
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 32, 32, 96, 3, 2, 1, 1)), "stride 2");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 32, 32, 96, 3, 1, 0, 1)), "valid padding");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 32, 32, 96, 5, 1, 2, 1)), "5x5");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 31, 32, 96, 3, 1, 1, 1)), "odd height");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 32, 33, 96, 3, 1, 1, 1)), "odd width");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 48, 24, 24, 96, 3, 1, 8, 8)), "2d does not divide the plane");
        assertFalse(ConvWinograd.suits(new ConvGeometry(1, 3, 32, 32, 96, 3, 1, 1, 1)), "thin input");
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesReference(ConvGeometry g) {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        double[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize()), b = random(rnd, g.outChannels());
        double[] y = new double[(int) g.outputSize()];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), bs = segment(arena, b);
            MemorySegment ys = segment(arena, random(rnd, g.outputSize()));
            Conv2dReference.forward(g, x, w, b, y);
            Conv2d.forward(g, xs, ws, bs, ys);
            assertClose(g + " forward (seed " + seed + ")", ys, y, Conv2dTest.TOL);
            Conv2dReference.forward(g, x, w, null, y);
            Conv2d.forward(g, xs, ws, null, ys);
            assertClose(g + " forward, no bias (seed " + seed + ")", ys, y, Conv2dTest.TOL);
        }
    }

    /** dx += the adjoint: dx starts from random values, as autodiff accumulates. */
    @ParameterizedTest
    @MethodSource("geometries")
    void backwardDataMatchesReference(ConvGeometry g) {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        double[] w = random(rnd, g.weightSize()), dy = random(rnd, g.outputSize()), dx = random(rnd, g.inputSize());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ws = segment(arena, w), dys = segment(arena, dy), dxs = segment(arena, dx);
            Conv2dReference.backwardData(g, dy, w, dx);
            Conv2d.backwardData(g, dys, ws, dxs);
            assertClose(g + " backwardData (seed " + seed + ")", dxs, dx, Conv2dTest.TOL);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void gatedEqualsForwardThenGateBitForBit(ConvGeometry g) {
        if (g.outChannels() % 2 != 0) return;
        assertTrue(Conv2d.fusesGate(g));
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = segment(arena, random(rnd, g.inputSize())), w = segment(arena, random(rnd, g.weightSize()));
            MemorySegment b = segment(arena, random(rnd, g.outChannels()));
            long half = g.outputSize() / 2;
            for (GateActivation act : GateActivation.values()) {
                MemorySegment y = arena.allocate(g.outputSize() * Float.BYTES, 64), expected = arena.allocate(half * Float.BYTES, 64);
                Conv2d.forward(g, x, w, b, y);
                Gating.forward(act, g.batch(), g.outChannels() / 2, g.outH() * g.outW(), y, expected);
                MemorySegment fused = segment(arena, random(rnd, half));
                Conv2d.forwardGated(g, act, x, w, b, fused);
                assertArrayEquals(expected.toArray(ValueLayout.JAVA_FLOAT), fused.toArray(ValueLayout.JAVA_FLOAT),
                        g + " " + act + " (seed " + seed + ")");
            }
        }
    }

    /** Weights changed in place (optimiser steps) are seen at once: the cache never serves a stale transform. */
    @Test
    void filtersFollowWeightsChangedInPlace() {
        ConvGeometry g = new ConvGeometry(1, 16, 16, 2 * Simd.LANES, 24, 3, 1, 1, 1);
        Random rnd = new Random(System.nanoTime());
        double[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize()), dy = random(rnd, g.outputSize());
        double[] y = new double[(int) g.outputSize()];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), dys = segment(arena, dy);
            MemorySegment ys = arena.allocate(g.outputSize() * Float.BYTES, 64);
            Conv2d.forward(g, xs, ws, null, ys);
            float[] first = ys.toArray(ValueLayout.JAVA_FLOAT);
            Conv2d.forward(g, xs, ws, null, ys);
            assertArrayEquals(first, ys.toArray(ValueLayout.JAVA_FLOAT), "same weights, same bits");
            for (int step = 0; step < 3; step++) {   // the first change marks the weights as changing, later ones use the per-call path
                int changed = rnd.nextInt(w.length);
                w[changed] += 0.5;
                ws.setAtIndex(Simd.FLOAT, changed, (float) w[changed]);
                Conv2d.forward(g, xs, ws, null, ys);
                Conv2dReference.forward(g, x, w, null, y);
                assertClose("forward after weight change " + step, ys, y, Conv2dTest.TOL);
                double[] dx = new double[(int) g.inputSize()];
                MemorySegment dxs = segment(arena, dx);
                Conv2d.backwardData(g, dys, ws, dxs);
                Conv2dReference.backwardData(g, dy, w, dx);
                assertClose("backwardData after weight change " + step, dxs, dx, Conv2dTest.TOL);
            }
        }
        assertTrue(WinogradFilters.size() <= WinogradFilters.CAPACITY);
    }

    /** One thread or several, few bands or many: every output is the same sum. */
    @Test
    void bandSplitDoesNotChangeBits() {
        ConvGeometry one = new ConvGeometry(1, 24, 32, 32, 48, 3, 1, 2, 2), three = new ConvGeometry(3, 24, 32, 32, 48, 3, 1, 2, 2);
        Random rnd = new Random(System.nanoTime());
        try (Arena arena = Arena.ofShared()) {
            double[] x = random(rnd, three.inputSize());
            MemorySegment xs = segment(arena, x), ws = segment(arena, random(rnd, three.weightSize()));
            MemorySegment all = arena.allocate(three.outputSize() * Float.BYTES, 64), single = arena.allocate(one.outputSize() * Float.BYTES, 64);
            Conv2d.forward(three, xs, ws, null, all);
            for (int n = 0; n < 3; n++) {
                Conv2d.forward(one, xs.asSlice(n * one.inputSize() * Float.BYTES), ws, null, single);
                assertArrayEquals(single.toArray(ValueLayout.JAVA_FLOAT),
                        all.asSlice(n * one.outputSize() * Float.BYTES, one.outputSize() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT),
                        "sample " + n + " alone and in a batch of 3");
            }
        }
    }
}
