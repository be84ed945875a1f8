package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Float conv2d on the CPU. Segments start at element 0 of each contiguous NCHW tensor.
 * forward overwrites y; the backward passes ADD into dx / dw / db (autodiff accumulates).
 * bias and dbias may be null.
 *
 * <h2>Design</h2>
 * Every pass is im2col + one {@link Sgemm} call per sample, with the weights as the
 * [cout, cin*k*k] row-major matrix they already are:
 * <ul>
 * <li>forward: y_n[cout, HWo] = W x col_n; the bias is written into y first and the GEMM runs with
 *     beta = 1, so the bias costs one store-only pass instead of a read-modify-write pass after.</li>
 * <li>backwardData: dcol = W^T x dy_n (beta 0, into scratch), then col2im ADDs dcol into dx_n.</li>
 * <li>backwardWeight: dW += dy_n x col_n^T (beta 1, accumulating over samples); dbias += row sums.</li>
 * <li>k = 1, stride 1, padding 0: the input plane stack already is the column matrix, so no
 *     im2col at all; backwardData then GEMMs straight into dx with beta = 1.</li>
 * </ul>
 * The column matrix lives in {@link Scratch} slot {@link #COL_SLOT} of the calling thread (one
 * sample at a time, so a [cin*k*k, HWo] buffer, reused across calls: no native allocation in steady
 * state). im2col is parallel over column rows, col2im over input channels ({@link Im2col}); the
 * GEMM parallelises itself, so the two phases never nest.
 *
 * <h2>Thin full-resolution layers: direct kernel for the forward pass</h2>
 * With few output channels the GEMM's M is 1..24 (a poor fit for a 12-row register tile) while the
 * column matrix is cin*k*k x H*W floats that must be written and read back: im2col alone costs
 * about as much as the whole convolution. {@link ConvDirect} (zero-padded input copy, 4 output
 * channels x 32 pixels of accumulators, taps as unmasked vector loads) was measured against im2col
 * alone plus the GEMM estimated at 150 GFLOP/s (CPU-NOTES' 2-thread figure; optimistic for thin M).
 * Best of 41, 2 threads, shared 2-core Zen 4 VM (load average 4-9 at the time, so +-30%):
 * <pre>
 * shape                         direct   im2col   im2col + GEMM@150
 * [1,3,128,128] -> 8 k5         0.23 ms  0.44 ms  0.57 ms
 * [1,3,128,128] -> 24 k5        0.39 ms  0.39 ms  0.79 ms
 * [1,3,256,256] -> 48 k5        2.42 ms  0.44 ms  3.59 ms   (direct 195 GFLOP/s)
 * [1,12,128,128] -> 12 k3       0.38 ms  0.16 ms  0.45 ms
 * [1,24,128,128] -> 24 k3       1.22 ms  0.32 ms  1.45 ms
 * [1,12,256,256] -> 1 k3        0.72 ms  1.13 ms  1.23 ms   (Out layer; the GEMM is really a GEMV)
 * [1,24,256,256] -> 24 k3       6.17 ms  1.97 ms  6.50 ms
 * [1,48,256,256] -> 48 k3      23.6 ms   5.1 ms  23.2 ms    (tie: left to the GEMM)
 * </pre>
 * Decision ({@link ConvDirect#suits}): stride 1, k > 1, output rows at least one vector wide, and
 * either cout <= 24 with cin*k*k <= 216, or cout <= 64 with cin*k*k <= 75 (the 3-channel k5
 * input layers). Everything else, and all backward passes, use im2col + GEMM. Re-check the
 * thresholds once the real Sgemm lands: they were set against an estimate of it.
 */
public final class Conv2d {
    private Conv2d() {}

    /**
     * Scratch slot holding the column matrix. Sgemm (and anything Sgemm calls) must not use this
     * slot on the calling thread, because the column matrix is its B operand.
     */
    public static final int COL_SLOT = 3;

    public static void forward(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        checkCommon(g, x, "x", w, y, "y");
        if (bias != null) Im2col.checkFloats("bias", bias, g.outChannels(), g);
        if (ConvDirect.suits(g)) {
            ConvDirect.forward(g, x, w, bias, y);
            return;
        }
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        boolean pointwise = isPointwise(g);
        MemorySegment col = pointwise ? null : Scratch.floats(COL_SLOT, (long) kk * hwo);
        for (int n = 0; n < g.batch(); n++) {
            long yOff = n * yPer;
            float beta = 0f;
            if (bias != null) {
                fillBias(bias, co, hwo, y, yOff);
                beta = 1f;
            }
            if (pointwise) {
                Sgemm.sgemm(false, false, co, hwo, kk, 1f, w, 0, kk, x, n * xPer, hwo, beta, y, yOff, hwo);
            } else {
                Im2col.unfoldSample(g, x, n * xPer, col, 0);
                Sgemm.sgemm(false, false, co, hwo, kk, 1f, w, 0, kk, col, 0, hwo, beta, y, yOff, hwo);
            }
        }
    }

    public static void backwardData(ConvGeometry g, MemorySegment dy, MemorySegment w, MemorySegment dx) {
        checkCommon(g, dx, "dx", w, dy, "dy");
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        boolean pointwise = isPointwise(g);
        MemorySegment col = pointwise ? null : Scratch.floats(COL_SLOT, (long) kk * hwo);
        for (int n = 0; n < g.batch(); n++) {
            if (pointwise) {
                Sgemm.sgemm(true, false, kk, hwo, co, 1f, w, 0, kk, dy, n * yPer, hwo, 1f, dx, n * xPer, hwo);
            } else {
                Sgemm.sgemm(true, false, kk, hwo, co, 1f, w, 0, kk, dy, n * yPer, hwo, 0f, col, 0, hwo);
                Im2col.foldSample(g, col, 0, dx, n * xPer);
            }
        }
    }

    public static void backwardWeight(ConvGeometry g, MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment dbias) {
        checkCommon(g, x, "x", dw, dy, "dy");
        if (dbias != null) Im2col.checkFloats("dbias", dbias, g.outChannels(), g);
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        boolean pointwise = isPointwise(g);
        MemorySegment col = pointwise ? null : Scratch.floats(COL_SLOT, (long) kk * hwo);
        for (int n = 0; n < g.batch(); n++) {
            if (pointwise) {
                Sgemm.sgemm(false, true, co, kk, hwo, 1f, dy, n * yPer, hwo, x, n * xPer, hwo, 1f, dw, 0, kk);
            } else {
                Im2col.unfoldSample(g, x, n * xPer, col, 0);
                Sgemm.sgemm(false, true, co, kk, hwo, 1f, dy, n * yPer, hwo, col, 0, hwo, 1f, dw, 0, kk);
            }
        }
        if (dbias != null) addRowSums(g, dy, dbias);
    }

    static boolean isPointwise(ConvGeometry g) {
        return g.kernel() == 1 && g.stride() == 1 && g.padding() == 0;
    }

    private static void checkCommon(ConvGeometry g, MemorySegment x, String xName, MemorySegment w,
                                    MemorySegment y, String yName) {
        if (g == null) throw new IllegalArgumentException("conv2d: geometry is null");
        Im2col.checkFloats(xName, x, g.inputSize(), g);
        Im2col.checkFloats("w", w, g.weightSize(), g);
        Im2col.checkFloats(yName, y, g.outputSize(), g);
    }

    /** y[yOff + c*hw + i] = bias[c] for every channel c and pixel i. */
    static void fillBias(MemorySegment bias, int co, int hw, MemorySegment y, long yOff) {
        for (int c = 0; c < co; c++) {
            float b = bias.getAtIndex(Simd.FLOAT, c);
            long row = yOff + (long) c * hw;
            if (b == 0f) {
                Im2col.fillZero(y, row, hw);
                continue;
            }
            FloatVector bv = FloatVector.broadcast(Simd.F, b);
            int i = 0;
            for (; i <= hw - Simd.LANES; i += Simd.LANES) Simd.store(bv, y, row + i);
            for (; i < hw; i++) y.setAtIndex(Simd.FLOAT, row + i, b);
        }
    }

    /** dbias[c] += sum over samples and pixels of dy[n, c, :]. */
    private static void addRowSums(ConvGeometry g, MemorySegment dy, MemorySegment dbias) {
        int co = g.outChannels(), hw = g.outH() * g.outW();
        for (int c = 0; c < co; c++) {
            // float vector sums over blocks of 1024, widened into a double vector (accurate for big
            // planes), whose lanes are added in lane order (reduceLanes' order depends on the JIT tier)
            DoubleVector sums = DoubleVector.zero(Simd.D);
            double total = 0;
            for (int n = 0; n < g.batch(); n++) {
                long row = ((long) n * co + c) * hw;
                int i = 0;
                while (i <= hw - Simd.LANES) {
                    int end = Math.min(hw - Simd.LANES, i + 1024 - Simd.LANES);
                    FloatVector acc = FloatVector.zero(Simd.F);
                    for (; i <= end; i += Simd.LANES) acc = acc.add(Simd.load(dy, row + i));
                    sums = sums.add(acc.convertShape(VectorOperators.F2D, Simd.D, 0)).add(acc.convertShape(VectorOperators.F2D, Simd.D, 1));
                }
                for (; i < hw; i++) total += dy.getAtIndex(Simd.FLOAT, row + i);
            }
            for (int l = 0; l < Simd.D.length(); l++) total += sums.lane(l);
            dbias.setAtIndex(Simd.FLOAT, c, (float) (dbias.getAtIndex(Simd.FLOAT, c) + total));
        }
    }
}
