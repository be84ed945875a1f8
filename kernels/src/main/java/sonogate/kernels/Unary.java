package sonogate.kernels;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised element-wise kernels over n contiguous floats. forward overwrites y (y may alias x);
 * backward ADDS dy * f'(x) into dx (it may read x or y, whichever is cheaper).
 * Each has a double reference on heap arrays with the same semantics.
 *
 * <p>What the float {@link #backward} reads besides dy and dx: ELU x and y; SIGMOID, TANH, SQRT,
 * EXP only y; RELU, LEAKY_RELU, ABS, SQUARE, LOG only x; NEG neither (the unread one may be
 * null). {@link #backwardReference} reads only x. Derivatives at kinks: RELU'(0) = 0,
 * LEAKY_RELU'(0) = alpha, ABS'(0) = 0, ELU'(0) = alpha (the x &lt;= 0 branch).
 *
 * <p>Transcendentals are {@link VectorMath}'s (exp, expm1, tanh, log from IEEE-exact operations),
 * so every result is the same whether a kernel runs interpreted or compiled. Sigmoid is computed
 * from e = exp(-|x|) (never overflows): x &gt;= 0 ? 1/(1+e) : e/(1+e). Arrays above 64K elements
 * are split over {@link Parallel}.
 */
public final class Unary {
    private Unary() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;
    private static final FloatVector ONE = FloatVector.broadcast(Simd.F, 1f), ZERO = FloatVector.zero(Simd.F);
    // Kernel names for error messages, built once (no string concatenation per call).
    private static final String[] FORWARD = names("Unary.forward"), BACKWARD = names("Unary.backward");

    private static String[] names(String kernel) {
        UnaryOp[] ops = UnaryOp.values();
        String[] n = new String[ops.length];
        for (UnaryOp op : ops) n[op.ordinal()] = kernel + "(" + op + ")";
        return n;
    }

    public static void forward(UnaryOp op, float alpha, long n, MemorySegment x, MemorySegment y) {
        if (op == null) throw new IllegalArgumentException("Unary.forward: op is null");
        String k = FORWARD[op.ordinal()];
        ElementwiseArgs.count(k, n);
        ElementwiseArgs.segment(k, "x", x, n);
        ElementwiseArgs.segment(k, "y", y, n);
        ElementwiseArgs.forRange(n, (lo, hi) -> forwardRange(op, alpha, x, y, lo, hi), x, y);
    }

    public static void backward(UnaryOp op, float alpha, long n, MemorySegment x, MemorySegment y, MemorySegment dy, MemorySegment dx) {
        if (op == null) throw new IllegalArgumentException("Unary.backward: op is null");
        String k = BACKWARD[op.ordinal()];
        ElementwiseArgs.count(k, n);
        switch (op) {
            case ELU -> { ElementwiseArgs.segment(k, "x", x, n); ElementwiseArgs.segment(k, "y", y, n); }
            case SIGMOID, TANH, SQRT, EXP -> ElementwiseArgs.segment(k, "y", y, n);
            case RELU, LEAKY_RELU, ABS, SQUARE, LOG -> ElementwiseArgs.segment(k, "x", x, n);
            case NEG -> { }
        }
        ElementwiseArgs.segment(k, "dy", dy, n);
        ElementwiseArgs.segment(k, "dx", dx, n);
        ElementwiseArgs.forRange(n, (lo, hi) -> backwardRange(op, alpha, x, y, dy, dx, lo, hi), x, y, dy, dx);
    }

    /** y = scale * x + shift. */
    public static void affine(long n, float scale, float shift, MemorySegment x, MemorySegment y) {
        ElementwiseArgs.count("Unary.affine", n);
        ElementwiseArgs.segment("Unary.affine", "x", x, n);
        ElementwiseArgs.segment("Unary.affine", "y", y, n);
        ElementwiseArgs.forRange(n, (lo, hi) -> {
            long i = lo, end = lo + ((hi - lo) & -L);
            for (; i < end; i += L) Simd.store(Simd.load(x, i).fma(scale, shift), y, i);
            if (i < hi) {
                VectorMask<Float> m = F.indexInRange(i, hi);
                store(load(x, i, m).fma(scale, shift), y, i, m);
            }
        }, x, y);
    }

    /** y += a * x. */
    public static void axpy(long n, float a, MemorySegment x, MemorySegment y) {
        ElementwiseArgs.count("Unary.axpy", n);
        ElementwiseArgs.segment("Unary.axpy", "x", x, n);
        ElementwiseArgs.segment("Unary.axpy", "y", y, n);
        FloatVector av = FloatVector.broadcast(F, a);
        ElementwiseArgs.forRange(n, (lo, hi) -> {
            long i = lo, end = lo + ((hi - lo) & -L);
            for (; i < end; i += L) Simd.store(Simd.load(x, i).fma(av, Simd.load(y, i)), y, i);
            if (i < hi) {
                VectorMask<Float> m = F.indexInRange(i, hi);
                store(load(x, i, m).fma(av, load(y, i, m)), y, i, m);
            }
        }, x, y);
    }

    public static void fill(long n, float value, MemorySegment y) {
        ElementwiseArgs.count("Unary.fill", n);
        ElementwiseArgs.segment("Unary.fill", "y", y, n);
        FloatVector v = FloatVector.broadcast(F, value);
        ElementwiseArgs.forRange(n, (lo, hi) -> {
            long i = lo, end = lo + ((hi - lo) & -L);
            for (; i < end; i += L) Simd.store(v, y, i);
            if (i < hi) store(v, y, i, F.indexInRange(i, hi));
        }, y);
    }

    // ---------------------------------------------------------------- double reference

    public static void forwardReference(UnaryOp op, double alpha, int n, double[] x, double[] y) {
        String k = "Unary.forwardReference(" + op + ")";
        if (op == null) throw new IllegalArgumentException("Unary.forwardReference: op is null");
        ElementwiseArgs.count(k, n);
        ElementwiseArgs.array(k, "x", x, n);
        ElementwiseArgs.array(k, "y", y, n);
        for (int i = 0; i < n; i++) y[i] = f(op, alpha, x[i]);
    }

    public static void backwardReference(UnaryOp op, double alpha, int n, double[] x, double[] y, double[] dy, double[] dx) {
        String k = "Unary.backwardReference(" + op + ")";
        if (op == null) throw new IllegalArgumentException("Unary.backwardReference: op is null");
        ElementwiseArgs.count(k, n);
        if (op != UnaryOp.NEG) ElementwiseArgs.array(k, "x", x, n);
        ElementwiseArgs.array(k, "dy", dy, n);
        ElementwiseArgs.array(k, "dx", dx, n);
        for (int i = 0; i < n; i++) dx[i] += dy[i] * df(op, alpha, op == UnaryOp.NEG ? 0 : x[i]);
    }

    /** f(x) in double: the definition every float kernel is tested against. */
    static double f(UnaryOp op, double alpha, double x) {
        return switch (op) {
            case ELU -> x > 0 ? x : alpha * Math.expm1(x);
            case SIGMOID -> {
                double e = Math.exp(-Math.abs(x));
                yield x >= 0 ? 1 / (1 + e) : e / (1 + e);
            }
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
        };
    }

    /** f'(x) in double. */
    static double df(UnaryOp op, double alpha, double x) {
        return switch (op) {
            case ELU -> x > 0 ? 1 : alpha * Math.exp(x);
            case SIGMOID -> {
                double s = f(UnaryOp.SIGMOID, alpha, x);
                yield s * (1 - s);
            }
            case TANH -> {
                double t = Math.tanh(x);
                yield 1 - t * t;
            }
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : alpha;
            case ABS -> Math.signum(x);
            case NEG -> -1;
            case SQUARE -> 2 * x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case EXP -> Math.exp(x);
            case LOG -> 1 / x;
        };
    }

    // ---------------------------------------------------------------- vector helpers

    static FloatVector load(MemorySegment s, long i, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(F, s, i * Float.BYTES, Simd.ORDER, m);
    }

    static void store(FloatVector v, MemorySegment s, long i, VectorMask<Float> m) {
        v.intoMemorySegment(s, i * Float.BYTES, Simd.ORDER, m);
    }

    // ---------------------------------------------------------------- forward loops

    private static void forwardRange(UnaryOp op, float alpha, MemorySegment x, MemorySegment y, long lo, long hi) {
        switch (op) {
            case ELU -> elu(alpha, x, y, lo, hi);
            case SIGMOID -> sigmoid(x, y, lo, hi);
            case TANH -> tanh(x, y, lo, hi);
            case RELU -> relu(x, y, lo, hi);
            case LEAKY_RELU -> leaky(alpha, x, y, lo, hi);
            case ABS -> abs(x, y, lo, hi);
            case NEG -> neg(x, y, lo, hi);
            case SQUARE -> square(x, y, lo, hi);
            case SQRT -> sqrt(x, y, lo, hi);
            case EXP -> exp(x, y, lo, hi);
            case LOG -> log(x, y, lo, hi);
        }
    }

    // The transcendental loops (ELU, SIGMOID, TANH, EXP, LOG) call VectorMath first and the Vector API
    // only after it (C2's inlining budget: see VectorMath), and finish the range with VectorMath's
    // scalar twins: the same bits cold or compiled, and wherever the range's vector boundary falls.

    private static void elu(float alpha, MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, i * Float.BYTES, Simd.ORDER);
            FloatVector em1 = VectorMath.expm1(v.min(ZERO));
            em1.mul(alpha).blend(v, v.compare(GT, ZERO)).intoMemorySegment(y, i * Float.BYTES, Simd.ORDER);
        }
        for (; i < hi; i++) {
            float v = Simd.get(x, i);
            Simd.set(y, i, v > 0 ? v : VectorMath.expm1(Math.min(v, 0f)) * alpha);
        }
    }

    /** 1 / (1 + e) for x &gt;= 0, e / (1 + e) below, with e = exp(-|x|) (never overflows). */
    private static void sigmoid(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, i * Float.BYTES, Simd.ORDER);
            FloatVector e = VectorMath.exp(v.abs().neg());
            FloatVector r = ONE.div(e.add(ONE));
            r.blend(e.mul(r), v.compare(LT, ZERO)).intoMemorySegment(y, i * Float.BYTES, Simd.ORDER);
        }
        for (; i < hi; i++) {
            float v = Simd.get(x, i), e = VectorMath.exp(-Math.abs(v)), r = 1f / (e + 1f);
            Simd.set(y, i, v < 0 ? e * r : r);
        }
    }

    private static void tanh(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            VectorMath.tanh(FloatVector.fromMemorySegment(F, x, i * Float.BYTES, Simd.ORDER)).intoMemorySegment(y, i * Float.BYTES, Simd.ORDER);
        }
        for (; i < hi; i++) Simd.set(y, i, VectorMath.tanh(Simd.get(x, i)));
    }

    private static void relu(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(x, i).max(0f), y, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(x, i, m).max(0f), y, i, m);
        }
    }

    private static FloatVector leakyV(FloatVector v, float alpha) {
        return v.mul(alpha).blend(v, v.compare(GT, 0f));
    }

    private static void leaky(float alpha, MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(leakyV(Simd.load(x, i), alpha), y, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(leakyV(load(x, i, m), alpha), y, i, m);
        }
    }

    private static void abs(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(x, i).abs(), y, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(x, i, m).abs(), y, i, m);
        }
    }

    private static void neg(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(x, i).neg(), y, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(x, i, m).neg(), y, i, m);
        }
    }

    private static void square(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector v = Simd.load(x, i);
            Simd.store(v.mul(v), y, i);
        }
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            FloatVector v = load(x, i, m);
            store(v.mul(v), y, i, m);
        }
    }

    private static void sqrt(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(x, i).sqrt(), y, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(x, i, m).sqrt(), y, i, m);
        }
    }

    private static void exp(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            VectorMath.exp(FloatVector.fromMemorySegment(F, x, i * Float.BYTES, Simd.ORDER)).intoMemorySegment(y, i * Float.BYTES, Simd.ORDER);
        }
        for (; i < hi; i++) Simd.set(y, i, VectorMath.exp(Simd.get(x, i)));
    }

    private static void log(MemorySegment x, MemorySegment y, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            VectorMath.log(FloatVector.fromMemorySegment(F, x, i * Float.BYTES, Simd.ORDER)).intoMemorySegment(y, i * Float.BYTES, Simd.ORDER);
        }
        for (; i < hi; i++) Simd.set(y, i, VectorMath.log(Simd.get(x, i)));
    }

    // ---------------------------------------------------------------- backward loops
    // Each computes dx += dy * g where g is f' evaluated from whichever of x, y is cheaper.

    private static void backwardRange(UnaryOp op, float alpha, MemorySegment x, MemorySegment y,
                                      MemorySegment dy, MemorySegment dx, long lo, long hi) {
        switch (op) {
            case ELU -> eluBack(alpha, x, y, dy, dx, lo, hi);
            case SIGMOID -> sigmoidBack(y, dy, dx, lo, hi);
            case TANH -> tanhBack(y, dy, dx, lo, hi);
            case RELU -> reluBack(x, dy, dx, lo, hi);
            case LEAKY_RELU -> leakyBack(alpha, x, dy, dx, lo, hi);
            case ABS -> absBack(x, dy, dx, lo, hi);
            case NEG -> negBack(dy, dx, lo, hi);
            case SQUARE -> squareBack(x, dy, dx, lo, hi);
            case SQRT -> sqrtBack(y, dy, dx, lo, hi);
            case EXP -> expBack(y, dy, dx, lo, hi);
            case LOG -> logBack(x, dy, dx, lo, hi);
        }
    }

    private static void eluBack(float alpha, MemorySegment x, MemorySegment y, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector g = Simd.load(y, i).add(alpha).blend(1f, Simd.load(x, i).compare(GT, 0f));
            Simd.store(Simd.load(dy, i).fma(g, Simd.load(dx, i)), dx, i);
        }
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            FloatVector g = load(y, i, m).add(alpha).blend(1f, load(x, i, m).compare(GT, 0f));
            store(load(dy, i, m).fma(g, load(dx, i, m)), dx, i, m);
        }
    }

    private static FloatVector sigmoidG(FloatVector s) {
        return s.sub(s.mul(s));
    }

    private static void sigmoidBack(MemorySegment y, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).fma(sigmoidG(Simd.load(y, i)), Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dy, i, m).fma(sigmoidG(load(y, i, m)), load(dx, i, m)), dx, i, m);
        }
    }

    private static FloatVector tanhG(FloatVector t) {
        return t.neg().fma(t, ONE);
    }

    private static void tanhBack(MemorySegment y, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).fma(tanhG(Simd.load(y, i)), Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dy, i, m).fma(tanhG(load(y, i, m)), load(dx, i, m)), dx, i, m);
        }
    }

    private static void reluBack(MemorySegment x, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector d = Simd.load(dy, i);
            FloatVector g = d.blend(0f, Simd.load(x, i).compare(GT, 0f).not());
            Simd.store(Simd.load(dx, i).add(g), dx, i);
        }
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            FloatVector g = load(dy, i, m).blend(0f, load(x, i, m).compare(GT, 0f).not());
            store(load(dx, i, m).add(g), dx, i, m);
        }
    }

    private static void leakyBack(float alpha, MemorySegment x, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) {
            FloatVector g = a.blend(1f, Simd.load(x, i).compare(GT, 0f));
            Simd.store(Simd.load(dy, i).fma(g, Simd.load(dx, i)), dx, i);
        }
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            FloatVector g = a.blend(1f, load(x, i, m).compare(GT, 0f));
            store(load(dy, i, m).fma(g, load(dx, i, m)), dx, i, m);
        }
    }

    /** dy * sign(x) with sign(0) = 0. */
    private static FloatVector signTimes(FloatVector x, FloatVector dy) {
        FloatVector z = FloatVector.zero(F);
        return z.blend(dy, x.compare(GT, 0f)).blend(dy.neg(), x.compare(LT, 0f));
    }

    private static void absBack(MemorySegment x, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dx, i).add(signTimes(Simd.load(x, i), Simd.load(dy, i))), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dx, i, m).add(signTimes(load(x, i, m), load(dy, i, m))), dx, i, m);
        }
    }

    private static void negBack(MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dx, i).sub(Simd.load(dy, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dx, i, m).sub(load(dy, i, m)), dx, i, m);
        }
    }

    private static void squareBack(MemorySegment x, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).mul(2f).fma(Simd.load(x, i), Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dy, i, m).mul(2f).fma(load(x, i, m), load(dx, i, m)), dx, i, m);
        }
    }

    private static void sqrtBack(MemorySegment y, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).mul(0.5f).div(Simd.load(y, i)).add(Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            // masked-off lanes divide by 0 and are not stored
            store(load(dy, i, m).mul(0.5f).div(load(y, i, m)).add(load(dx, i, m)), dx, i, m);
        }
    }

    private static void expBack(MemorySegment y, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).fma(Simd.load(y, i), Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dy, i, m).fma(load(y, i, m), load(dx, i, m)), dx, i, m);
        }
    }

    private static void logBack(MemorySegment x, MemorySegment dy, MemorySegment dx, long lo, long hi) {
        long i = lo, end = lo + ((hi - lo) & -L);
        for (; i < end; i += L) Simd.store(Simd.load(dy, i).div(Simd.load(x, i)).add(Simd.load(dx, i)), dx, i);
        if (i < hi) {
            VectorMask<Float> m = F.indexInRange(i, hi);
            store(load(dy, i, m).div(load(x, i, m)).add(load(dx, i, m)), dx, i, m);
        }
    }
}
