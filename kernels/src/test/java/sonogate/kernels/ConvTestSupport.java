package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Shared helpers for the convolution-family kernel tests. */
final class ConvTestSupport {
    private ConvTestSupport() {}

    /** Uniform in [-1, 1), rounded to float so float kernel and double reference see the same values. */
    static double[] random(Random rnd, long n) {
        double[] a = new double[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }

    static MemorySegment segment(Arena arena, double[] a) {
        MemorySegment s = arena.allocate((long) Math.max(1, a.length) * Float.BYTES, 64);
        for (int i = 0; i < a.length; i++) s.setAtIndex(Simd.FLOAT, i, (float) a[i]);
        return s;
    }

    static double[] toDoubles(MemorySegment s, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = s.getAtIndex(Simd.FLOAT, i);
        return a;
    }

    /** max|out - ref| / max(1, max|ref|). */
    static double relErr(double[] out, double[] ref) {
        double diff = 0, scale = 1;
        for (int i = 0; i < ref.length; i++) {
            if (Double.isNaN(out[i]) || Double.isInfinite(out[i])) return Double.POSITIVE_INFINITY;
            diff = Math.max(diff, Math.abs(out[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return diff / scale;
    }

    static void assertClose(String what, MemorySegment out, double[] ref, double tol) {
        double e = relErr(toDoubles(out, ref.length), ref);
        assertTrue(e < tol, what + ": relative error " + e + " >= " + tol);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double absDot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
        return s;
    }

    /** Asserts <a1, b1> == <a2, b2> relative to the sum of |terms| (an adjoint identity). */
    static void assertAdjoint(String what, double[] a1, double[] b1, double[] a2, double[] b2) {
        double l = dot(a1, b1), r = dot(a2, b2);
        double scale = Math.max(1e-300, Math.max(absDot(a1, b1), absDot(a2, b2)));
        assertTrue(Math.abs(l - r) / scale < 1e-12, what + ": <Ax,y> = " + l + " but <x,A^T y> = " + r);
    }
}
