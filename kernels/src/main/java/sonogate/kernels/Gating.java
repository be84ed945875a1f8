package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused gate of a gated convolution: x is the conv output [N, 2C, HW] whose first C channels are
 * features f and last C gates g; y [N, C, HW] = act(f) * sigmoid(g). backward ADDS into dx [N, 2C, HW].
 *
 * <p>ELU has alpha = 1: elu(f) = f for f > 0, exp(f) - 1 otherwise (computed as expm1(min(f, 0)),
 * so the unused lane never overflows); elu'(f) = 1 for f > 0, exp(f) otherwise. ReLU's derivative
 * at 0 is 0 (as in PyTorch). sigmoid(g) = 1 / (1 + exp(-g)) with -g clamped to 88: exp never
 * overflows, so no inf or NaN arises for any finite g (sigmoid underflows cleanly towards 0 and
 * saturates at 1), and sigmoid' = s * (1 - s) is computed as s * (e * s) with e = exp(-g), which
 * keeps its relative accuracy where 1 - s would cancel. exp and expm1 are {@link VectorMath}'s, so
 * results do not depend on the JIT tier. Parallel over (n, c) planes when the call is big; y must
 * not overlap x.
 */
public final class Gating {
    private Gating() {}

    private static final long PARALLEL_MIN = 1 << 15;
    private static final float EXP_CLAMP = 88f;
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;
    private static final ByteOrder ORDER = Simd.ORDER;
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f), ZERO = FloatVector.zero(F), CLAMP = FloatVector.broadcast(F, EXP_CLAMP);

    public static void forward(GateActivation act, int n, int c, int hw, MemorySegment x, MemorySegment y) {
        check(n, c, hw, x, 2, "x");
        check(n, c, hw, y, 1, "y");
        boolean elu = act == GateActivation.ELU;
        int planes = n * c;
        Parallel.forRange(planes, SegmentThreads.grain(grain(hw), planes, x, y), (lo, hi) -> {
            for (int pl = lo; pl < hi; pl++) {
                int b = pl / c, ch = pl % c;
                long f = ((long) b * 2 * c + ch) * hw, gt = f + (long) c * hw, o = (long) pl * hw;
                forwardPlane(elu, hw, x, f, gt, y, o);
            }
        });
    }

    public static void backward(GateActivation act, int n, int c, int hw, MemorySegment x, MemorySegment dy, MemorySegment dx) {
        check(n, c, hw, x, 2, "x");
        check(n, c, hw, dy, 1, "dy");
        check(n, c, hw, dx, 2, "dx");
        boolean elu = act == GateActivation.ELU;
        int planes = n * c;
        Parallel.forRange(planes, SegmentThreads.grain(grain(hw), planes, x, dy, dx), (lo, hi) -> {
            for (int pl = lo; pl < hi; pl++) {
                int b = pl / c, ch = pl % c;
                long f = ((long) b * 2 * c + ch) * hw, gt = f + (long) c * hw, o = (long) pl * hw;
                backwardPlane(elu, hw, x, f, gt, dy, o, dx);
            }
        });
    }

    /**
     * y[c][o..] = act(x[f..]) * sigmoid(x[gt..]) for one run of {@code hw} elements of each of {@code c}
     * channels: features of channel ch at {@code f + ch * xStride}, its gates {@code c * xStride} after
     * them, outputs at {@code o + ch * yStride}. Serial: for {@link Conv2d#forwardGated}'s bands. Every
     * element gets the same bits as in {@link #forward}, wherever the run starts or ends.
     */
    static void forwardRows(GateActivation act, int c, int hw, MemorySegment x, long f, long xStride, MemorySegment y, long o, long yStride) {
        boolean elu = act == GateActivation.ELU;
        for (int ch = 0; ch < c; ch++) {
            long fc = f + ch * xStride;
            forwardPlane(elu, hw, x, fc, fc + c * xStride, y, o + ch * yStride);
        }
    }

    private static int grain(int hw) {
        return (int) Math.max(1, PARALLEL_MIN / Math.max(1, hw));
    }

    // Vector bodies, scalar tails; one body per activation, each in its own method, calling VectorMath
    // first and the Vector API only after it (C2's inlining budget: see VectorMath). The tails use
    // VectorMath's scalar twins, so each element gets the same bits wherever the vector boundary falls.
    private static void forwardPlane(boolean elu, int hw, MemorySegment x, long f, long gt, MemorySegment y, long o) {
        int body = F.loopBound(hw);
        if (elu) eluForwardBody(body, x, f, gt, y, o);
        else reluForwardBody(body, x, f, gt, y, o);
        for (int i = body; i < hw; i++) {
            float fv = Simd.get(x, f + i), g = Simd.get(x, gt + i);
            float s = 1f / (VectorMath.exp(Math.min(-g, EXP_CLAMP)) + 1f);
            float a = elu ? (fv > 0 ? fv : VectorMath.expm1(Math.min(fv, 0f))) : Math.max(fv, 0f);
            Simd.set(y, o + i, a * s);
        }
    }

    private static void eluForwardBody(int body, MemorySegment x, long f, long gt, MemorySegment y, long o) {
        for (int i = 0; i < body; i += L) {
            FloatVector fv = FloatVector.fromMemorySegment(F, x, (f + i) * Float.BYTES, ORDER);
            FloatVector gv = FloatVector.fromMemorySegment(F, x, (gt + i) * Float.BYTES, ORDER);
            FloatVector e = VectorMath.exp(gv.neg().min(CLAMP));                  // exp(-g)
            FloatVector em1 = VectorMath.expm1(fv.min(ZERO));
            FloatVector s = ONE.div(e.add(ONE));
            em1.blend(fv, fv.compare(VectorOperators.GT, ZERO)).mul(s).intoMemorySegment(y, (o + i) * Float.BYTES, ORDER);
        }
    }

    private static void reluForwardBody(int body, MemorySegment x, long f, long gt, MemorySegment y, long o) {
        for (int i = 0; i < body; i += L) {
            FloatVector fv = FloatVector.fromMemorySegment(F, x, (f + i) * Float.BYTES, ORDER);
            FloatVector gv = FloatVector.fromMemorySegment(F, x, (gt + i) * Float.BYTES, ORDER);
            FloatVector e = VectorMath.exp(gv.neg().min(CLAMP));
            fv.max(ZERO).mul(ONE.div(e.add(ONE))).intoMemorySegment(y, (o + i) * Float.BYTES, ORDER);
        }
    }

    private static void backwardPlane(boolean elu, int hw, MemorySegment x, long f, long gt, MemorySegment dy, long o,
                                      MemorySegment dx) {
        int body = F.loopBound(hw);
        if (elu) eluBackwardBody(body, x, f, gt, dy, o, dx);
        else reluBackwardBody(body, x, f, gt, dy, o, dx);
        for (int i = body; i < hw; i++) {
            float fv = Simd.get(x, f + i), g = Simd.get(x, gt + i), gy = Simd.get(dy, o + i);
            float e = VectorMath.exp(Math.min(-g, EXP_CLAMP)), s = 1f / (e + 1f), gs = gy * s;
            boolean pos = fv > 0;
            if (elu) {
                float em1 = VectorMath.expm1(Math.min(fv, 0f));
                Simd.set(dx, f + i, Simd.get(dx, f + i) + gs * (pos ? 1f : em1 + 1f));
                Simd.set(dx, gt + i, Simd.get(dx, gt + i) + gs * (pos ? fv : em1) * (e * s));
            } else {
                Simd.set(dx, f + i, Simd.get(dx, f + i) + (pos ? gs : 0f));
                Simd.set(dx, gt + i, Simd.get(dx, gt + i) + gs * Math.max(fv, 0f) * (e * s));
            }
        }
    }

    // e = exp(-g), s = 1 / (1 + e), 1 - s = e * s (no cancellation when s is near 1)
    private static void eluBackwardBody(int body, MemorySegment x, long f, long gt, MemorySegment dy, long o, MemorySegment dx) {
        for (int i = 0; i < body; i += L) {
            long df = (f + i) * Float.BYTES, dg = (gt + i) * Float.BYTES;
            FloatVector fv = FloatVector.fromMemorySegment(F, x, df, ORDER), gv = FloatVector.fromMemorySegment(F, x, dg, ORDER);
            FloatVector e = VectorMath.exp(gv.neg().min(CLAMP));
            FloatVector em1 = VectorMath.expm1(fv.min(ZERO));
            FloatVector gy = FloatVector.fromMemorySegment(F, dy, (o + i) * Float.BYTES, ORDER);
            FloatVector s = ONE.div(e.add(ONE));
            VectorMask<Float> pos = fv.compare(VectorOperators.GT, ZERO);
            FloatVector gs = gy.mul(s);
            FloatVector.fromMemorySegment(F, dx, df, ORDER).add(gs.mul(em1.add(ONE).blend(ONE, pos))).intoMemorySegment(dx, df, ORDER);
            FloatVector.fromMemorySegment(F, dx, dg, ORDER).add(gs.mul(em1.blend(fv, pos)).mul(e.mul(s))).intoMemorySegment(dx, dg, ORDER);
        }
    }

    private static void reluBackwardBody(int body, MemorySegment x, long f, long gt, MemorySegment dy, long o, MemorySegment dx) {
        for (int i = 0; i < body; i += L) {
            long df = (f + i) * Float.BYTES, dg = (gt + i) * Float.BYTES;
            FloatVector fv = FloatVector.fromMemorySegment(F, x, df, ORDER), gv = FloatVector.fromMemorySegment(F, x, dg, ORDER);
            FloatVector e = VectorMath.exp(gv.neg().min(CLAMP));
            FloatVector gy = FloatVector.fromMemorySegment(F, dy, (o + i) * Float.BYTES, ORDER);
            FloatVector s = ONE.div(e.add(ONE));
            VectorMask<Float> pos = fv.compare(VectorOperators.GT, ZERO);
            FloatVector gs = gy.mul(s);
            FloatVector.fromMemorySegment(F, dx, df, ORDER).add(ZERO.blend(gs, pos)).intoMemorySegment(dx, df, ORDER);
            FloatVector.fromMemorySegment(F, dx, dg, ORDER).add(gs.mul(fv.max(ZERO)).mul(e.mul(s))).intoMemorySegment(dx, dg, ORDER);
        }
    }

    private static void check(int n, int c, int hw, MemorySegment seg, int mult, String name) {
        if (n <= 0 || c <= 0 || hw <= 0) {
            throw new IllegalArgumentException("gating: invalid shape n=" + n + " c=" + c + " hw=" + hw);
        }
        long need = (long) n * mult * c * hw;
        if (seg == null || seg.byteSize() < need * Float.BYTES) {
            throw new IllegalArgumentException("gating [" + n + "," + (mult * c) + "," + hw + "]: " + name + " holds "
                    + (seg == null ? 0 : seg.byteSize() / Float.BYTES) + " floats, needs " + need);
        }
    }

    // ---- double references ----

    public static void forwardReference(GateActivation act, int n, int c, int hw, double[] x, double[] y) {
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < hw; i++) {
                    double f = x[(b * 2 * c + ch) * hw + i], g = x[(b * 2 * c + c + ch) * hw + i];
                    y[(b * c + ch) * hw + i] = actRef(act, f) * sigmoidRef(g);
                }
    }

    public static void backwardReference(GateActivation act, int n, int c, int hw, double[] x, double[] dy, double[] dx) {
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < hw; i++) {
                    int fi = (b * 2 * c + ch) * hw + i, gi = (b * 2 * c + c + ch) * hw + i;
                    double f = x[fi], s = sigmoidRef(x[gi]), gy = dy[(b * c + ch) * hw + i];
                    double da = act == GateActivation.ELU ? (f > 0 ? 1.0 : Math.exp(f)) : (f > 0 ? 1.0 : 0.0);
                    dx[fi] += gy * da * s;
                    dx[gi] += gy * actRef(act, f) * s * (1 - s);
                }
    }

    private static double actRef(GateActivation act, double f) {
        if (f > 0) return f;
        return act == GateActivation.ELU ? Math.expm1(f) : 0.0;
    }

    private static double sigmoidRef(double g) {
        return g >= 0 ? 1.0 / (1.0 + Math.exp(-g)) : Math.exp(g) / (1.0 + Math.exp(g));
    }
}
