package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused gate of a gated convolution: x is the conv output [N, 2C, HW] whose first C channels are
 * features f and last C gates g; y [N, C, HW] = act(f) * sigmoid(g). backward ADDS into dx [N, 2C, HW].
 *
 * <p>ELU has alpha = 1: elu(f) = f for f > 0, exp(f) - 1 otherwise (computed as expm1(min(f, 0)),
 * so the unused lane never overflows); elu'(f) = 1 for f > 0, exp(f) otherwise. ReLU's derivative
 * at 0 is 0 (as in PyTorch). sigmoid(g) = 1 / (1 + exp(-g)) with -g clamped to 88: exp never
 * overflows, so no inf or NaN arises for any finite g (sigmoid underflows cleanly towards 0 and
 * saturates at 1), and sigmoid' = s * (1 - s) is computed as s * (e * s) with e = exp(-g), which
 * keeps its relative accuracy where 1 - s would cancel. Vector loops with a masked tail; parallel over (n, c) planes when the call is big.
 */
public final class Gating {
    private Gating() {}

    private static final long PARALLEL_MIN = 1 << 15;
    private static final float EXP_CLAMP = 88f;
    private static final FloatVector ONE = FloatVector.broadcast(Simd.F, 1f);
    private static final FloatVector ZERO = FloatVector.zero(Simd.F);

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

    private static int grain(int hw) {
        return (int) Math.max(1, PARALLEL_MIN / Math.max(1, hw));
    }

    private static void forwardPlane(boolean elu, int hw, MemorySegment x, long f, long gt, MemorySegment y, long o) {
        int body = Simd.F.loopBound(hw);
        for (int i = 0; i < body; i += Simd.LANES) {
            FloatVector s = sigmoid(Simd.load(x, gt + i));
            Simd.store(activation(elu, Simd.load(x, f + i)).mul(s), y, o + i);
        }
        for (int i = body; i < hw; i++) {
            float fv = Simd.get(x, f + i), g = Simd.get(x, gt + i);
            float a = fv > 0 ? fv : elu ? (float) Math.expm1(fv) : 0f;
            Simd.set(y, o + i, a / (1f + (float) Math.exp(Math.min(-g, EXP_CLAMP))));
        }
    }

    // Unmasked vector body, scalar tail, one loop per activation: with masked operations in every
    // iteration (and both activations in one loop) C2 ran out of its inlining budget, the Vector
    // API intrinsics failed, and every vector was boxed (~300 KB of garbage per call).
    private static void backwardPlane(boolean elu, int hw, MemorySegment x, long f, long gt, MemorySegment dy, long o,
                                      MemorySegment dx) {
        int body = Simd.F.loopBound(hw);
        if (elu) eluBackwardBody(body, x, f, gt, dy, o, dx);
        else reluBackwardBody(body, x, f, gt, dy, o, dx);
        for (int i = body; i < hw; i++) {
            float fv = Simd.get(x, f + i), g = Simd.get(x, gt + i), gy = Simd.get(dy, o + i);
            float e = (float) Math.exp(Math.min(-g, EXP_CLAMP)), s = 1f / (1f + e);
            float a, da;
            if (fv > 0) {
                a = fv;
                da = 1f;
            } else {
                a = elu ? (float) Math.expm1(fv) : 0f;
                da = elu ? a + 1f : 0f;
            }
            float gs = gy * s;
            Simd.set(dx, f + i, Simd.get(dx, f + i) + gs * da);
            Simd.set(dx, gt + i, Simd.get(dx, gt + i) + gs * a * (e * s));
        }
    }

    private static void eluBackwardBody(int body, MemorySegment x, long f, long gt, MemorySegment dy, long o, MemorySegment dx) {
        for (int i = 0; i < body; i += Simd.LANES) {
            FloatVector fv = Simd.load(x, f + i), gv = Simd.load(x, gt + i), gy = Simd.load(dy, o + i);
            // e = exp(-g), s = 1 / (1 + e), 1 - s = e * s (no cancellation when s is near 1)
            FloatVector e = gv.neg().min(EXP_CLAMP).lanewise(VectorOperators.EXP);
            FloatVector s = ONE.div(e.add(ONE));
            VectorMask<Float> pos = fv.compare(VectorOperators.GT, 0f);
            FloatVector em1 = fv.min(0f).lanewise(VectorOperators.EXPM1);
            FloatVector gs = gy.mul(s);
            Simd.store(Simd.load(dx, f + i).add(gs.mul(em1.add(ONE).blend(ONE, pos))), dx, f + i);
            Simd.store(Simd.load(dx, gt + i).add(gs.mul(em1.blend(fv, pos)).mul(e.mul(s))), dx, gt + i);
        }
    }

    private static void reluBackwardBody(int body, MemorySegment x, long f, long gt, MemorySegment dy, long o, MemorySegment dx) {
        for (int i = 0; i < body; i += Simd.LANES) {
            FloatVector fv = Simd.load(x, f + i), gv = Simd.load(x, gt + i), gy = Simd.load(dy, o + i);
            FloatVector e = gv.neg().min(EXP_CLAMP).lanewise(VectorOperators.EXP);
            FloatVector s = ONE.div(e.add(ONE));
            VectorMask<Float> pos = fv.compare(VectorOperators.GT, 0f);
            FloatVector gs = gy.mul(s);
            Simd.store(Simd.load(dx, f + i).add(ZERO.blend(gs, pos)), dx, f + i);
            Simd.store(Simd.load(dx, gt + i).add(gs.mul(fv.max(0f)).mul(e.mul(s))), dx, gt + i);
        }
    }

    private static FloatVector sigmoid(FloatVector g) {
        FloatVector e = g.neg().min(EXP_CLAMP).lanewise(VectorOperators.EXP);
        return ONE.div(e.add(ONE));
    }

    private static FloatVector activation(boolean elu, FloatVector f) {
        if (!elu) return f.max(0f);
        VectorMask<Float> pos = f.compare(VectorOperators.GT, 0f);
        return f.min(0f).lanewise(VectorOperators.EXPM1).blend(f, pos);
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
