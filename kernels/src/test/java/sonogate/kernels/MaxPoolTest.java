package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxPoolTest {
    /** Odd sizes (the last row/column is dropped), and values on a coarse grid so windows have ties. */
    @ParameterizedTest
    @CsvSource({"1,2,2,false", "3,7,9,false", "5,4,16,true", "2,5,33,true", "64,32,32,false", "4,17,47,true"})
    void matchesReference(int planes, int h, int w, boolean ties) {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int xs = planes * h * w, ys = planes * (h / 2) * (w / 2);
        double[] x = random(rnd, xs), dy = random(rnd, ys), dx0 = random(rnd, xs);
        if (ties) for (int i = 0; i < xs; i++) x[i] = Math.round(x[i] * 2) / 2.0;
        try (Arena arena = Arena.ofShared()) {
            double[] y = new double[ys];
            MaxPool.forwardReference(planes, h, w, x, y);
            MemorySegment xseg = segment(arena, x), yseg = segment(arena, random(rnd, ys));
            MaxPool.forward(planes, h, w, xseg, yseg);
            assertClose("forward (seed " + seed + ")", yseg, y, 1e-7);

            double[] dx = dx0.clone();
            MaxPool.backwardReference(planes, h, w, x, dy, dx);
            MemorySegment dxs = segment(arena, dx0);
            MaxPool.backward(planes, h, w, xseg, segment(arena, dy), dxs);
            assertClose("backward (seed " + seed + ")", dxs, dx, 1e-6);
        }
    }

    @Test
    void firstOfEqualMaximaTakesTheGradientAndNanPropagates() {
        // one 2x2 window [[1, 3], [3, 2]]: the first 3 (row 0) gets the whole gradient
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = segment(arena, new double[] {1, 3, 3, 2}), dy = segment(arena, new double[] {5});
            MemorySegment dx = segment(arena, new double[4]), y = segment(arena, new double[1]);
            MaxPool.backward(1, 2, 2, x, dy, dx);
            assertEquals(java.util.List.of(0.0, 5.0, 0.0, 0.0), java.util.Arrays.stream(toDoubles(dx, 4)).boxed().toList());
            MemorySegment withNan = segment(arena, new double[] {1, Double.NaN, 7, 2});
            MaxPool.forward(1, 2, 2, withNan, y);
            assertTrue(Float.isNaN(y.getAtIndex(Simd.FLOAT, 0)));
        }
        double[] ref = new double[1];
        MaxPool.forwardReference(1, 2, 2, new double[] {1, Double.NaN, 7, 2}, ref);
        assertTrue(Double.isNaN(ref[0]));
    }

    @Test
    void confinedSegmentsRunOnTheCallingThread() {
        int planes = 64, h = 32, w = 32;
        double[] x = random(new Random(3), planes * h * w), y = new double[x.length / 4];
        MaxPool.forwardReference(planes, h, w, x, y);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ys = arena.allocate(y.length * 4L), xs = segment(arena, x);
            MaxPool.forward(planes, h, w, xs, ys);
            assertClose("confined forward", ys, y, 1e-7);
            MaxPool.backward(planes, h, w, xs, ys, xs);
        }
    }

    @Test
    void badShapesAreRefusedWithAMessage() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment small = arena.allocate(16);
            var e = assertThrows(IllegalArgumentException.class, () -> MaxPool.forward(1, 4, 4, small, small));
            assertTrue(e.getMessage().contains("x holds 4 floats, needs 16"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MaxPool.forward(1, 1, 4, small, small));
        }
    }
}
