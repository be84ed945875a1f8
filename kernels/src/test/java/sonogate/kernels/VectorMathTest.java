package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    /** Max error relative to max(|exact|, floor) over many points of [lo, hi], plus the edges. */
    private static double worst(UnaryOperator<FloatVector> f, DoubleUnaryOperator exact, float lo, float hi, double floor) {
        SplittableRandom rng = new SplittableRandom();
        float[] in = new float[Simd.LANES], out = new float[Simd.LANES];
        double worst = 0;
        for (int i = 0; i < 200_000 / Simd.LANES; i++) {
            for (int l = 0; l < in.length; l++) {
                in[l] = i == 0 && l < 2 ? (l == 0 ? lo : hi) : (float) (lo + (hi - lo) * rng.nextDouble());
            }
            f.apply(FloatVector.fromArray(Simd.F, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++) {
                double e = exact.applyAsDouble(in[l]);
                double err = Math.abs(out[l] - e) / Math.max(Math.abs(e), floor);
                if (err > worst) {
                    worst = err;
                    if (err > 2.5e-7) System.out.println("x=" + in[l] + " got " + out[l] + " exact " + e + " rel " + err);
                }
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
    }

    @Test
    void edgesSaturateCleanly() {
        float[] in = new float[Simd.LANES];
        float[] special = {Float.NEGATIVE_INFINITY, -200f, -104f, 88.3f, 89f, 1e4f, Float.POSITIVE_INFINITY, Float.NaN, 0f, -0f};
        System.arraycopy(special, 0, in, 0, Math.min(special.length, in.length));
        float[] e = new float[in.length], t = new float[in.length];
        VectorMath.exp(FloatVector.fromArray(Simd.F, in, 0)).intoArray(e, 0);
        VectorMath.tanh(FloatVector.fromArray(Simd.F, in, 0)).intoArray(t, 0);
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertTrue(e[3] > 2e38f && Float.isFinite(e[3]), "exp(88.3) = " + e[3]);
        assertEquals(Float.POSITIVE_INFINITY, e[4]);
        assertEquals(Float.POSITIVE_INFINITY, e[6]);
        assertTrue(Float.isNaN(e[7]));
        assertEquals(1f, e[8]);
        assertEquals(-1f, t[0]);
        assertEquals(1f, t[5]);
        assertTrue(Float.isNaN(t[7]));
    }

    /** The same inputs evaluated cold (interpreted / C1, the Vector API's Java fallback) and after warm-up (C2). */
    @Test
    void coldAndCompiledResultsAreIdentical() {
        float[] in = new float[Simd.LANES * 64];
        SplittableRandom rng = new SplittableRandom();
        for (int i = 0; i < in.length; i++) in[i] = (float) (-30 + 60 * rng.nextDouble());
        int[] cold = bits(in);
        for (int warm = 0; warm < 3000; warm++) bits(in);
        int[] hot = bits(in);
        for (int i = 0; i < cold.length; i++) assertEquals(cold[i], hot[i], "function " + i / in.length + " at x=" + in[i % in.length]);
    }

    private static int[] bits(float[] in) {
        int[] out = new int[3 * in.length];
        float[] tmp = new float[Simd.LANES];
        for (int i = 0; i < in.length; i += Simd.LANES) {
            FloatVector v = FloatVector.fromArray(Simd.F, in, i);
            VectorMath.exp(v).intoArray(tmp, 0);
            for (int l = 0; l < tmp.length; l++) out[i + l] = Float.floatToRawIntBits(tmp[l]);
            VectorMath.expm1(v).intoArray(tmp, 0);
            for (int l = 0; l < tmp.length; l++) out[in.length + i + l] = Float.floatToRawIntBits(tmp[l]);
            VectorMath.tanh(v).intoArray(tmp, 0);
            for (int l = 0; l < tmp.length; l++) out[2 * in.length + i + l] = Float.floatToRawIntBits(tmp[l]);
        }
        return out;
    }

    /**
     * The vector code is a chain of correctly rounded operations, so a scalar transcription with
     * Math.fma must give the same bits: that is what makes results independent of JIT tiers.
     */
    @Test
    void bitForBitEqualToAScalarTranscription() {
        SplittableRandom rng = new SplittableRandom();
        float[] in = new float[Simd.LANES], out = new float[Simd.LANES];
        for (int i = 0; i < 20_000 / Simd.LANES; i++) {
            for (int l = 0; l < in.length; l++) in[l] = (float) (-100 + 190 * rng.nextDouble());
            VectorMath.exp(FloatVector.fromArray(Simd.F, in, 0)).intoArray(out, 0);
            for (int l = 0; l < in.length; l++) {
                assertEquals(Float.floatToRawIntBits(scalarExp(in[l])), Float.floatToRawIntBits(out[l]), "exp(" + in[l] + ")");
            }
        }
    }

    private static float scalarExp(float x) {
        float v = Math.min(Math.max(x, -87.33f), 88.37f);
        float shifted = Math.fma(v, 1.44269504088896341f, 12582912f);
        float n = shifted - 12582912f;
        float r = Math.fma(n, -0.693359375f, v);
        r = Math.fma(n, 2.12194440e-4f, r);
        float p = Math.fma(r, 1.9875691500e-4f, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = Math.fma(p, r * r, r) + 1f;
        float result = p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) + 127 - Float.floatToRawIntBits(12582912f)) << 23);
        return x > 88.37f ? Float.POSITIVE_INFINITY : x < -87.33f ? 0f : result;
    }
}
