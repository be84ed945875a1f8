package sonogate.kernels;

import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.MAX;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over the middle axis of a contiguous [outer, axis, inner] array (numerically stable).
 * backward ADDS y * (dy - sum(dy * y over axis)) into dx.
 *
 * <p>forward subtracts the maximum over the axis before exp, so logits of any magnitude give no
 * NaN or overflow. With inner = 1 a row is contiguous: vector max, then exp + store + sum (float
 * vector partials widened to a double vector every 1024, its lanes added in lane order), then
 * scale by 1/sum.
 * With inner &gt; 1 the lanes run along inner and the three passes step through the axis, so each
 * lane is one softmax column; the columns past the last whole vector run the same operations in
 * scalar code. exp is {@link VectorMath}'s and no sum depends on the JIT's lane order, so results are
 * the same interpreted or compiled. y may alias x. Work is split over {@link Parallel} by rows /
 * column blocks above 64K elements.
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
                    long base = (long) o * axis * inner + j;
                    if (j + L <= inner) forwardColumns(axis, inner, x, y, base);
                    else for (int c = 0; c < inner - j; c++) forwardColumn(axis, inner, x, y, base + c);
                }
            }, outer * cb, x, y);
        }
    }

    /**
     * One contiguous row: vector max, then e = exp(x - max) stored in y and summed, then y scaled by
     * 1 / sum. Three methods with scalar signatures, so that C2 compiles the exp loop, 20-odd Vector
     * API operations, on its own when it must (see VectorMath).
     */
    private static void forwardRow(int n, MemorySegment x, MemorySegment y, long base) {
        float max = rowMax(n, x, base);
        double sum = expRow(n, x, y, base, max);
        scaleRow(n, y, base, (float) (1 / sum));
    }

    private static float rowMax(int n, MemorySegment x, long base) {
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0, end = n & -L;
        for (; i < end; i += L) mv = mv.max(FloatVector.fromMemorySegment(F, x, (base + i) * Float.BYTES, Simd.ORDER));
        float max = mv.reduceLanes(MAX);                                  // exact in any order
        for (; i < n; i++) max = Math.max(max, Simd.get(x, base + i));
        return max;
    }

    /**
     * y = exp(x - max) (VectorMath; its scalar twin in the tail), returning the sum:
     * float vector partials per 1024, widened into a double vector whose lanes are added in lane order.
     */
    private static double expRow(int n, MemorySegment x, MemorySegment y, long base, float max) {
        FloatVector maxV = FloatVector.broadcast(F, max);
        DoubleVector sums = DoubleVector.zero(Simd.D);
        int i = 0, end = n & -L;
        while (i < end) {
            int blockEnd = Math.min(end, i + 1024);
            FloatVector s = FloatVector.zero(F);
            for (; i < blockEnd; i += L) {
                long at = (base + i) * Float.BYTES;
                FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(F, x, at, Simd.ORDER).sub(maxV));
                e.intoMemorySegment(y, at, Simd.ORDER);
                s = s.add(e);
            }
            sums = sums.add(s.convertShape(F2D, Simd.D, 0)).add(s.convertShape(F2D, Simd.D, 1));
        }
        double sum = 0;
        for (int l = 0; l < Simd.D.length(); l++) sum += sums.lane(l);   // lane order, not the JIT's
        for (; i < n; i++) {
            float e = VectorMath.exp(Simd.get(x, base + i) - max);
            Simd.set(y, base + i, e);
            sum += e;
        }
        return sum;
    }

    private static void scaleRow(int n, MemorySegment y, long base, float inv) {
        int i = 0, end = n & -L;
        for (; i < end; i += L) {
            long at = (base + i) * Float.BYTES;
            FloatVector.fromMemorySegment(F, y, at, Simd.ORDER).mul(inv).intoMemorySegment(y, at, Simd.ORDER);
        }
        for (; i < n; i++) Simd.set(y, base + i, Simd.get(y, base + i) * inv);
    }

    /** L softmax columns starting at {@code base} (each lane is one column). */
    private static void forwardColumns(int axis, int inner, MemorySegment x, MemorySegment y, long base) {
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        long p = base;
        for (int a = 0; a < axis; a++, p += inner) mx = mx.max(FloatVector.fromMemorySegment(F, x, p * Float.BYTES, Simd.ORDER));
        FloatVector s = FloatVector.zero(F);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) {
            long at = p * Float.BYTES;
            FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(F, x, at, Simd.ORDER).sub(mx));
            e.intoMemorySegment(y, at, Simd.ORDER);
            s = s.add(e);
        }
        FloatVector inv = FloatVector.broadcast(F, 1f).div(s);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) {
            long at = p * Float.BYTES;
            FloatVector.fromMemorySegment(F, y, at, Simd.ORDER).mul(inv).intoMemorySegment(y, at, Simd.ORDER);
        }
    }

    /** One softmax column (the ragged end of inner): the operations of a lane of {@link #forwardColumns}, so the same bits. */
    private static void forwardColumn(int axis, int inner, MemorySegment x, MemorySegment y, long base) {
        float max = Float.NEGATIVE_INFINITY, s = 0f;
        for (int a = 0; a < axis; a++) max = Math.max(max, Simd.get(x, base + (long) a * inner));
        for (int a = 0; a < axis; a++) {
            float e = VectorMath.exp(Simd.get(x, base + (long) a * inner) - max);
            Simd.set(y, base + (long) a * inner, e);
            s += e;
        }
        float inv = 1f / s;
        for (int a = 0; a < axis; a++) Simd.set(y, base + (long) a * inner, Simd.get(y, base + (long) a * inner) * inv);
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
                    long base = (long) o * axis * inner + j;
                    if (j + L <= inner) backwardColumns(axis, inner, y, dy, dx, base);
                    else for (int c = 0; c < inner - j; c++) backwardColumn(axis, inner, y, dy, dx, base + c);
                }
            }, outer * cb, y, dy, dx);
        }
    }

    // Scalar tails: masked vector tails here pushed the method past C2's inlining budget (boxing).
    private static void backwardRow(int n, MemorySegment y, MemorySegment dy, MemorySegment dx, long base) {
        DoubleVector dots = DoubleVector.zero(Simd.D);
        int end = n & -L;
        for (int i = 0; i < end; ) {
            int blockEnd = Math.min(end, i + 1024);
            FloatVector s = FloatVector.zero(F);
            for (; i < blockEnd; i += L) s = Simd.load(y, base + i).fma(Simd.load(dy, base + i), s);
            dots = dots.add(s.convertShape(F2D, Simd.D, 0)).add(s.convertShape(F2D, Simd.D, 1));
        }
        double dot = 0;
        for (int l = 0; l < Simd.D.length(); l++) dot += dots.lane(l);   // lane order, not the JIT's
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

    // Full vectors of columns and scalar ragged columns: masked loads and stores here cost so many C2
    // nodes that the kernel was not intrinsified (boxing).
    private static void backwardColumns(int axis, int inner, MemorySegment y, MemorySegment dy, MemorySegment dx, long base) {
        FloatVector s = FloatVector.zero(F);
        long p = base;
        for (int a = 0; a < axis; a++, p += inner) s = Simd.load(y, p).fma(Simd.load(dy, p), s);
        p = base;
        for (int a = 0; a < axis; a++, p += inner) Simd.store(Simd.load(dx, p).add(Simd.load(dy, p).sub(s).mul(Simd.load(y, p))), dx, p);
    }

    /** One column: the operations of a lane of {@link #backwardColumns}, so the same bits. */
    private static void backwardColumn(int axis, int inner, MemorySegment y, MemorySegment dy, MemorySegment dx, long base) {
        float s = 0f;
        for (int a = 0; a < axis; a++) s = Math.fma(Simd.get(y, base + (long) a * inner), Simd.get(dy, base + (long) a * inner), s);
        for (int a = 0; a < axis; a++) {
            long p = base + (long) a * inner;
            Simd.set(dx, p, Simd.get(dx, p) + (Simd.get(dy, p) - s) * Simd.get(y, p));
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
