package sonogate.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, expm1, tanh and log on float vectors, built only from correctly rounded IEEE operations (add,
 * multiply, divide, fused multiply-add, min/max, bit reinterpretation), each with a scalar twin
 * that performs the same operations and so returns the same bits. The Vector API's own
 * EXP/EXPM1/TANH/LOG call platform math stubs once C2 compiles a kernel but a Java fallback before
 * that, and the two differ in the last bit, so a kernel's result would depend on how warm the JIT
 * is; these do not, which makes training runs (and their resume) bit-for-bit repeatable. Kernels
 * use the vector form in their bodies and the twin in their scalar tails, so an element's result
 * does not depend on where a vector boundary falls either. Accuracy: about 1 ulp for exp and
 * expm1, 2 for tanh and log (tested). Speed against the stubs (one thread, same run): a loop of
 * plain exp 0.7-0.95x, the gated convolution's loops, which need two, 0.9-1.4x.
 *
 * <p>How to call them: each is 20-30 Vector API operations, about 400 C2 IR nodes apiece while a
 * method is parsed, and C2 stops inlining our (non-annotated) methods once a compilation has
 * created 18,000 parse nodes (NodeCountInliningCutoff). A refused method that takes or returns a
 * vector boxes it on the heap, every iteration. So a kernel loop calls these first (right after
 * its loads), at most twice, and only the Vector API after them; and each such loop is a small
 * method of its own with only scalar, segment or array parameters, which C2 may refuse to inline
 * harmlessly. IntrinsificationTest checks every kernel; loops that do more need splitting.
 *
 * <p>Ranges: exp flushes results below about 8e-39 (x &lt; -87.7, where the true value is
 * subnormal) to 0 and gives +inf above x = 88.37; expm1 is meant for x &lt;= 88 (beyond it stays
 * finite); tanh saturates to +-1. NaN in, NaN out.
 */
public final class VectorMath {
    private VectorMath() {}

    private static FloatVector c(float v) {
        return FloatVector.broadcast(Simd.F, v);
    }

    // n = round(x / ln 2) is formed by adding 1.5 * 2^23 + 127: the sum's low mantissa bits are then
    // n + 127, the biased exponent of 2^n, so shifting the sum's bits left by 23 gives 2^n directly
    // (n = -127 gives +0, n = 128 gives +inf: the clamps below make those the saturated results).
    private static final float EXP_LO_S = -88f, EXP_HI_S = 88.5f, EXPM1_HI_S = 88.37f;
    private static final float ROUND_S = 12582912f + 127f;
    private static final float LOG2E_S = 1.44269504088896341f, MINUS_LN2_HI_S = -0.693359375f, MINUS_LN2_LO_S = 2.12194440e-4f;
    // Cephes expf: e^r = 1 + r + r^2 (E5 + r (E4 + ...)), |r| <= ln 2 / 2
    private static final float E0_S = 1.9875691500e-4f, E1_S = 1.3981999507e-3f, E2_S = 8.3334519073e-3f,
            E3_S = 4.1665795894e-2f, E4_S = 1.6666665459e-1f, E5_S = 5.0000001201e-1f;
    private static final float TANH_CLAMP_S = 88f;
    // Cephes logf: log(1 + m) = m - m^2 / 2 + m^3 P(m), m in [sqrt(1/2) - 1, sqrt(2) - 1]
    private static final float L0_S = 7.0376836292e-2f, L1_S = -1.1514610310e-1f, L2_S = 1.1676998740e-1f,
            L3_S = -1.2420140846e-1f, L4_S = 1.4249322787e-1f, L5_S = -1.6668057665e-1f, L6_S = 2.0000714765e-1f,
            L7_S = -2.4999993993e-1f, L8_S = 3.3333331174e-1f;
    private static final float LN2_HI_S = 0.693359375f, MINUS_LN2_LO_LOG_S = -2.12194440e-4f;
    private static final int MANTISSA_MASK = 0x007FFFFF, HALF_BITS = 0x3F000000;   // bits of 0.5f
    private static final float SQRT_HALF_S = 0.707106781186547524f, TWO_24_S = 16777216f;

