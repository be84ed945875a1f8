package sonogate.kernels;

import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpsampleTest {
    @ParameterizedTest
    @CsvSource({"1,1,1", "3,7,9", "5,4,16", "2,5,33", "1,3,8", "64,32,32", "4,17,47"})
    void matchesReferenceAndIsAdjoint(int planes, int h, int w) {
        Random rnd = new Random(planes * 1000 + h * 10 + w);
        int xs = planes * h * w, ys = 4 * xs;
        double[] x = random(rnd, xs), dy = random(rnd, ys), dx0 = random(rnd, xs);
        try (Arena arena = Arena.ofShared()) {
            double[] y = new double[ys];
            Upsample.forwardReference(planes, h, w, x, y);
            MemorySegment yseg = segment(arena, random(rnd, ys));
            Upsample.forward(planes, h, w, segment(arena, x), yseg);
            assertClose("forward", yseg, y, 1e-7);

            double[] dx = dx0.clone();
            Upsample.backwardReference(planes, h, w, dy, dx);
            MemorySegment dxs = segment(arena, dx0);
            Upsample.backward(planes, h, w, segment(arena, dy), dxs);
            assertClose("backward", dxs, dx, 1e-6);
        }
        double[] gx = new double[xs], gdy = new double[ys];
        for (int i = 0; i < xs; i++) gx[i] = rnd.nextGaussian();
        for (int i = 0; i < ys; i++) gdy[i] = rnd.nextGaussian();
        double[] uy = new double[ys], bx = new double[xs];
        Upsample.forwardReference(planes, h, w, gx, uy);
        Upsample.backwardReference(planes, h, w, gdy, bx);
        assertAdjoint("upsample", uy, gdy, gx, bx);
    }

    @org.junit.jupiter.api.Test
    void confinedSegmentsRunOnTheCallingThread() {
        int planes = 64, h = 32, w = 32;
        double[] x = random(new Random(2), planes * h * w), y = new double[4 * x.length];
        Upsample.forwardReference(planes, h, w, x, y);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ys = arena.allocate(y.length * 4L), xs = segment(arena, x);
            Upsample.forward(planes, h, w, xs, ys);
            assertClose("confined forward", ys, y, 1e-7);
            Upsample.backward(planes, h, w, ys, xs);
        }
    }
}
