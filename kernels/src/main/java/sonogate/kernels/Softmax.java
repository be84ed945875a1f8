package sonogate.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over the middle axis of a contiguous [outer, axis, inner] array (numerically stable).
 * backward ADDS y * (dy - sum(dy * y over axis)) into dx.
 *
 * <p>forward subtracts the maximum over the axis before exp, so logits of any magnitude give no
 * NaN or overflow. With inner = 1 a row is contiguous: vector max, then exp + store + sum (float
 * vector partials flushed to double every 1024), then scale by 1/sum. With inner &gt; 1 the lanes
 * run along inner (masked at its end) and the three passes step through the axis, so each lane is
 * one softmax column. y may alias x. Work is split over {@link Parallel} by rows / column blocks
 * above 64K elements.
 */
public final class Softmax {
    private Softmax() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;

    private static long validate(String k, int outer, int axis, int inner) {
        if (outer < 0 || axis < 0 || inner < 0) {
            throw new IllegalArgumentException(k + ": negative size in [outer, axis, inner] = [" + outer + ", " + axis + ", " + inner + "]");
        }
        return (long) outer * axis * inner;
    }

    private static void check(String k, String name, MemorySegment s, long total, int outer, int axis, int inner) {
        if (s == null || ElementwiseArgs.floats(s) < total) {
            throw new IllegalArgumentException(k + ": " + name + (s == null ? " is null" : " holds " + ElementwiseArgs.floats(s) + " floats")
                    + " but [outer, axis, inner] = [" + outer + ", " + axis + ", " + inner + "] needs " + total);
        }
    }

    private static void checkArray(String k, String name, double[] a, long total, int outer, int axis, int inner) {
        if (a == null || a.length < total) {
            throw new IllegalArgumentException(k + ": " + name + (a == null ? " is null" : " has length " + a.length)
                    + " but [outer, axis, inner] = [" + outer + ", " + axis + ", " + inner + "] needs " + total);
        }
    }

    private static void parallel(int outer, int axis, int inner, Parallel.RangeBody unitBody, int units, MemorySegment... segs) {
        long total = (long) outer * axis * inner;
        if (!ElementwiseArgs.parallel(total, segs)) {
            unitBody.run(0, units);
            return;
        }
        long perUnit = Math.max(1, total / units);
        Parallel.forRange(units, (int) Math.max(1, ElementwiseArgs.PARALLEL_MIN / 2 / perUnit), unitBody);
    }

    public static void forward(int outer, int axis, int inner, MemorySegment x, MemorySegment y) {
        String k = "Softmax.forward";
        long total = validate(k, outer, axis, inner);
        check(k, "x", x, total, outer, axis, inner);
        check(k, "y", y, total, outer, axis, inner);
        if (total == 0) return;
        if (inner == 1) {
            parallel(outer, axis, inner, (lo, hi) -> {
                for (int o = lo; o < hi; o++) forwardRow(axis, x, y, (long) o * axis);
            }, outer, x, y);
        } else {
            int cb = (inner + L - 1) / L;
            parallel(outer, axis, inner, (lo, hi) -> {
                for (int u = lo; u < hi; u++) {
                    int o = u / cb, j = (u % cb) * L;
                    forwardColumns(axis, inner, x, y, (long) o * axis * inner + j, F.indexInRange(j, inner));
                }
            }, outer * cb, x, y);
        }
    }