    private static final FloatVector ZERO = c(0f), ONE = c(1f), TWO = c(2f), MINUS_HALF = c(-0.5f);
    private static final FloatVector INFINITY = c(Float.POSITIVE_INFINITY), NEGATIVE_INFINITY = c(Float.NEGATIVE_INFINITY), NAN = c(Float.NaN);
    private static final FloatVector MIN_NORMAL = c(Float.MIN_NORMAL), TWO_24 = c(TWO_24_S);
    private static final FloatVector BIAS = c(126f), BIAS_SUBNORMAL = c(126f + 24f);
    private static final FloatVector EXP_LO = c(EXP_LO_S), EXP_HI = c(EXP_HI_S), EXPM1_HI = c(EXPM1_HI_S), ROUND = c(ROUND_S);
    private static final FloatVector LOG2E = c(LOG2E_S), MINUS_LN2_HI = c(MINUS_LN2_HI_S), MINUS_LN2_LO = c(MINUS_LN2_LO_S);
    private static final FloatVector E0 = c(E0_S), E1 = c(E1_S), E2 = c(E2_S), E3 = c(E3_S), E4 = c(E4_S), E5 = c(E5_S);
    private static final FloatVector TANH_CLAMP = c(TANH_CLAMP_S);
    private static final FloatVector L0 = c(L0_S), L1 = c(L1_S), L2 = c(L2_S), L3 = c(L3_S), L4 = c(L4_S), L5 = c(L5_S),
            L6 = c(L6_S), L7 = c(L7_S), L8 = c(L8_S);
    private static final FloatVector LN2_HI = c(LN2_HI_S), MINUS_LN2_LO_LOG = c(MINUS_LN2_LO_LOG_S), SQRT_HALF = c(SQRT_HALF_S);
    private static final IntVector MANTISSA = IntVector.broadcast(Simd.F.withLanes(int.class), MANTISSA_MASK),
            HALF_EXPONENT = IntVector.broadcast(Simd.F.withLanes(int.class), HALF_BITS);

