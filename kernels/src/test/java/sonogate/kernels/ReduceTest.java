package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static sonogate.kernels.ElementwiseTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReduceTest {

    @Test
    void sumDotL1MatchReference() {
        Random r = new Random(1);
        for (int n : LENGTHS) {
            double[] a = uniform(r, n, -2, 2), b = uniform(r, n, -2, 2);
            // a biased copy too, so the sum is large and cancellation-free
            double[] c = uniform(r, n, 0, 4);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment as = seg(arena, a), bs = seg(arena, b), cs = seg(arena, c);
                assertEquals(0, relErr(Reduce.sum(n, as), Reduce.sumReference(n, a)), TOL, "sum n=" + n);
                assertEquals(0, relErr(Reduce.sum(n, cs), Reduce.sumReference(n, c)), TOL, "sum positive n=" + n);
                assertEquals(0, relErr(Reduce.dot(n, as, bs), Reduce.dotReference(n, a, b)), TOL, "dot n=" + n);
                assertEquals(0, relErr(Reduce.l1(n, as, bs), Reduce.l1Reference(n, a, b)), TOL, "l1 n=" + n);
                // results are deterministic (fixed split and combine order)
                assertEquals(Reduce.sum(n, as), Reduce.sum(n, as));
            }
        }
    }

    @Test
    void sumIsAccurateOnLongArrays() {
        // 2M copies of 0.1f: a plain float accumulator would drift by percent; ours must stay within 1e-5 relative
        int n = 1 << 21;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = arena.allocate(4L * n, 64);
            Unary.fill(n, 0.1f, x);
            double expect = (double) n * 0.1f;
            assertEquals(expect, Reduce.sum(n, x), expect * 1e-6);
        }
    }

    @Test
    void l1BackwardMatchesReferenceAndAccumulates() {
        Random r = new Random(2);
        for (int n : LENGTHS) {
            double[] a = uniform(r, n, -2, 2), b = uniform(r, n, -2, 2);
            for (int i = 0; i < n; i += 7) b[i] = a[i];   // sign(0) = 0
            double[] da0 = uniform(r, n, -1, 1), db0 = uniform(r, n, -1, 1);
            for (int which = 0; which < 3; which++) {   // both, da only, db only
                double[] da = which == 2 ? null : da0.clone(), db = which == 1 ? null : db0.clone();
                Reduce.l1BackwardReference(n, 0.375, a, b, da, db);
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment das = which == 2 ? null : seg(arena, da0), dbs = which == 1 ? null : seg(arena, db0);
                    Reduce.l1Backward(n, 0.375f, seg(arena, a), seg(arena, b), das, dbs);
                    if (das != null) assertClose(floats(das, n), da, TOL, "l1Backward da n=" + n);
                    if (dbs != null) assertClose(floats(dbs, n), db, TOL, "l1Backward db n=" + n);
                }
            }
            if (n > 0) {
                double[] da = new double[n];
                Reduce.l1BackwardReference(n, 1, a, b, da, null);
                assertEquals(0.0, da[0], 0, "sign(0) = 0");
            }
        }
    }

    /** The references: l1BackwardReference is the gradient of l1Reference (central differences, eps 1e-6). */
    @Test
    void referenceGradientsMatchFiniteDifferences() {
        Random r = new Random(3);
        int n = 101;
        double[] a = uniform(r, n, -2, 2), b = uniform(r, n, -2, 2);
        for (int i = 0; i < n; i++) if (Math.abs(a[i] - b[i]) < 1e-3) a[i] += 2e-3;
        double[] da = new double[n], db = new double[n], fdA = new double[n], fdB = new double[n];
        Reduce.l1BackwardReference(n, 1, a, b, da, db);
        double eps = 1e-6;
        for (int i = 0; i < n; i++) {
            double[] p = a.clone(), m = a.clone();
            p[i] += eps; m[i] -= eps;
            fdA[i] = (Reduce.l1Reference(n, p, b) - Reduce.l1Reference(n, m, b)) / (2 * eps);
            p = b.clone(); m = b.clone();
            p[i] += eps; m[i] -= eps;
            fdB[i] = (Reduce.l1Reference(n, a, p) - Reduce.l1Reference(n, a, m)) / (2 * eps);
        }
        assertClose(da, fdA, 1e-6, "d l1 / da");
        assertClose(db, fdB, 1e-6, "d l1 / db");
    }

    @Test
    void badInputThrowsIllegalArgument() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s100 = seg(arena, new float[100]), s10 = seg(arena, new float[10]);
            assertIae(() -> Reduce.sum(-1, s100), "Reduce.sum", "-1");
            assertIae(() -> Reduce.sum(11, s10), "Reduce.sum", "10", "11");
            assertIae(() -> Reduce.dot(50, s100, s10), "Reduce.dot", "b", "50");
            assertIae(() -> Reduce.l1(50, s10, s100), "Reduce.l1", "a", "50");
            assertIae(() -> Reduce.l1Backward(50, 1, s100, s100, s10, null), "Reduce.l1Backward", "da", "50");
            assertIae(() -> Reduce.sumReference(5, new double[4]), "Reduce.sumReference", "5");
        }
    }
}
