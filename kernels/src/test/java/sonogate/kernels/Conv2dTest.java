package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2dTest {
    static final double TOL = 1e-5;

    /** batch, cin, h, w, cout, k, s, p, d. */
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 3, 7, 9, 5, 3, 1, 1, 1),
                new ConvGeometry(3, 3, 7, 9, 4, 3, 1, 1, 1),
                new ConvGeometry(1, 3, 7, 9, 5, 3, 2, 1, 1),
                new ConvGeometry(3, 2, 9, 7, 3, 3, 2, 1, 1),
                new ConvGeometry(1, 4, 9, 7, 6, 5, 1, 2, 1),
                new ConvGeometry(2, 5, 11, 13, 7, 5, 2, 2, 1),
                new ConvGeometry(1, 3, 7, 9, 5, 1, 1, 0, 1),
                new ConvGeometry(3, 6, 8, 8, 4, 1, 1, 0, 1),
                new ConvGeometry(2, 3, 7, 9, 4, 1, 2, 0, 1),
                new ConvGeometry(1, 3, 7, 9, 4, 1, 1, 1, 1),
                new ConvGeometry(1, 3, 7, 9, 4, 3, 1, 0, 1),
                new ConvGeometry(1, 3, 7, 9, 4, 3, 1, 2, 1),
                new ConvGeometry(1, 2, 10, 11, 3, 5, 3, 1, 1),
                new ConvGeometry(1, 3, 7, 9, 4, 3, 1, 2, 2),
                new ConvGeometry(3, 3, 10, 12, 4, 3, 1, 2, 2),
                new ConvGeometry(1, 3, 13, 11, 4, 3, 1, 4, 4),
                new ConvGeometry(2, 2, 19, 21, 3, 3, 1, 8, 8),
                new ConvGeometry(1, 2, 35, 37, 3, 3, 1, 16, 16),
                new ConvGeometry(1, 2, 20, 20, 3, 3, 2, 4, 4),
                new ConvGeometry(1, 3, 17, 19, 16, 3, 1, 1, 1),
                new ConvGeometry(1, 3, 20, 33, 8, 5, 1, 2, 1),
                new ConvGeometry(3, 3, 12, 17, 8, 5, 1, 2, 1),
                new ConvGeometry(1, 12, 16, 24, 6, 3, 1, 1, 1),
                new ConvGeometry(2, 6, 15, 13, 1, 3, 1, 1, 1),
                new ConvGeometry(1, 16, 16, 16, 32, 3, 1, 1, 1),
                new ConvGeometry(1, 16, 32, 32, 16, 3, 2, 1, 1),
                new ConvGeometry(2, 3, 21, 70, 5, 3, 2, 1, 1),       // stride-2 rows long enough for the vector path
                new ConvGeometry(1, 2, 17, 41, 4, 5, 2, 4, 2),
                new ConvGeometry(2, 16, 30, 100, 26, 3, 1, 1, 1),    // forward in 8 row bands per sample, the last one ragged
                new ConvGeometry(1, 12, 70, 66, 10, 3, 2, 1, 1),     // stride 2 in two uneven bands
                new ConvGeometry(3, 3, 40, 70, 8, 5, 1, 2, 1),       // direct kernel, one task per sample
                new ConvGeometry(2, 9, 20, 36, 16, 5, 1, 2, 1),      // direct kernel: a temporal input layer (9 channels)
                new ConvGeometry(3, 20, 4, 4, 24, 5, 2, 2, 1),       // the discriminator's last layers: 2x2 output planes
                new ConvGeometry(5, 9, 8, 8, 12, 5, 2, 2, 1));       // 4x4 output planes, batch 5
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void floatKernelsMatchReference(ConvGeometry g) {
        Random rnd = new Random(g.hashCode());
        double[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize());
        double[] b = random(rnd, g.outChannels()), dy = random(rnd, g.outputSize());
        double[] dx0 = random(rnd, g.inputSize()), dw0 = random(rnd, g.weightSize()), db0 = random(rnd, g.outChannels());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment xs = segment(arena, x), ws = segment(arena, w), bs = segment(arena, b);
            MemorySegment dys = segment(arena, dy), ys = segment(arena, random(rnd, g.outputSize()));

            double[] y = new double[(int) g.outputSize()];
            Conv2dReference.forward(g, x, w, b, y);
            Conv2d.forward(g, xs, ws, bs, ys);
            assertClose(g + " forward", ys, y, TOL);

            Conv2dReference.forward(g, x, w, null, y);
            Conv2d.forward(g, xs, ws, null, ys);
            assertClose(g + " forward (no bias)", ys, y, TOL);

            double[] dx = dx0.clone();
            Conv2dReference.backwardData(g, dy, w, dx);
            MemorySegment dxs = segment(arena, dx0);
            Conv2d.backwardData(g, dys, ws, dxs);
            assertClose(g + " backwardData", dxs, dx, TOL);

            double[] dw = dw0.clone(), db = db0.clone();
            Conv2dReference.backwardWeight(g, x, dy, dw, db);
            MemorySegment dws = segment(arena, dw0), dbs = segment(arena, db0);
            Conv2d.backwardWeight(g, xs, dys, dws, dbs);
            assertClose(g + " backwardWeight dw", dws, dw, TOL);
            assertClose(g + " backwardWeight dbias", dbs, db, TOL);

            dw = dw0.clone();
            Conv2dReference.backwardWeight(g, x, dy, dw, null);
            dws = segment(arena, dw0);
            Conv2d.backwardWeight(g, xs, dys, dws, null);
            assertClose(g + " backwardWeight dw (no dbias)", dws, dw, TOL);
        }
    }

    /** forward reference == unfold reference, then a naive matmul written here, plus bias. */
    @ParameterizedTest
    @MethodSource("geometries")
    void forwardReferenceEqualsUnfoldTimesWeights(ConvGeometry g) {
        Random rnd = new Random(7 + g.hashCode());
        double[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize()), b = random(rnd, g.outChannels());
        double[] y = new double[(int) g.outputSize()];
        Conv2dReference.forward(g, x, w, b, y);
        int kk = g.patchSize(), hw = g.outH() * g.outW(), co = g.outChannels();
        double[] cols = new double[g.batch() * kk * hw];
        Im2col.unfoldReference(g, x, cols);
        double[] expect = new double[y.length];
        for (int n = 0; n < g.batch(); n++)
            for (int o = 0; o < co; o++)
                for (int j = 0; j < hw; j++) {
                    double s = b[o];
                    for (int r = 0; r < kk; r++) s += w[o * kk + r] * cols[(n * kk + r) * hw + j];
                    expect[(n * co + o) * hw + j] = s;
                }
        for (int i = 0; i < y.length; i++) assertEquals(expect[i], y[i], 1e-12, g + " at " + i);
    }

    /** backwardData is the adjoint of forward in x, backwardWeight in w: <conv(x, w), dy> = <x, dX(dy)> = <w, dW(x, dy)>. */
    @ParameterizedTest
    @MethodSource("geometries")
    void referenceBackwardPassesAreAdjoints(ConvGeometry g) {
        Random rnd = new Random(11 + g.hashCode());
        double[] x = new double[(int) g.inputSize()], w = new double[(int) g.weightSize()], dy = new double[(int) g.outputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextGaussian();
        for (int i = 0; i < dy.length; i++) dy[i] = rnd.nextGaussian();
        double[] y = new double[dy.length], dx = new double[x.length], dw = new double[w.length];
        double[] db = new double[g.outChannels()];
        Conv2dReference.forward(g, x, w, null, y);
        Conv2dReference.backwardData(g, dy, w, dx);
        Conv2dReference.backwardWeight(g, x, dy, dw, db);
        assertAdjoint(g + " data", y, dy, x, dx);
        assertAdjoint(g + " weight", y, dy, w, dw);
        // bias gradient: <1_c, dy> per channel
        int hw = g.outH() * g.outW();
        for (int c = 0; c < g.outChannels(); c++) {
            double s = 0;
            for (int n = 0; n < g.batch(); n++) for (int j = 0; j < hw; j++) s += dy[(n * g.outChannels() + c) * hw + j];
            assertEquals(s, db[c], 1e-9);
        }
    }

    /** The list must exercise both forward paths: the direct thin-layer kernel and im2col + GEMM. */
    @Test
    void geometriesCoverBothForwardPaths() {
        assertTrue(geometries().filter(ConvDirect::suits).count() >= 5);
        assertTrue(geometries().filter(g -> !ConvDirect.suits(g) && !Conv2d.isPointwise(g)).count() >= 5);
        assertTrue(geometries().anyMatch(g -> ConvDirect.suits(g) && g.batch() > 1 && g.outW() % 16 != 0));
        assertTrue(geometries().anyMatch(g -> ConvDirect.suits(g) && g.inChannels() == 9), "the temporal input layers go direct");
    }

    /** ... and both weight-gradient paths: RowDots over big planes, one GEMM over all samples for small ones. */
    @Test
    void geometriesCoverBothWeightGradientPaths() {
        assertTrue(geometries().filter(g -> !Conv2d.isPointwise(g) && g.outH() * g.outW() >= Conv2d.SMALL_PLANE).count() >= 5);
        assertTrue(geometries().filter(g -> !Conv2d.isPointwise(g) && g.outH() * g.outW() < Conv2d.SMALL_PLANE && g.batch() > 1).count() >= 5);
    }

    @Test
    void rejectsSegmentsTooSmallForTheGeometry() {
        ConvGeometry g = new ConvGeometry(2, 3, 8, 8, 4, 3, 1, 1, 1);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = arena.allocate(g.inputSize() * 4), w = arena.allocate(g.weightSize() * 4);
            MemorySegment y = arena.allocate(g.outputSize() * 4), b = arena.allocate(g.outChannels() * 4L);
            MemorySegment small = arena.allocate(g.inputSize() * 4 - 4);
            List<Runnable> bad = List.of(
                    () -> Conv2d.forward(g, small, w, b, y),
                    () -> Conv2d.forward(g, x, arena.allocate(4), b, y),
                    () -> Conv2d.forward(g, x, w, arena.allocate(4), y),
                    () -> Conv2d.forward(g, x, w, b, arena.allocate(g.outputSize() * 4 - 4)),
                    () -> Conv2d.backwardData(g, y, w, small),
                    () -> Conv2d.backwardData(g, arena.allocate(16), w, x),
                    () -> Conv2d.backwardWeight(g, small, y, w, b),
                    () -> Conv2d.backwardWeight(g, x, y, w, arena.allocate(8)),
                    () -> Conv2d.forward(g, null, w, b, y),
                    () -> Im2col.unfold(g, x, arena.allocate(16)),
                    () -> Im2col.fold(g, arena.allocate(16), x));
            for (Runnable r : bad) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
                assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains(g.toString()), e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(1, 3, 4, 4, 4, 5, 1, 0, 2));
    }

    @Test
    void steadyStateAllocatesNoScratch() {
        ConvGeometry g = new ConvGeometry(2, 8, 24, 20, 8, 3, 1, 1, 1);
        Random rnd = new Random(3);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = segment(arena, random(rnd, g.inputSize())), w = segment(arena, random(rnd, g.weightSize()));
            MemorySegment y = segment(arena, random(rnd, g.outputSize())), b = segment(arena, random(rnd, 8));
            MemorySegment dx = arena.allocate(g.inputSize() * 4), dw = arena.allocate(g.weightSize() * 4);
            Runnable step = () -> {
                Conv2d.forward(g, x, w, b, y);
                Conv2d.backwardData(g, y, w, dx);
                Conv2d.backwardWeight(g, x, y, dw, b);
            };
            step.run();
            long reserved = Scratch.reservedBytes();
            for (int i = 0; i < 3; i++) step.run();
            assertEquals(reserved, Scratch.reservedBytes());
        }
    }
}