    private static void forwardRow(int n, MemorySegment x, MemorySegment y, long base) {
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0, end = n & -L;
        for (; i < end; i += L) mv = mv.max(Simd.load(x, base + i));
        float max = mv.reduceLanes(MAX);
        for (; i < n; i++) max = Math.max(max, Simd.get(x, base + i));
        double sum = 0;
        for (i = 0; i < n; ) {
            int bEnd = Math.min(n, i + 1024), vEnd = i + ((bEnd - i) & -L);
            FloatVector s = FloatVector.zero(F);
            for (; i < vEnd; i += L) {
                FloatVector e = Simd.load(x, base + i).sub(max).lanewise(EXP);
                Simd.store(e, y, base + i);
                s = s.add(e);
            }
            if (i < bEnd) {
                VectorMask<Float> m = F.indexInRange(i, bEnd);
                FloatVector e = Unary.load(x, base + i, m).sub(max).lanewise(EXP);
                Unary.store(e, y, base + i, m);
                s = s.add(e, m);
                i = bEnd;
            }
            sum += s.reduceLanes(ADD);
        }
        float inv = (float) (1 / sum);
        for (i = 0; i < end; i += L) Simd.store(Simd.load(y, base + i).mul(inv), y, base + i);
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            Unary.store(Unary.load(y, base + i, m).mul(inv), y, base + i, m);
        }
    }

    /** One block of up to L softmax columns starting at {@code base}, lanes in {@code m}. */
    private static void forwardColumns(int axis, int inner, MemorySegment x, MemorySegment y, long base, VectorMask<Float> m) {
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        long p = base;
        for (int a = 0; a < axis; a++, p += inner) mx = mx.max(Unary.load(x, p, m));
        FloatVector s = FloatVector.zero(F);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) {
            FloatVector e = Unary.load(x, p, m).sub(mx).lanewise(EXP);
            Unary.store(e, y, p, m);
            s = s.add(e);
        }
        FloatVector inv = FloatVector.broadcast(F, 1f).div(s);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) Unary.store(Unary.load(y, p, m).mul(inv), y, p, m);
    }

    public static void backward(int outer, int axis, int inner, MemorySegment y, MemorySegment dy, MemorySegment dx) {
        String k = "Softmax.backward";
        long total = validate(k, outer, axis, inner);
        check(k, "y", y, total, outer, axis, inner);
        check(k, "dy", dy, total, outer, axis, inner);
        check(k, "dx", dx, total, outer, axis, inner);
        if (total == 0) return;
        if (inner == 1) {
            parallel(outer, axis, inner, (lo, hi) -> {
                for (int o = lo; o < hi; o++) backwardRow(axis, y, dy, dx, (long) o * axis);
            }, outer, y, dy, dx);
        } else {
            int cb = (inner + L - 1) / L;
            parallel(outer, axis, inner, (lo, hi) -> {
                for (int u = lo; u < hi; u++) {
                    int o = u / cb, j = (u % cb) * L;
                    backwardColumns(axis, inner, y, dy, dx, (long) o * axis * inner + j, F.indexInRange(j, inner));
                }
            }, outer * cb, y, dy, dx);
        }
    }

    // Scalar tails: masked vector tails here pushed the method past C2's inlining budget (boxing).
    private static void backwardRow(int n, MemorySegment y, MemorySegment dy, MemorySegment dx, long base) {
        double dot = 0;
        int end = n & -L;
        for (int i = 0; i < end; ) {
            int blockEnd = Math.min(end, i + 1024);
            FloatVector s = FloatVector.zero(F);
            for (; i < blockEnd; i += L) s = Simd.load(y, base + i).fma(Simd.load(dy, base + i), s);
            dot += s.reduceLanes(ADD);
        }
        for (int i = end; i < n; i++) dot += (double) Simd.get(y, base + i) * Simd.get(dy, base + i);
        float d = (float) dot;
        for (int i = 0; i < end; i += L) {
            FloatVector g = Simd.load(dy, base + i).sub(d).mul(Simd.load(y, base + i));
            Simd.store(Simd.load(dx, base + i).add(g), dx, base + i);
        }
        for (int i = end; i < n; i++) {
            Simd.set(dx, base + i, Simd.get(dx, base + i) + (Simd.get(dy, base + i) - d) * Simd.get(y, base + i));
        }
    }

    private static void backwardColumns(int axis, int inner, MemorySegment y, MemorySegment dy, MemorySegment dx,
                                        long base, VectorMask<Float> m) {
        FloatVector s = FloatVector.zero(F);
        long p = base;
        for (int a = 0; a < axis; a++, p += inner) s = Unary.load(y, p, m).fma(Unary.load(dy, p, m), s);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) {
            FloatVector g = Unary.load(dy, p, m).sub(s).mul(Unary.load(y, p, m));
            Unary.store(Unary.load(dx, p, m).add(g), dx, p, m);
        }
    }

    // ---------------------------------------------------------------- double reference

    public static void forwardReference(int outer, int axis, int inner, double[] x, double[] y) {
        String k = "Softmax.forwardReference";
        long total = validate(k, outer, axis, inner);
        checkArray(k, "x", x, total, outer, axis, inner);
        checkArray(k, "y", y, total, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * axis * inner + j;
                double max = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < axis; a++) max = Math.max(max, x[base + a * inner]);
                double sum = 0;
                for (int a = 0; a < axis; a++) {
                    double e = Math.exp(x[base + a * inner] - max);
                    y[base + a * inner] = e;
                    sum += e;
                }
                for (int a = 0; a < axis; a++) y[base + a * inner] /= sum;
            }
        }
    }

    public static void backwardReference(int outer, int axis, int inner, double[] y, double[] dy, double[] dx) {
        String k = "Softmax.backwardReference";
        long total = validate(k, outer, axis, inner);
        checkArray(k, "y", y, total, outer, axis, inner);
        checkArray(k, "dy", dy, total, outer, axis, inner);
        checkArray(k, "dx", dx, total, outer, axis, inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * axis * inner + j;
                double s = 0;
                for (int a = 0; a < axis; a++) s += dy[base + a * inner] * y[base + a * inner];
                for (int a = 0; a < axis; a++) dx[base + a * inner] += y[base + a * inner] * (dy[base + a * inner] - s);
            }
        }
    }
}
