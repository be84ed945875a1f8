package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * dst[i . dstStrides] (=|+=) src[i . srcStrides] for every index i of {@code shape} (any rank).
 * Covers transpose, contiguous copies of views, concat/split, and with accumulate and a 0 stride
 * in dst, the sum over broadcast dimensions that gradients of broadcast ops need.
 *
 * <p>Semantics are those of the sequential loop over i in row-major order (the reference): with
 * accumulate every source element is added into its dst element; without it, a dst element that
 * several i map to (a 0 dst stride) ends up holding the last one.
 *
 * <p>Size-1 dims are dropped and neighbours contiguous in both operands are merged; then each
 * innermost run is a bulk {@link MemorySegment#copy} (strides 1/1, plain copy), a vector add
 * (1/1, accumulate), a broadcast fill (src stride 0), a vector sum into one dst element (dst stride
 * 0, accumulate), or a scalar strided loop. Above 64K elements the work is split over
 * {@link Parallel} along a dim whose slices write provably disjoint dst elements (dst strides that
 * do not overlap, split dim with nonzero dst stride), so two threads never add into one element;
 * when no such dim exists it runs on one thread.
 */
public final class StridedCopy {
    private StridedCopy() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;

    public static void copy(int[] shape, MemorySegment src, long srcOff, long[] srcStrides,
                            MemorySegment dst, long dstOff, long[] dstStrides, boolean accumulate) {
        String k = "StridedCopy.copy";
        long total = ElementwiseArgs.shape(k, shape);
        ElementwiseArgs.strides(k, "src", shape, srcStrides);
        ElementwiseArgs.strides(k, "dst", shape, dstStrides);
        if (src == null || dst == null) throw new IllegalArgumentException(k + ": null segment for shape " + Arrays.toString(shape));
        ElementwiseArgs.extent(k, "src", shape, srcOff, srcStrides, ElementwiseArgs.floats(src), total);
        ElementwiseArgs.extent(k, "dst", shape, dstOff, dstStrides, ElementwiseArgs.floats(dst), total);
        if (total == 0) return;

        int r = 0;
        long[] size = new long[shape.length + 1], ss = new long[shape.length + 1], ds = new long[shape.length + 1];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && ss[r - 1] == srcStrides[d] * shape[d] && ds[r - 1] == dstStrides[d] * shape[d]) {
                size[r - 1] *= shape[d];
                ss[r - 1] = srcStrides[d];
                ds[r - 1] = dstStrides[d];
            } else {
                size[r] = shape[d];
                ss[r] = srcStrides[d];
                ds[r] = dstStrides[d];
                r++;
            }
        }
        if (r == 0) { size[0] = 1; r = 1; }
        final int rank = r;

        int p = ElementwiseArgs.parallel(total, src, dst) ? splitDim(rank, size, ds) : -1;
        if (p < 0) {
            serial(rank, size, src, srcOff, ss, dst, dstOff, ds, accumulate);
            return;
        }
        // Move dim p to the front (the others keep their order, so writes to one dst element keep
        // their sequential order) and split its index range over threads.
        long[] sz = new long[rank], s2 = new long[rank], d2 = new long[rank];
        sz[0] = size[p]; s2[0] = ss[p]; d2[0] = ds[p];
        for (int d = 0, j = 1; d < rank; d++) {
            if (d == p) continue;
            sz[j] = size[d]; s2[j] = ss[d]; d2[j] = ds[d]; j++;
        }
        long slice = total / sz[0];
        int grain = (int) Math.max(1, ElementwiseArgs.PARALLEL_MIN / 2 / slice);
        Parallel.forRange((int) sz[0], grain, (lo, hi) -> {
            long[] szl = sz.clone();
            szl[0] = hi - lo;
            serial(rank, szl, src, srcOff + lo * s2[0], s2, dst, dstOff + lo * d2[0], d2, accumulate);
        });
    }

    /**
     * A dim to split over threads such that different indices of it write disjoint dst elements,
     * or -1. Requires the dims with nonzero dst stride to be non-overlapping (sorted by |stride|,
     * each stride exceeds the span of the smaller ones), then picks the outermost such dim with at
     * least {@link Parallel#threads()} indices; the innermost dim only when it is the only one,
     * since moving it outward would turn the vectorised inner run into a strided loop.
     */
    private static int splitDim(int rank, long[] size, long[] ds) {
        Integer[] order = new Integer[rank];
        for (int d = 0; d < rank; d++) order[d] = d;
        Arrays.sort(order, (x, y) -> Long.compare(Math.abs(ds[x]), Math.abs(ds[y])));
        long span = 0;
        for (int d : order) {
            long s = Math.abs(ds[d]);
            if (s == 0) continue;
            if (s <= span) return -1;
            span += (size[d] - 1) * s;
        }
        int last = rank == 1 ? 0 : rank - 2;
        for (int d = 0; d <= last; d++) {
            if (ds[d] != 0 && size[d] >= Parallel.threads() && size[d] <= Integer.MAX_VALUE) return d;
        }
        return -1;
    }

    private static void serial(int rank, long[] size, MemorySegment src, long so, long[] ss,
                               MemorySegment dst, long dof, long[] ds, boolean acc) {
        int in = rank - 1;
        long rows = 1;
        for (int d = 0; d < in; d++) rows *= size[d];
        long[] idx = new long[rank];
        long si = so, di = dof;
        for (long row = 0; row < rows; row++) {
            run(size[in], src, si, ss[in], dst, di, ds[in], acc);
            for (int d = in - 1; d >= 0; d--) {
                si += ss[d];
                di += ds[d];
                if (++idx[d] < size[d]) break;
                si -= size[d] * ss[d];
                di -= size[d] * ds[d];
                idx[d] = 0;
            }
        }
    }

    private static void run(long n, MemorySegment src, long si, long ss, MemorySegment dst, long di, long ds, boolean acc) {
        if (ss == 1 && ds == 1) {
            if (!acc) {
                MemorySegment.copy(src, si * Float.BYTES, dst, di * Float.BYTES, n * Float.BYTES);
                return;
            }
            long i = 0, end = n & -L;
            for (; i < end; i += L) Simd.store(Simd.load(dst, di + i).add(Simd.load(src, si + i)), dst, di + i);
            if (i < n) {
                VectorMask<Float> m = F.indexInRange(i, n);
                Unary.store(Unary.load(dst, di + i, m).add(Unary.load(src, si + i, m)), dst, di + i, m);
            }
        } else if (ss == 0 && ds == 1) {
            float s = Simd.get(src, si);
            long i = 0, end = n & -L;
            if (acc) {
                for (; i < end; i += L) Simd.store(Simd.load(dst, di + i).add(s), dst, di + i);
                if (i < n) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    Unary.store(Unary.load(dst, di + i, m).add(s), dst, di + i, m);
                }
            } else {
                FloatVector v = FloatVector.broadcast(F, s);
                for (; i < end; i += L) Simd.store(v, dst, di + i);
                if (i < n) Unary.store(v, dst, di + i, F.indexInRange(i, n));
            }
        } else if (ds == 0) {
            if (!acc) {
                Simd.set(dst, di, Simd.get(src, si + (n - 1) * ss));
            } else if (ss == 0) {
                Simd.set(dst, di, Simd.get(dst, di) + n * Simd.get(src, si));
            } else if (ss == 1) {
                Simd.set(dst, di, (float) (Simd.get(dst, di) + sumRun(n, src, si)));
            } else {
                double sum = 0;
                for (long i = 0; i < n; i++) sum += Simd.get(src, si + i * ss);
                Simd.set(dst, di, (float) (Simd.get(dst, di) + sum));
            }
        } else if (acc) {
            for (long i = 0; i < n; i++) Simd.set(dst, di + i * ds, Simd.get(dst, di + i * ds) + Simd.get(src, si + i * ss));
        } else {
            for (long i = 0; i < n; i++) Simd.set(dst, di + i * ds, Simd.get(src, si + i * ss));
        }
    }

    /**
     * Sum of n contiguous floats: float vector partial sums over blocks of 1024, widened into a double
     * vector whose lanes are added in lane order (reduceLanes' order depends on the JIT tier).
     */
    static double sumRun(long n, MemorySegment x, long xi) {
        DoubleVector sums = DoubleVector.zero(Simd.D);
        long i = 0;
        while (i < n) {
            long blockEnd = Math.min(n, i + 1024), end = i + ((blockEnd - i) & -L);
            FloatVector acc = FloatVector.zero(F);
            for (; i < end; i += L) acc = acc.add(Simd.load(x, xi + i));
            if (i < blockEnd) {
                acc = acc.add(Unary.load(x, xi + i, F.indexInRange(i, blockEnd)));
                i = blockEnd;
            }
            sums = sums.add(acc.convertShape(VectorOperators.F2D, Simd.D, 0)).add(acc.convertShape(VectorOperators.F2D, Simd.D, 1));
        }
        double total = 0;
        for (int l = 0; l < Simd.D.length(); l++) total += sums.lane(l);
        return total;
    }

    // ---------------------------------------------------------------- double reference

    public static void copyReference(int[] shape, double[] src, long srcOff, long[] srcStrides,
                                     double[] dst, long dstOff, long[] dstStrides, boolean accumulate) {
        String k = "StridedCopy.copyReference";
        long total = ElementwiseArgs.shape(k, shape);
        ElementwiseArgs.strides(k, "src", shape, srcStrides);
        ElementwiseArgs.strides(k, "dst", shape, dstStrides);
        if (src == null || dst == null) throw new IllegalArgumentException(k + ": null array for shape " + Arrays.toString(shape));
        ElementwiseArgs.extent(k, "src", shape, srcOff, srcStrides, src.length, total);
        ElementwiseArgs.extent(k, "dst", shape, dstOff, dstStrides, dst.length, total);
        if (total == 0) return;
        int rank = shape.length;
        int[] idx = new int[rank];
        for (long flat = 0; flat < total; flat++) {
            long si = srcOff, di = dstOff;
            for (int d = 0; d < rank; d++) {
                si += idx[d] * srcStrides[d];
                di += idx[d] * dstStrides[d];
            }
            if (accumulate) dst[(int) di] += src[(int) si];
            else dst[(int) di] = src[(int) si];
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }
}
