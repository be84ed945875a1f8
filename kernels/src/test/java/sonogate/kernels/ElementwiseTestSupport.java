package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * Shared helpers for the element-wise kernel tests. Accuracy metric everywhere:
 * {@code max|out - ref| / max(1, max|ref|)} over all elements, with tolerance 1e-5 for float
 * kernels against their double references (absolute for values up to 1, relative beyond).
 */
final class ElementwiseTestSupport {
    private ElementwiseTestSupport() {}

    static final double TOL = 1e-5;
    /** Lengths that cover empty, single, ragged tails around the vector width, and the parallel path. */
    static final int[] LENGTHS = {0, 1, 15, 16, 17, 31, 33, 1000, 65537, 200_003};

    /** Native segment holding {@code v} (the Vector API needs native or byte[]-backed segments). */
    static MemorySegment seg(Arena arena, float[] v) {
        MemorySegment s = arena.allocate(Math.max(1, v.length) * 4L, 64);
        for (int i = 0; i < v.length; i++) Simd.set(s, i, v[i]);
        return s.asSlice(0, v.length * 4L);
    }

    static MemorySegment seg(Arena arena, double[] v) {
        return seg(arena, toFloat(v));
    }

    static float[] floats(MemorySegment s, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = Simd.get(s, i);
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** Doubles that are exactly representable as floats, so float and double kernels see equal inputs. */
    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    static double relErr(float[] out, double[] ref) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Double.isNaN(out[i]) != Double.isNaN(ref[i])) return Double.POSITIVE_INFINITY;
            maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        return maxDiff / Math.max(1, maxRef);
    }

    static double relErr(double out, double ref) {
        return Math.abs(out - ref) / Math.max(1, Math.abs(ref));
    }

    static void assertClose(float[] out, double[] ref, double tol, String what) {
        double e = relErr(out, ref);
        if (!(e <= tol)) fail(what + ": relative error " + e + " >= " + tol);
    }

    static void assertClose(double[] out, double[] ref, double tol, String what) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double e = maxDiff / Math.max(1, maxRef);
        if (!(e <= tol)) fail(what + ": relative error " + e + " >= " + tol);
    }

    /** Asserts an IllegalArgumentException whose message contains every one of {@code parts}. */
    static void assertIae(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(p),
                    "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    static long[] contiguousStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    static int count(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
