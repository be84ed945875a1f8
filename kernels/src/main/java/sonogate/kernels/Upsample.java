package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Nearest-neighbour x2 upsampling of {@code planes} planes of h x w; backward ADDS into dx.
 * y[p, 2i + a, 2j + b] = x[p, i, j] for a, b in {0, 1}; dx[p, i, j] += the sum of those four dy.
 *
 * <p>forward: one input vector is spread to two output vectors with lane shuffles (0,0,1,1,...) and
 * stored into both output rows. backward: the two dy rows are added, then even and odd lanes of
 * each pair of vectors are gathered with in-range shuffles and a half blend, and added. Scalar
 * tails; parallel over planes when the call is big.
 */
public final class Upsample {
    private Upsample() {}

    private static final long PARALLEL_MIN = 1 << 15;
    private static final int L = Simd.LANES;
    private static final VectorShuffle<Float> DUP_LO = VectorShuffle.fromOp(Simd.F, i -> i / 2);
    private static final VectorShuffle<Float> DUP_HI = VectorShuffle.fromOp(Simd.F, i -> L / 2 + i / 2);
    /** Lane i < L/2 takes lane 2i (evens of the first vector); lane i >= L/2 takes lane 2i - L (evens of the second). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(Simd.F, i -> (2 * i) % L);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(Simd.F, i -> (2 * i + 1) % L);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(Simd.F, ((1L << L) - 1) & ~((1L << (L / 2)) - 1));

    public static void forward(int planes, int h, int w, MemorySegment x, MemorySegment y) {
        check(planes, h, w, x, 1, "x");
        check(planes, h, w, y, 4, "y");
        Parallel.forRange(planes, SegmentThreads.grain(grain(h, w), planes, x, y), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < h; i++) {
                    long src = ((long) p * h + i) * w;
                    long r0 = ((long) p * 2 * h + 2 * i) * 2L * w, r1 = r0 + 2L * w;
                    int j = 0;
                    for (; j <= w - L; j += L) {
                        FloatVector v = Simd.load(x, src + j);
                        FloatVector a = v.rearrange(DUP_LO), b = v.rearrange(DUP_HI);
                        Simd.store(a, y, r0 + 2L * j);
                        Simd.store(b, y, r0 + 2L * j + L);
                        Simd.store(a, y, r1 + 2L * j);
                        Simd.store(b, y, r1 + 2L * j + L);
                    }
                    for (; j < w; j++) {
                        float v = x.getAtIndex(Simd.FLOAT, src + j);
                        y.setAtIndex(Simd.FLOAT, r0 + 2L * j, v);
                        y.setAtIndex(Simd.FLOAT, r0 + 2L * j + 1, v);
                        y.setAtIndex(Simd.FLOAT, r1 + 2L * j, v);
                        y.setAtIndex(Simd.FLOAT, r1 + 2L * j + 1, v);
                    }
                }
            }
        });
    }

    public static void backward(int planes, int h, int w, MemorySegment dy, MemorySegment dx) {
        check(planes, h, w, dx, 1, "dx");
        check(planes, h, w, dy, 4, "dy");
        Parallel.forRange(planes, SegmentThreads.grain(grain(h, w), planes, dy, dx), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < h; i++) {
                    long dst = ((long) p * h + i) * w;
                    long r0 = ((long) p * 2 * h + 2 * i) * 2L * w, r1 = r0 + 2L * w;
                    int j = 0;
                    for (; j <= w - L; j += L) {
                        FloatVector a = Simd.load(dy, r0 + 2L * j).add(Simd.load(dy, r1 + 2L * j));
                        FloatVector b = Simd.load(dy, r0 + 2L * j + L).add(Simd.load(dy, r1 + 2L * j + L));
                        FloatVector even = a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER);
                        FloatVector odd = a.rearrange(ODD).blend(b.rearrange(ODD), UPPER);
                        Simd.store(Simd.load(dx, dst + j).add(even.add(odd)), dx, dst + j);
                    }
                    for (; j < w; j++) {
                        float s = dy.getAtIndex(Simd.FLOAT, r0 + 2L * j) + dy.getAtIndex(Simd.FLOAT, r0 + 2L * j + 1)
                                + dy.getAtIndex(Simd.FLOAT, r1 + 2L * j) + dy.getAtIndex(Simd.FLOAT, r1 + 2L * j + 1);
                        dx.setAtIndex(Simd.FLOAT, dst + j, dx.getAtIndex(Simd.FLOAT, dst + j) + s);
                    }
                }
            }
        });
    }

    private static int grain(int h, int w) {
        return (int) Math.max(1, PARALLEL_MIN / Math.max(1, (long) h * w * 4));
    }

    private static void check(int planes, int h, int w, MemorySegment seg, int mult, String name) {
        if (planes <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("upsample: invalid shape planes=" + planes + " h=" + h + " w=" + w);
        }
        long need = (long) planes * h * w * mult;
        if (seg == null || seg.byteSize() < need * Float.BYTES) {
            throw new IllegalArgumentException("upsample [" + planes + "," + h + "," + w + "]: " + name + " holds "
                    + (seg == null ? 0 : seg.byteSize() / Float.BYTES) + " floats, needs " + need);
        }
    }

    public static void forwardReference(int planes, int h, int w, double[] x, double[] y) {
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < 2 * h; i++)
                for (int j = 0; j < 2 * w; j++)
                    y[(p * 2 * h + i) * 2 * w + j] = x[(p * h + i / 2) * w + j / 2];
    }

    public static void backwardReference(int planes, int h, int w, double[] dy, double[] dx) {
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < 2 * h; i++)
                for (int j = 0; j < 2 * w; j++)
                    dx[(p * h + i / 2) * w + j / 2] += dy[(p * 2 * h + i) * 2 * w + j];
    }
}
