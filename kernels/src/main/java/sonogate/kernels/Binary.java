package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = a (op) b over a 4-D output {@code shape}; a and b are read through element strides where a
 * stride of 0 broadcasts that dimension. y is contiguous and overwritten. Offsets are in elements.
 *
 * <p>Any rank works (the model uses 4); strides must have the rank of {@code shape} and may be
 * negative. Size-1 dims are dropped and adjacent dims that are contiguous relative to each other
 * in both operands are merged, so the common cases reduce to one inner run per row: all contiguous
 * same shape becomes a single run; per-channel b ([1,C,1,1] or [N,C,1,1]) becomes runs of H*W
 * against a broadcast scalar; a scalar b becomes one run against a scalar. Runs are vectorised
 * when the inner strides are (1,1), (1,0), (0,1) or (0,0), and a scalar strided loop otherwise.
 * Outputs above 64K elements are split into equal flat ranges over {@link Parallel}.
 */
public final class Binary {
    private Binary() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;
    private static final String[] NAMES = {"Binary.forward(ADD)", "Binary.forward(SUB)", "Binary.forward(MUL)", "Binary.forward(DIV)"};

    public static void forward(BinaryOp op, int[] shape, MemorySegment a, long aOff, long[] aStrides,
                               MemorySegment b, long bOff, long[] bStrides, MemorySegment y) {
        if (op == null) throw new IllegalArgumentException("Binary.forward: op is null");
        String k = NAMES[op.ordinal()];
        long total = validate(k, op, shape, aOff, aStrides, bOff, bStrides);
        if (a == null || b == null || y == null) throw new IllegalArgumentException(k + ": null segment for shape " + java.util.Arrays.toString(shape));
        ElementwiseArgs.extent(k, "a", shape, aOff, aStrides, ElementwiseArgs.floats(a), total);
        ElementwiseArgs.extent(k, "b", shape, bOff, bStrides, ElementwiseArgs.floats(b), total);
        if (ElementwiseArgs.floats(y) < total) {
            throw new IllegalArgumentException(k + ": y holds " + ElementwiseArgs.floats(y) + " floats but shape "
                    + java.util.Arrays.toString(shape) + " needs " + total);
        }
        if (total == 0) return;

        // Coalesce: drop size-1 dims, merge neighbours contiguous in both operands.
        int r = 0;
        long[] size = new long[shape.length + 1], sa = new long[shape.length + 1], sb = new long[shape.length + 1];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0 && sa[r - 1] == aStrides[d] * shape[d] && sb[r - 1] == bStrides[d] * shape[d]) {
                size[r - 1] *= shape[d];
                sa[r - 1] = aStrides[d];
                sb[r - 1] = bStrides[d];
            } else {
                size[r] = shape[d];
                sa[r] = aStrides[d];
                sb[r] = bStrides[d];
                r++;
            }
        }
        if (r == 0) { size[0] = 1; r = 1; }
        final int rank = r;
        final int opc = op.ordinal();
        ElementwiseArgs.forRange(total, (lo, hi) -> range(opc, rank, size, a, aOff, sa, b, bOff, sb, y, lo, hi), a, b, y);
    }

    private static long validate(String k, BinaryOp op, int[] shape, long aOff, long[] aStrides, long bOff, long[] bStrides) {
        if (op == null) throw new IllegalArgumentException("Binary: op is null");
        long total = ElementwiseArgs.shape(k, shape);
        ElementwiseArgs.strides(k, "a", shape, aStrides);
        ElementwiseArgs.strides(k, "b", shape, bStrides);
        return total;
    }

    /** Output elements [lo, hi) of the coalesced problem. */
    private static void range(int op, int rank, long[] size, MemorySegment a, long aOff, long[] sa,
                              MemorySegment b, long bOff, long[] sb, MemorySegment y, long lo, long hi) {
        int in = rank - 1;
        long len = size[in];
        long row = lo / len, col = lo % len;
        long[] idx = new long[rank];
        long ai = aOff, bi = bOff;
        long rem = row;
        for (int d = in - 1; d >= 0; d--) {
            idx[d] = rem % size[d];
            rem /= size[d];
            ai += idx[d] * sa[d];
            bi += idx[d] * sb[d];
        }
        long yi = lo;
        while (yi < hi) {
            long n = Math.min(len - col, hi - yi);
            run(op, n, a, ai + col * sa[in], sa[in], b, bi + col * sb[in], sb[in], y, yi);
            yi += n;
            col = 0;
            for (int d = in - 1; d >= 0; d--) {   // odometer over the outer dims
                ai += sa[d];
                bi += sb[d];
                if (++idx[d] < size[d]) break;
                ai -= size[d] * sa[d];
                bi -= size[d] * sb[d];
                idx[d] = 0;
            }
        }
    }

    private static void run(int op, long n, MemorySegment a, long ai, long sa, MemorySegment b, long bi, long sb,
                            MemorySegment y, long yi) {
        if (sa == 1 && sb == 1) vv(op, n, a, ai, b, bi, y, yi);
        else if (sa == 1 && sb == 0) vs(op, n, a, ai, Simd.get(b, bi), y, yi);
        else if (sa == 0 && sb == 1) sv(op, n, Simd.get(a, ai), b, bi, y, yi);
        else if (sa == 0 && sb == 0) {
            FloatVector v = FloatVector.broadcast(F, apply(op, Simd.get(a, ai), Simd.get(b, bi)));
            long i = 0, end = n & -L;
            for (; i < end; i += L) Simd.store(v, y, yi + i);
            if (i < n) Unary.store(v, y, yi + i, F.indexInRange(i, n));
        } else {
            for (long i = 0; i < n; i++) Simd.set(y, yi + i, apply(op, Simd.get(a, ai + i * sa), Simd.get(b, bi + i * sb)));
        }
    }

    private static float apply(int op, float a, float b) {
        return switch (op) {
            case 0 -> a + b;
            case 1 -> a - b;
            case 2 -> a * b;
            default -> a / b;
        };
    }

    // One small method per (layout, op): every lanewise operator is a JIT constant, and no compiled
    // unit holds more than one vector loop. Larger methods (four loops plus a masked tail) ran out
    // of C2's inlining budget for whichever ops were compiled last, and their vectors were boxed.
    // Tails (fewer than one vector) are scalar.
    private static void vv(int op, long n, MemorySegment a, long ai, MemorySegment b, long bi, MemorySegment y, long yi) {
        long end = n & -L;
        switch (op) {
            case 0 -> addVV(end, a, ai, b, bi, y, yi);
            case 1 -> subVV(end, a, ai, b, bi, y, yi);
            case 2 -> mulVV(end, a, ai, b, bi, y, yi);
            default -> divVV(end, a, ai, b, bi, y, yi);
        }
        for (long i = end; i < n; i++) Simd.set(y, yi + i, apply(op, Simd.get(a, ai + i), Simd.get(b, bi + i)));
    }

    private static void vs(int op, long n, MemorySegment a, long ai, float s, MemorySegment y, long yi) {
        long end = n & -L;
        switch (op) {
            case 0 -> addVS(end, a, ai, s, y, yi);
            case 1 -> addVS(end, a, ai, -s, y, yi);
            case 2 -> mulVS(end, a, ai, s, y, yi);
            default -> divVS(end, a, ai, s, y, yi);
        }
        for (long i = end; i < n; i++) Simd.set(y, yi + i, apply(op, Simd.get(a, ai + i), s));
    }

    private static void sv(int op, long n, float s, MemorySegment b, long bi, MemorySegment y, long yi) {
        long end = n & -L;
        switch (op) {
            case 0 -> addVS(end, b, bi, s, y, yi);
            case 1 -> subSV(end, s, b, bi, y, yi);
            case 2 -> mulVS(end, b, bi, s, y, yi);
            default -> divSV(end, s, b, bi, y, yi);
        }
        for (long i = end; i < n; i++) Simd.set(y, yi + i, apply(op, s, Simd.get(b, bi + i)));
    }

    private static void addVV(long end, MemorySegment a, long ai, MemorySegment b, long bi, MemorySegment y, long yi) {
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).add(Simd.load(b, bi + i)), y, yi + i);
    }

    private static void subVV(long end, MemorySegment a, long ai, MemorySegment b, long bi, MemorySegment y, long yi) {
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).sub(Simd.load(b, bi + i)), y, yi + i);
    }

    private static void mulVV(long end, MemorySegment a, long ai, MemorySegment b, long bi, MemorySegment y, long yi) {
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).mul(Simd.load(b, bi + i)), y, yi + i);
    }

    private static void divVV(long end, MemorySegment a, long ai, MemorySegment b, long bi, MemorySegment y, long yi) {
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).div(Simd.load(b, bi + i)), y, yi + i);
    }

    private static void addVS(long end, MemorySegment a, long ai, float s, MemorySegment y, long yi) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).add(v), y, yi + i);
    }

    private static void mulVS(long end, MemorySegment a, long ai, float s, MemorySegment y, long yi) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).mul(v), y, yi + i);
    }

    private static void divVS(long end, MemorySegment a, long ai, float s, MemorySegment y, long yi) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (long i = 0; i < end; i += L) Simd.store(Simd.load(a, ai + i).div(v), y, yi + i);
    }

    private static void subSV(long end, float s, MemorySegment b, long bi, MemorySegment y, long yi) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (long i = 0; i < end; i += L) Simd.store(v.sub(Simd.load(b, bi + i)), y, yi + i);
    }

    private static void divSV(long end, float s, MemorySegment b, long bi, MemorySegment y, long yi) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (long i = 0; i < end; i += L) Simd.store(v.div(Simd.load(b, bi + i)), y, yi + i);
    }

    // ---------------------------------------------------------------- double reference

    public static void forwardReference(BinaryOp op, int[] shape, double[] a, long aOff, long[] aStrides,
                                        double[] b, long bOff, long[] bStrides, double[] y) {
        String k = "Binary.forwardReference(" + op + ")";
        long total = validate(k, op, shape, aOff, aStrides, bOff, bStrides);
        if (a == null || b == null || y == null) throw new IllegalArgumentException(k + ": null array for shape " + java.util.Arrays.toString(shape));
        ElementwiseArgs.extent(k, "a", shape, aOff, aStrides, a.length, total);
        ElementwiseArgs.extent(k, "b", shape, bOff, bStrides, b.length, total);
        ElementwiseArgs.array(k, "y", y, total);
        if (total == 0) return;
        int rank = shape.length;
        int[] idx = new int[rank];
        for (long flat = 0; flat < total; flat++) {
            long ai = aOff, bi = bOff;
            for (int d = 0; d < rank; d++) {
                ai += idx[d] * aStrides[d];
                bi += idx[d] * bStrides[d];
            }
            double va = a[(int) ai], vb = b[(int) bi];
            y[(int) flat] = switch (op) {
                case ADD -> va + vb;
                case SUB -> va - vb;
                case MUL -> va * vb;
                case DIV -> va / vb;
            };
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }
}
