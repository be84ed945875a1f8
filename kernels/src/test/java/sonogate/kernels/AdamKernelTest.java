package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdamKernelTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 1000, 200_003})
    void severalStepsMatchTheDoubleReference(int n) {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[n], m = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) p[i] = (float) rng.nextGaussian();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ps = floats(arena, p), gs = arena.allocate(4L * n), ms = arena.allocate(4L * n), vs = arena.allocate(4L * n);
            for (int t = 1; t <= 5; t++) {
                double[] g = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = (float) (rng.nextGaussian() * (i % 7 == 0 ? 1e-3 : 1));
                    gs.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) g[i]);
                }
                AdamKernel.step(n, t, 1e-3f, 0.5f, 0.999f, 1e-8f, ps, gs, ms, vs);
                AdamKernel.stepReference(n, t, 1e-3, 0.5, 0.999, 1e-8, p, g, m, v);
            }
            double worst = 0;
            for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(ps.getAtIndex(ValueLayout.JAVA_FLOAT, i) - p[i]));
            // parameters are O(1) and each step moves them ~1e-3: float rounding of p itself dominates
            assertTrue(worst < 1e-6, "max |p - reference| = " + worst + " (seed " + seed + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1})
    void badInputIsRejected(int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> AdamKernel.step(n, 1, 1e-3f, 0.5f, 0.999f, 1e-8f, s, s, s, s));
            assertThrows(IllegalArgumentException.class, () -> AdamKernel.step(8, 1, 1e-3f, 0.5f, 0.999f, 1e-8f, s, s, s, s));
            assertThrows(IllegalArgumentException.class, () -> AdamKernel.step(2, 0, 1e-3f, 0.5f, 0.999f, 1e-8f, s, s, s, s));
        }
    }

    private static MemorySegment floats(Arena arena, double[] values) {
        MemorySegment s = arena.allocate(4L * values.length);
        for (int i = 0; i < values.length; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) values[i]);
        return s;
    }
}
