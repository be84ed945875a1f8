package sonogate.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, expm1 and tanh on float vectors, built only from correctly rounded IEEE operations (add,
 * multiply, fused multiply-add, bit reinterpretation). The Vector API's own EXP/EXPM1/TANH call
 * platform math stubs once C2 compiles a kernel, but a Java fallback before that, and the two can
 * differ in the last bit; so a result would depend on how warm the JIT is. These give the same bits
 * interpreted or compiled, which makes training runs (and their resume) bit-for-bit repeatable.
 * Accuracy: about 1 ulp (Cephes-style range reduction and polynomials), checked in the tests.
 *
 * <p>Not yet used by the kernels: inlined into today's kernel loops (Gating, Unary, Softmax) its
 * ~20 vector operations push those methods past C2's inlining budget, and the JIT then boxes every
 * vector (IntrinsificationTest fails). Wiring it in needs kernel loops with one transcendental each.
 */
public final class VectorMath {
    private VectorMath() {}

    // n = round(x / ln 2) must stay in [-126, 127] for the one-step scaling; beyond, the result saturates to 0 or +inf
    private static final float EXP_HI = 88.37f, EXP_LO = -87.33f;
    private static final float ROUND = 12582912f;                 // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private static FloatVector c(float v) {
        return FloatVector.broadcast(Simd.F, v);
    }

    private static final FloatVector LOG2E = c(1.44269504088896341f), ROUND_V = c(ROUND), INFINITY = c(Float.POSITIVE_INFINITY);
    private static final FloatVector MINUS_LN2_HI = c(-0.693359375f), MINUS_LN2_LO = c(2.12194440e-4f);
    private static final FloatVector E1 = c(1.3981999507e-3f), E2 = c(8.3334519073e-3f), E3 = c(4.1665795894e-2f),
            E4 = c(1.6666665459e-1f), E5 = c(5.0000001201e-1f), E0 = c(1.9875691500e-4f);
    private static final FloatVector M7 = c(1f / 40320), M6 = c(1f / 5040), M5 = c(1f / 720), M4 = c(1f / 120),
            M3 = c(1f / 24), M2 = c(1f / 6), M1 = c(0.5f);
    private static final FloatVector T4 = c(-5.70498872745e-3f), T3 = c(2.06390887954e-2f), T2 = c(-5.37397155531e-2f),
            T1 = c(1.33314422036e-1f), T0 = c(-3.33332819422e-1f);

    /** e^x. */
    public static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(EXP_LO).min(EXP_HI);
        FloatVector shifted = v.fma(LOG2E, ROUND_V);               // n + 1.5 * 2^23, n = round(x / ln 2)
        FloatVector n = shifted.sub(ROUND_V);
        FloatVector r = n.fma(MINUS_LN2_HI, v);                    // r = x - n ln2, in two parts
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector p = r.fma(E0, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5).fma(r.mul(r), r).add(1f);
        // 2^n straight from the rounding sum's bits: its low bits hold n, so (bits + 127 - ROUND_BITS) << 23 is 2^n
        FloatVector scale = shifted.reinterpretAsInts().add(127 - ROUND_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(INFINITY, x.compare(VectorOperators.GT, EXP_HI)).blend(0f, x.compare(VectorOperators.LT, EXP_LO));
    }

    /** e^x - 1, accurate near 0 (a Taylor polynomial for |x| < 0.5, exp(x) - 1 beyond). */
    public static FloatVector expm1(FloatVector x) {
        FloatVector q = x.fma(M7, M6).fma(x, M5).fma(x, M4).fma(x, M3).fma(x, M2).fma(x, M1);
        FloatVector small = q.mul(x.mul(x)).add(x);
        VectorMask<Float> near = x.abs().compare(VectorOperators.LT, 0.5f);
        return exp(x).sub(1f).blend(small, near);
    }

    /** tanh(x): an odd polynomial for |x| < 0.625, 1 - 2 / (e^{2|x|} + 1) with the sign beyond. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T4, T3).fma(z, T2).fma(z, T1).fma(z, T0);
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = exp(a.add(a));
        FloatVector large = x.broadcast(2f).div(e.add(1f)).neg().add(1f);
        FloatVector signed = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return signed.blend(small, a.compare(VectorOperators.LT, 0.625f));
    }
}
