package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    /** Max error relative to max(|exact|, floor) over many points of [lo, hi], plus the edges. */
    /** A vector function of VectorMath. */
    private interface VectorFunction {
        FloatVector apply(FloatVector x);
    }

    /**
     * {@code out} = f applied to {@code in} (a whole number of vectors), through a native shared
     * segment as in production: heap segments would change how C2 compiles the Vector API's memory access.
     */
    private static void inPlace(VectorFunction f, float[] in, float[] out) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate((long) in.length * Float.BYTES, 64);
            MemorySegment.copy(in, 0, seg, ValueLayout.JAVA_FLOAT, 0, in.length);
            for (int i = 0; i < in.length; i += Simd.LANES) apply(f, seg, i);
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT, 0, out, 0, in.length);
        }
    }

    /** f on the vector at float {@code i} of {@code seg}, in place. */
    private static void apply(VectorFunction f, MemorySegment seg, long i) {
        f.apply(FloatVector.fromMemorySegment(Simd.F, seg, i * Float.BYTES, Simd.ORDER)).intoMemorySegment(seg, i * Float.BYTES, Simd.ORDER);
    }

    private static double worst(VectorFunction f, DoubleUnaryOperator exact, float lo, float hi, double floor) {
        SplittableRandom rng = new SplittableRandom();
        float[] in = new float[200_000 / Simd.LANES * Simd.LANES], out = new float[in.length];
        for (int i = 0; i < in.length; i++) in[i] = i < 2 ? (i == 0 ? lo : hi) : (float) (lo + (hi - lo) * rng.nextDouble());
        inPlace(f, in, out);
        double worst = 0;
        for (int i = 0; i < in.length; i++) {
            double e = exact.applyAsDouble(in[i]);
            double err = Math.abs(out[i] - e) / Math.max(Math.abs(e), floor);
            if (err > worst) {
                worst = err;
                if (err > 2.5e-7) System.out.println("x=" + in[i] + " got " + out[i] + " exact " + e + " rel " + err);
            }
        }
        return worst;
    }

    private static void within(String what, double error, double limit) {
        assertTrue(error < limit, what + ": relative error " + error + " >= " + limit);
    }

    @Test
    void accurateToAboutOneUlp() {
        within("exp", worst(VectorMath::exp, StrictMath::exp, -87f, 88.3f, Float.MIN_NORMAL), 3e-7);
        within("exp near 0", worst(VectorMath::exp, StrictMath::exp, -2f, 2f, 0), 2.5e-7);
        within("expm1 negative", worst(VectorMath::expm1, StrictMath::expm1, -20f, 0f, 0), 3e-7);
        within("expm1 near 0", worst(VectorMath::expm1, StrictMath::expm1, -0.6f, 0.6f, 0), 3e-7);
        within("tanh", worst(VectorMath::tanh, StrictMath::tanh, -12f, 12f, 0), 4e-7);
        within("tanh near 0", worst(VectorMath::tanh, StrictMath::tanh, -0.7f, 0.7f, 0), 4e-7);
        within("log", worst(VectorMath::log, StrictMath::log, 1e-30f, 1e30f, 0), 3e-7);
        within("log near 1", worst(VectorMath::log, StrictMath::log, 0.5f, 2f, 0), 3e-7);
        within("log of subnormals", worst(VectorMath::log, StrictMath::log, 1e-44f, 1e-38f, 0), 3e-7);
    }

    @Test
    void edgesSaturateCleanly() {
        float[] special = {Float.NEGATIVE_INFINITY, -200f, -104f, 88.3f, 89f, 1e4f, Float.POSITIVE_INFINITY, Float.NaN, 0f, -0f, -1f};
        float[] e = apply(VectorMath::exp, special), m = apply(VectorMath::expm1, special), t = apply(VectorMath::tanh, special),
                l = apply(VectorMath::log, special);
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertEquals(0f, e[2]);
        assertTrue(e[3] > 2e38f && Float.isFinite(e[3]), "exp(88.3) = " + e[3]);
        assertEquals(Float.POSITIVE_INFINITY, e[4]);
        assertEquals(Float.POSITIVE_INFINITY, e[6]);
        assertTrue(Float.isNaN(e[7]));
        assertEquals(1f, e[8]);
        assertEquals(-1f, m[0]);
        assertEquals(-1f, m[1]);
        assertTrue(Float.isNaN(m[7]));
        assertEquals(0f, m[8]);
        assertEquals(-1f, t[0]);
        assertEquals(-1f, t[1]);
        assertEquals(1f, t[5]);
        assertEquals(1f, t[6]);
        assertTrue(Float.isNaN(t[7]));
        assertEquals(0f, t[8]);
        assertEquals(Float.POSITIVE_INFINITY, l[6]);
        assertTrue(Float.isNaN(l[7]));
        assertEquals(Float.NEGATIVE_INFINITY, l[8]);
        assertEquals(Float.NEGATIVE_INFINITY, l[9]);
        assertTrue(Float.isNaN(l[10]));
        assertTrue(Float.isNaN(l[0]));
    }

    /** {@code f} on a copy of {@code in}, a vector at a time (the last one padded with zeros). */
    private static float[] apply(VectorFunction f, float[] in) {
        int n = (in.length + Simd.LANES - 1) / Simd.LANES * Simd.LANES;
        float[] out = new float[n];
        inPlace(f, Arrays.copyOf(in, n), out);
        return Arrays.copyOf(out, in.length);
    }

    /** The same inputs evaluated cold (interpreted / C1, the Vector API's Java fallback) and after warm-up (C2). */
    @Test
    void coldAndCompiledResultsAreIdentical() {
        float[] in = new float[Simd.LANES * 64];
        SplittableRandom rng = new SplittableRandom();
        for (int i = 0; i < in.length; i++) in[i] = (float) (-30 + 60 * rng.nextDouble());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate((long) in.length * Float.BYTES, 64);
            int[] cold = bits(in, seg);
            for (int warm = 0; warm < 3000; warm++) bits(in, seg);
            int[] hot = bits(in, seg);
            for (int i = 0; i < cold.length; i++) assertEquals(cold[i], hot[i], "function " + i / in.length + " at x=" + in[i % in.length]);
        }
    }

    private static int[] bits(float[] in, MemorySegment seg) {
        VectorFunction[] functions = {VectorMath::exp, VectorMath::expm1, VectorMath::tanh, VectorMath::log};
        int[] out = new int[functions.length * in.length];
        for (int k = 0; k < functions.length; k++) {
            for (int i = 0; i < in.length; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, k == 3 ? Math.abs(in[i]) : in[i]);
            for (int i = 0; i < in.length; i += Simd.LANES) apply(functions[k], seg, i);
            for (int i = 0; i < in.length; i++) out[k * in.length + i] = seg.getAtIndex(ValueLayout.JAVA_INT, i);
        }
        return out;
    }

    /**
     * Each vector function is a chain of correctly rounded operations and its scalar twin performs
     * the same chain, so they agree bit for bit (kernels use the twins in their scalar tails).
     */
    @Test
    void scalarTwinsGiveTheSameBits() {
        SplittableRandom rng = new SplittableRandom();
        float[] in = new float[4000];
        for (int i = 0; i < in.length; i++) in[i] = i % 2 == 0 ? (float) (-100 + 200 * rng.nextDouble()) : Float.intBitsToFloat(rng.nextInt());
        same("exp", apply(VectorMath::exp, in), in, VectorMath::exp);
        same("expm1", apply(VectorMath::expm1, in), in, VectorMath::expm1);
        same("tanh", apply(VectorMath::tanh, in), in, VectorMath::tanh);
        same("log", apply(VectorMath::log, in), in, VectorMath::log);
    }

    private interface FloatFunction {
        float apply(float x);
    }

    private static void same(String what, float[] vector, float[] in, FloatFunction scalar) {
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToRawIntBits(scalar.apply(in[i])), Float.floatToRawIntBits(vector[i]), what + "(" + in[i] + ")");
        }
    }
}
