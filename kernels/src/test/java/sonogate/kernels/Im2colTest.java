package sonogate.kernels;

import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Im2colTest {
    static java.util.stream.Stream<ConvGeometry> geometries() {
        return java.util.stream.Stream.concat(Conv2dTest.geometries(), java.util.stream.Stream.of(
                new ConvGeometry(1, 40, 64, 64, 1, 3, 1, 1, 1),   // big enough to go parallel
                new ConvGeometry(2, 33, 30, 31, 1, 3, 2, 1, 1)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void unfoldAndFoldMatchReferences(ConvGeometry g) {
        Random rnd = new Random(g.hashCode());
        long colsSize = (long) g.batch() * g.patchSize() * g.outH() * g.outW();
        double[] x = random(rnd, g.inputSize()), cols = random(rnd, colsSize), x0 = random(rnd, g.inputSize());
        try (Arena arena = Arena.ofShared()) {
            double[] ref = new double[(int) colsSize];
            Im2col.unfoldReference(g, x, ref);
            MemorySegment out = segment(arena, random(rnd, colsSize));
            Im2col.unfold(g, segment(arena, x), out);
            assertClose(g + " unfold", out, ref, 1e-7);

            double[] xr = x0.clone();
            Im2col.foldReference(g, cols, xr);
            MemorySegment xs = segment(arena, x0);
            Im2col.fold(g, segment(arena, cols), xs);
            assertClose(g + " fold", xs, xr, 1e-5);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void foldReferenceIsAdjointOfUnfoldReference(ConvGeometry g) {
        Random rnd = new Random(5 + g.hashCode());
        int colsSize = g.batch() * g.patchSize() * g.outH() * g.outW();
        double[] x = new double[(int) g.inputSize()], c = new double[colsSize];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < c.length; i++) c[i] = rnd.nextGaussian();
        double[] ux = new double[colsSize], fc = new double[x.length];
        Im2col.unfoldReference(g, x, ux);
        Im2col.foldReference(g, c, fc);
        assertAdjoint(g.toString(), ux, c, x, fc);
    }

    @org.junit.jupiter.api.Test
    void confinedSegmentsRunOnTheCallingThread() {
        ConvGeometry g = new ConvGeometry(1, 40, 64, 64, 1, 3, 1, 1, 1);
        double[] x = random(new Random(4), g.inputSize());
        double[] ref = new double[g.patchSize() * g.outH() * g.outW()];
        Im2col.unfoldReference(g, x, ref);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cols = arena.allocate(ref.length * 4L), xs = segment(arena, x);
            Im2col.unfold(g, xs, cols);
            assertClose("confined unfold", cols, ref, 1e-7);
            Im2col.fold(g, cols, xs);
        }
    }
}