    /** e^x. */
    public static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(EXP_LO).min(EXP_HI);
        FloatVector shifted = v.fma(LOG2E, ROUND);
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_HI, v);                    // r = x - n ln 2, in two parts (exact products)
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector q = r.fma(E0, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5).fma(r.mul(r), r);   // e^r - 1
        FloatVector scale = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return q.add(ONE).mul(scale);
    }

    /** e^x - 1, accurate near 0: 2^n (e^r - 1) + (2^n - 1) with one rounding. For x &lt;= 88. */
    public static FloatVector expm1(FloatVector x) {
        FloatVector v = x.max(EXP_LO).min(EXPM1_HI);
        FloatVector shifted = v.fma(LOG2E, ROUND);
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_HI, v);
        r = n.fma(MINUS_LN2_LO, r);
        FloatVector q = r.fma(E0, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5).fma(r.mul(r), r);
        FloatVector scale = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return q.fma(scale, scale.sub(ONE));
    }

    /** tanh(x) = t / (t + 2) with t = e^{2x} - 1 (2x clamped to 88, where tanh is 1 in float). */
    public static FloatVector tanh(FloatVector x) {
        FloatVector t = expm1(x.add(x).min(TANH_CLAMP));
        return t.div(t.add(TWO));
    }

    /**
     * log(x): x = 2^e f with f in [sqrt(1/2), sqrt(2)) from the bits (subnormals scaled by 2^24
     * first), log(f) by a polynomial in m = f - 1. 0 gives -inf, negatives NaN, +inf +inf.
     */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(VectorOperators.LT, MIN_NORMAL);
        IntVector bits = x.mul(ONE.blend(TWO_24, subnormal)).reinterpretAsInts();
        FloatVector f = bits.and(MANTISSA).or(HALF_EXPONENT).reinterpretAsFloats();          // in [0.5, 1)
        VectorMask<Float> low = f.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector m = f.add(ZERO.blend(f, low)).sub(ONE);                                     // exact
        FloatVector e = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                .sub(BIAS.blend(BIAS_SUBNORMAL, subnormal)).sub(ZERO.blend(ONE, low));
        FloatVector z = m.mul(m);
        FloatVector p = m.fma(L0, L1).fma(m, L2).fma(m, L3).fma(m, L4).fma(m, L5).fma(m, L6).fma(m, L7).fma(m, L8);
        FloatVector y = z.fma(MINUS_HALF, e.fma(MINUS_LN2_LO_LOG, p.mul(m).mul(z)));
        FloatVector result = e.fma(LN2_HI, m.add(y));
        // x <= 0, +inf and NaN: -inf for zeros, NaN for negatives, x itself otherwise
        FloatVector special = x.blend(NAN, x.compare(VectorOperators.LT, 0f)).blend(NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return result.blend(special, x.compare(VectorOperators.GT, 0f).and(x.compare(VectorOperators.LT, INFINITY)).not());
    }

    // ---------------------------------------------------------------- scalar twins (same operations, same bits)

    /** e^x, the same bits as a lane of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        float v = Math.min(Math.max(x, EXP_LO_S), EXP_HI_S);
        float shifted = Math.fma(v, LOG2E_S, ROUND_S);
        float n = shifted - ROUND_S;
        float r = Math.fma(n, MINUS_LN2_HI_S, v);
        r = Math.fma(n, MINUS_LN2_LO_S, r);
        float scale = Float.intBitsToFloat(Float.floatToRawIntBits(shifted) << 23);
        return (expm1Reduced(r) + 1f) * scale;
    }

    /** e^x - 1, the same bits as a lane of {@link #expm1(FloatVector)}. */
    public static float expm1(float x) {
        float v = Math.min(Math.max(x, EXP_LO_S), EXPM1_HI_S);
        float shifted = Math.fma(v, LOG2E_S, ROUND_S);
        float n = shifted - ROUND_S;
        float r = Math.fma(n, MINUS_LN2_HI_S, v);
        r = Math.fma(n, MINUS_LN2_LO_S, r);
        float scale = Float.intBitsToFloat(Float.floatToRawIntBits(shifted) << 23);
        return Math.fma(expm1Reduced(r), scale, scale - 1f);
    }

    private static float expm1Reduced(float r) {
        float p = Math.fma(r, E0_S, E1_S);
        p = Math.fma(p, r, E2_S);
        p = Math.fma(p, r, E3_S);
        p = Math.fma(p, r, E4_S);
        p = Math.fma(p, r, E5_S);
        return Math.fma(p, r * r, r);
    }

    /** tanh(x), the same bits as a lane of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        float t = expm1(Math.min(x + x, TANH_CLAMP_S));
        return t / (t + 2f);
    }

    /** log(x), the same bits as a lane of {@link #log(FloatVector)}. */
    public static float log(float x) {
        if (!(x > 0f && x < Float.POSITIVE_INFINITY)) return x == 0f ? Float.NEGATIVE_INFINITY : x < 0f ? Float.NaN : x;
        boolean subnormal = x < Float.MIN_NORMAL;
        int bits = Float.floatToRawIntBits(x * (subnormal ? TWO_24_S : 1f));
        float f = Float.intBitsToFloat((bits & MANTISSA_MASK) | HALF_BITS);
        boolean low = f < SQRT_HALF_S;
        float m = f + (low ? f : 0f) - 1f;
        float e = (float) (bits >>> 23) - (subnormal ? 126f + 24f : 126f) - (low ? 1f : 0f);
        float z = m * m;
        float p = Math.fma(m, L0_S, L1_S);
        p = Math.fma(p, m, L2_S);
        p = Math.fma(p, m, L3_S);
        p = Math.fma(p, m, L4_S);
        p = Math.fma(p, m, L5_S);
        p = Math.fma(p, m, L6_S);
        p = Math.fma(p, m, L7_S);
        p = Math.fma(p, m, L8_S);
        float y = Math.fma(z, -0.5f, Math.fma(e, MINUS_LN2_LO_LOG_S, p * m * z));
        return Math.fma(e, LN2_HI_S, m + y);
    }
}
