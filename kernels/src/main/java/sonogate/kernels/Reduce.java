package sonogate.kernels;

import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over n contiguous floats, accumulated in double for accuracy, plus the L1 gradient.
 *
 * <p>Each block of 1024 floats is summed in two float vector accumulators, whose sum is widened
 * to doubles and added lane by lane to a double vector; a range's result is that vector's lanes
 * added in lane order. The array is cut into chunks of 64K elements (a fixed size, not one per
 * thread) whose doubles are added in chunk order. Every result is therefore the same bits whatever
 * the thread count, the scheduling or the JIT tier.
 */
public final class Reduce {
    private Reduce() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;
    private static final VectorSpecies<Double> D = Simd.D;
    private static final int BLOCK = 1024;
    /** Elements per parallel chunk: fixed, so how the sums are grouped does not depend on the thread count. */
    private static final long CHUNK = 64L * BLOCK;

    private interface Partial {
        double run(long lo, long hi);
    }

    private static double reduce(long n, Partial body, MemorySegment... segs) {
        long chunks = (n + CHUNK - 1) / CHUNK;
        if (chunks <= 1) return body.run(0, n);
        double[] part = new double[Math.toIntExact(chunks)];
        if (ElementwiseArgs.parallel(n, segs)) {
            Parallel.forChunks(part.length, c -> part[c] = body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
        } else {
            for (int c = 0; c < part.length; c++) part[c] = body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK));
        }
        double s = 0;
        for (double p : part) s += p;
        return s;
    }

    /**
     * d's lanes added in lane order (reduceLanes(ADD) leaves the order to the JIT tier). Takes a
     * vector, so it runs once per range, after the loops: never inside one (see VectorMath).
     */
    private static double laneSum(DoubleVector d) {
        double s = 0;
        for (int l = 0; l < d.length(); l++) s += d.lane(l);
        return s;
    }

    public static double sum(long n, MemorySegment x) {
        ElementwiseArgs.count("Reduce.sum", n);
        ElementwiseArgs.segment("Reduce.sum", "x", x, n);
        return reduce(n, (lo, hi) -> {
            DoubleVector total = DoubleVector.zero(D);
            for (long i = lo; i < hi; ) {
                long bEnd = Math.min(hi, i + BLOCK), end = i + ((bEnd - i) & -(2L * L));
                FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                for (; i < end; i += 2 * L) {
                    s0 = s0.add(Simd.load(x, i));
                    s1 = s1.add(Simd.load(x, i + L));
                }
                for (; i < bEnd; i += L) s0 = s0.add(Unary.load(x, i, F.indexInRange(i, bEnd)));
                FloatVector s = s0.add(s1);
                total = total.add(s.convertShape(F2D, D, 0)).add(s.convertShape(F2D, D, 1));
            }
            return laneSum(total);
        }, x);
    }

    public static double dot(long n, MemorySegment a, MemorySegment b) {
        ElementwiseArgs.count("Reduce.dot", n);
        ElementwiseArgs.segment("Reduce.dot", "a", a, n);
        ElementwiseArgs.segment("Reduce.dot", "b", b, n);
        return reduce(n, (lo, hi) -> {
            DoubleVector total = DoubleVector.zero(D);
            for (long i = lo; i < hi; ) {
                long bEnd = Math.min(hi, i + BLOCK), end = i + ((bEnd - i) & -(2L * L));
                FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                for (; i < end; i += 2 * L) {
                    s0 = Simd.load(a, i).fma(Simd.load(b, i), s0);
                    s1 = Simd.load(a, i + L).fma(Simd.load(b, i + L), s1);
                }
                for (; i < bEnd; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, bEnd);
                    s0 = Unary.load(a, i, m).fma(Unary.load(b, i, m), s0);
                }
                FloatVector s = s0.add(s1);
                total = total.add(s.convertShape(F2D, D, 0)).add(s.convertShape(F2D, D, 1));
            }
            return laneSum(total);
        }, a, b);
    }

    /** sum |a - b|. */
    public static double l1(long n, MemorySegment a, MemorySegment b) {
        ElementwiseArgs.count("Reduce.l1", n);
        ElementwiseArgs.segment("Reduce.l1", "a", a, n);
        ElementwiseArgs.segment("Reduce.l1", "b", b, n);
        return reduce(n, (lo, hi) -> {
            DoubleVector total = DoubleVector.zero(D);
            for (long i = lo; i < hi; ) {
                long bEnd = Math.min(hi, i + BLOCK), end = i + ((bEnd - i) & -(2L * L));
                FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                for (; i < end; i += 2 * L) {
                    s0 = s0.add(Simd.load(a, i).sub(Simd.load(b, i)).abs());
                    s1 = s1.add(Simd.load(a, i + L).sub(Simd.load(b, i + L)).abs());
                }
                for (; i < bEnd; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, bEnd);
                    s0 = s0.add(Unary.load(a, i, m).sub(Unary.load(b, i, m)).abs());
                }
                FloatVector s = s0.add(s1);
                total = total.add(s.convertShape(F2D, D, 0)).add(s.convertShape(F2D, D, 1));
            }
            return laneSum(total);
        }, a, b);
    }

    /** da += scale * sign(a - b); db -= scale * sign(a - b). Either may be null. sign(0) = 0. */
    public static void l1Backward(long n, float scale, MemorySegment a, MemorySegment b, MemorySegment da, MemorySegment db) {
        String k = "Reduce.l1Backward";
        ElementwiseArgs.count(k, n);
        ElementwiseArgs.segment(k, "a", a, n);
        ElementwiseArgs.segment(k, "b", b, n);
        if (da != null) ElementwiseArgs.segment(k, "da", da, n);
        if (db != null) ElementwiseArgs.segment(k, "db", db, n);
        if (da == null && db == null) return;
        FloatVector pos = FloatVector.broadcast(F, scale), neg = FloatVector.broadcast(F, -scale), zero = FloatVector.zero(F);
        ElementwiseArgs.forRange(n, (lo, hi) -> {
            long i = lo, end = lo + ((hi - lo) & -L);
            for (; i < end; i += L) {
                FloatVector d = Simd.load(a, i).sub(Simd.load(b, i));
                FloatVector g = zero.blend(pos, d.compare(GT, 0f)).blend(neg, d.compare(LT, 0f));
                if (da != null) Simd.store(Simd.load(da, i).add(g), da, i);
                if (db != null) Simd.store(Simd.load(db, i).sub(g), db, i);
            }
            if (i < hi) {
                VectorMask<Float> m = F.indexInRange(i, hi);
                FloatVector d = Unary.load(a, i, m).sub(Unary.load(b, i, m));
                FloatVector g = zero.blend(pos, d.compare(GT, 0f)).blend(neg, d.compare(LT, 0f));
                if (da != null) Unary.store(Unary.load(da, i, m).add(g), da, i, m);
                if (db != null) Unary.store(Unary.load(db, i, m).sub(g), db, i, m);
            }
        }, a, b, da, db);
    }

    // ---------------------------------------------------------------- double reference

    public static double sumReference(int n, double[] x) {
        ElementwiseArgs.count("Reduce.sumReference", n);
        ElementwiseArgs.array("Reduce.sumReference", "x", x, n);
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i];
        return s;
    }

    public static double dotReference(int n, double[] a, double[] b) {
        ElementwiseArgs.count("Reduce.dotReference", n);
        ElementwiseArgs.array("Reduce.dotReference", "a", a, n);
        ElementwiseArgs.array("Reduce.dotReference", "b", b, n);
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i] * b[i];
        return s;
    }

    public static double l1Reference(int n, double[] a, double[] b) {
        ElementwiseArgs.count("Reduce.l1Reference", n);
        ElementwiseArgs.array("Reduce.l1Reference", "a", a, n);
        ElementwiseArgs.array("Reduce.l1Reference", "b", b, n);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.abs(a[i] - b[i]);
        return s;
    }

    public static void l1BackwardReference(int n, double scale, double[] a, double[] b, double[] da, double[] db) {
        String k = "Reduce.l1BackwardReference";
        ElementwiseArgs.count(k, n);
        ElementwiseArgs.array(k, "a", a, n);
        ElementwiseArgs.array(k, "b", b, n);
        if (da != null) ElementwiseArgs.array(k, "da", da, n);
        if (db != null) ElementwiseArgs.array(k, "db", db, n);
        for (int i = 0; i < n; i++) {
            double g = scale * Math.signum(a[i] - b[i]);
            if (da != null) da[i] += g;
            if (db != null) db[i] -= g;
        }
    }
}
