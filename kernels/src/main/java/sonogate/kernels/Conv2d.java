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
 * 3x3 stride-1 "same" layers with at least 12 channels each side (all the generator's 3x3 stride-1
 * layers, dilated ones included) take {@link ConvWinograd} for the forward and backward-data passes:
 * 2.25x fewer multiplies. Measured (seventh session, forward with bias, 2 threads, both paths
 * alternated in one JVM, medians of 7 rounds, load ~1.0; "direct" = {@link ConvDirect}):
 * <pre>
 * shape                          Winograd   before
 * [1,48,32,32] -> 96             0.57 ms    1.07 ms
 * [1,48,32,32] -> 96, d4         0.56 ms    0.69 ms
 * [1,96,32,32] -> 96             0.64 ms    1.26 ms
 * [1,48,64,64] -> 48             0.70 ms    1.18 ms
 * [1,24,64,64] -> 48             0.42 ms    0.67 ms
 * [1,12,64,64] -> 48             0.27 ms    0.34 ms
 * [1,24,128,128] -> 24           0.92 ms    1.15 ms (direct)
 * [1,12,128,128] -> 12           0.28 ms    0.32 ms (direct)
 * [8,48,32,32] -> 96             2.39 ms    4.25 ms
 * [8,24,128,128] -> 24           8.04 ms    8.71 ms (direct)
 * [1,96,64,64] -> 192            3.84 ms    7.26 ms
 * </pre>
 * Everything else is im2col + {@link Sgemm}, with the weights as the [cout, cin*k*k] row-major matrix
 * they already are:
 * <ul>
 * <li>forward: y_n[cout, HWo] = W x col_n, by bands of output rows ({@link #forwardBands}): each
 *     (sample, band) is one pool task that unfolds its rows and runs its GEMM on its own thread; the
 *     bias is written into y first and the GEMM runs with beta = 1, so the bias costs one store-only
 *     pass instead of a read-modify-write pass after.</li>
 * <li>backwardData: dcol = W^T x dy_n (beta 0, into scratch), then col2im ADDs dcol into dx_n.</li>
 * <li>backwardWeight: dW += dy_n x col_n^T (beta 1, accumulating over samples); dbias += row sums.</li>
 * <li>k = 1, stride 1, padding 0: the input plane stack already is the column matrix, so no
 *     im2col at all; backwardData then GEMMs straight into dx with beta = 1.</li>
 * </ul>
 * The column matrix lives in {@link Scratch} slot {@link #COL_SLOT} of the thread that uses it (one
 * sample, or one band, at a time; reused across calls: no native allocation in steady state). In the
 * backward passes im2col is parallel over column rows, col2im over input channels ({@link Im2col});
 * the GEMM parallelises itself, so the two phases never nest.
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
 * input layers) or a 5x5 kernel with cin*k*k <= 225 (the temporal option's 9-channel input layers).
 * Everything else, and all backward passes, use im2col + GEMM. The 9-channel rule was measured
 * against the real Sgemm (sixth session; best of 34, 2 threads, load ~1.4; gated layers, so the
 * GEMM side is the fused im2col + GEMM + gate path and the direct side adds a separate gate pass;
 * both give the same bits):
 * <pre>
 * shape                          im2col+GEMM+gate   direct+gate
 * [1,9,64,64] -> 16 k5           0.42 ms            0.19 ms    (tiny-temporal's input layer)
 * [8,9,64,64] -> 16 k5           2.64 ms            1.32 ms
 * [1,9,128,128] -> 48 k5         2.57 ms            2.00 ms    (small-temporal's)
 * [8,9,128,128] -> 48 k5        19.95 ms           19.22 ms
 * [1,24,64,64] -> 48 k3          0.75 ms            0.69 ms    (3x3 layers: ties either way,
 * [1,24,128,128] -> 48 k3        2.75 ms            2.87 ms     left to the GEMM)
 * [1,48,32,32] -> 96 k3          0.66 ms            0.76 ms
 * </pre>
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
        if (ConvWinograd.suits(g)) {
            ConvWinograd.forward(g, x, w, bias, y);
            return;
        }
        if (ConvDirect.suits(g)) {
            ConvDirect.forward(g, x, w, bias, y);
            return;
        }
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        if (!isPointwise(g)) {
            forwardBands(g, x, w, bias, y);
            return;
        }
        for (int n = 0; n < g.batch(); n++) {
            long yOff = n * yPer;
            float beta = 0f;
            if (bias != null) {
                fillBias(bias, co, hwo, hwo, y, yOff);
                beta = 1f;
            }
            Sgemm.sgemm(false, false, co, hwo, kk, 1f, w, 0, kk, x, n * xPer, hwo, beta, y, yOff, hwo);
        }
    }

    /**
     * Whether {@link #forwardGated} fuses the gate into the convolution for this geometry: the
     * band path (im2col + GEMM) only; thin direct-kernel and pointwise layers are convolved whole
     * and then gated by the caller.
     */
    public static boolean fusesGate(ConvGeometry g) {
        return (ConvWinograd.suits(g) || !ConvDirect.suits(g)) && !isPointwise(g) && g.outChannels() % 2 == 0;
    }

    /** Scratch slot of a band's convolution output before its gate ({@link #forwardGated}). */
    private static final int GATE_SLOT = 1;

    /**
     * A gated convolution's forward in one pass (inference: the pre-gate output is not kept):
     * out [N, cout/2, oh, ow] = act(features) * sigmoid(gates) of the convolution's output, whose first
     * cout/2 channels are features and last cout/2 gates. As {@link #forwardBands}, but each band's
     * GEMM writes into the thread's scratch and the band is gated from there while it is still in
     * cache: the full pre-gate tensor is never written or read back, and the gate needs no pool
     * hand-off of its own. Same bits as {@link #forward} then {@link Gating#forward}. Only where
     * {@link #fusesGate} holds.
     */
    public static void forwardGated(ConvGeometry g, GateActivation act, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment out) {
        if (!fusesGate(g)) throw new IllegalArgumentException("conv2d gated: no fused path for " + g);
        Im2col.checkFloats("x", x, g.inputSize(), g);
        Im2col.checkFloats("w", w, g.weightSize(), g);
        Im2col.checkFloats("out", out, g.outputSize() / 2, g);
        if (bias != null) Im2col.checkFloats("bias", bias, g.outChannels(), g);
        if (ConvWinograd.suits(g)) {
            ConvWinograd.forwardGated(g, act, x, w, bias, out);
            return;
        }
        int co = g.outChannels(), half = co / 2, kk = g.patchSize(), oh = g.outH(), ow = g.outW(), hwo = oh * ow;
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), outPer = (long) half * hwo;
        boolean parallel = parallel(g, x, w, out, bias);
        int bandRows = bandRows(g, kk, parallel), perSample = ceilDiv(oh, bandRows);
        float[] packedW = Sgemm.packA(false, co, kk, w, 0, kk);
        run(parallel, g.batch() * perSample, t -> {
            int n = t / perSample, r0 = t % perSample * bandRows, r1 = Math.min(oh, r0 + bandRows);
            int pixels = (r1 - r0) * ow;
            MemorySegment y = Scratch.floats(GATE_SLOT, (long) co * pixels);
            convolveBand(g, x, n * xPer, w, packedW, bias, r0, r1, y, 0, pixels);
            Gating.forwardRows(act, half, pixels, y, 0, pixels, out, n * outPer + (long) r0 * ow, hwo);
        });
    }

    /** Floats of one band's column matrix: about a quarter of a Zen 4 core's 1 MB L2, so it is still there when the GEMM packs it. */
    static final int BAND_FLOATS = 64 << 10;
    /** At least this many output pixels per band (8 GEMM panels), so each GEMM call amortises its A. */
    static final int BAND_MIN_PIXELS = 256;

    /**
     * im2col + GEMM by bands of output rows: every (sample, band) is one task, handed out to the
     * pool threads, that unfolds its rows into the thread's own column scratch and multiplies on that
     * thread ({@link Sgemm#serial}, with W packed once up front). One hand-off per convolution instead
     * of one for im2col and one for the GEMM per sample, and a band's columns are read back from L2
     * rather than memory. Every output element is the same sum, in the same order, as one whole GEMM.
     */
    private static void forwardBands(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        int co = g.outChannels(), kk = g.patchSize(), oh = g.outH(), ow = g.outW(), hwo = oh * ow;
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        boolean parallel = parallel(g, x, w, y, bias);
        int bandRows = bandRows(g, kk, parallel), perSample = ceilDiv(oh, bandRows);
        float[] packedW = Sgemm.packA(false, co, kk, w, 0, kk);
        run(parallel, g.batch() * perSample, t -> {
            int n = t / perSample, r0 = t % perSample * bandRows, r1 = Math.min(oh, r0 + bandRows);
            convolveBand(g, x, n * xPer, w, packedW, bias, r0, r1, y, n * yPer + (long) r0 * ow, hwo);
        });
    }

    /**
     * Output rows r0 .. r1 - 1 of one sample (input at xOff): the band's columns unfolded into this
     * thread's {@link #COL_SLOT}, then W x columns (+ bias) into y at yOff, channels ldy apart.
     */
    private static void convolveBand(ConvGeometry g, MemorySegment x, long xOff, MemorySegment w, float[] packedW, MemorySegment bias,
                                     int r0, int r1, MemorySegment y, long yOff, int ldy) {
        int co = g.outChannels(), kk = g.patchSize(), pixels = (r1 - r0) * g.outW();
        MemorySegment col = Scratch.floats(COL_SLOT, (long) kk * pixels);
        Im2col.unfoldBlock(g, x, xOff, 0, kk, r0, r1, col, 0);
        float beta = 0f;
        if (bias != null) {
            fillBias(bias, co, ldy, pixels, y, yOff);
            beta = 1f;
        }
        Sgemm.serial(packedW, false, false, co, pixels, kk, 1f, w, 0, kk, col, 0, pixels, beta, y, yOff, ldy);
    }

    /**
     * Output rows per band of the forward passes: {@link #bandRows(ConvGeometry, int)}, but thinner
     * when a parallel pass would have fewer bands than threads (small images, batch 1).
     */
    private static int bandRows(ConvGeometry g, int kk, boolean parallel) {
        int oh = g.outH(), rows = bandRows(g, kk), bands = ceilDiv(oh, rows);
        if (!parallel || g.batch() * bands >= Parallel.threads()) return rows;
        bands = Math.min(oh, ceilDiv(Parallel.threads(), g.batch()));
        return ceilDiv(oh, bands);
    }

    /**
     * dx += col2im(W^T dy) by blocks: one pool task per (sample, group of input channels) computes
     * its channels' column rows band by band (a GEMM into the thread's scratch, W^T's rows packed once
     * per task) and folds them into its own planes of dx, so no two tasks write the same element.
     * Channel groups split samples only when there are too few samples to go round.
     */
    private static void backwardDataBlocks(ConvGeometry g, MemorySegment dy, MemorySegment w, MemorySegment dx) {
        int co = g.outChannels(), kk = g.patchSize(), k2 = g.kernel() * g.kernel(), cin = g.inChannels();
        int oh = g.outH(), ow = g.outW(), hwo = oh * ow;
        long xPer = (long) cin * g.inH() * g.inW(), yPer = (long) co * hwo;
        int rows = bandRows(g, kk);
        boolean parallel = parallel(g, dy, w, dx, null);
        int groups = parallel ? Math.max(1, Math.min(cin, ceilDiv(2 * Parallel.threads(), g.batch()))) : 1;
        run(parallel, g.batch() * groups, t -> {
            int n = t / groups, grp = t % groups;
            int c0 = cin * grp / groups, c1 = cin * (grp + 1) / groups, r0 = c0 * k2, gk = (c1 - c0) * k2;
            float[] packedWt = Sgemm.packA(true, gk, co, w, r0, kk);
            for (int y0 = 0; y0 < oh; y0 += rows) {
                int y1 = Math.min(oh, y0 + rows), pixels = (y1 - y0) * ow;
                MemorySegment dcol = Scratch.floats(COL_SLOT, (long) gk * pixels);
                Sgemm.serial(packedWt, true, false, gk, pixels, co, 1f, w, r0, kk, dy, n * yPer + (long) y0 * ow, hwo, 0f, dcol, 0, pixels);
                Im2col.foldBlock(g, dcol, 0, c0, c1, y0, y1, dx, n * xPer);
            }
        });
    }

    /**
     * dW += sum over samples of dy_n col_n^T by blocks of dW's columns (column rows of the im2col
     * matrix): one pool task per block unfolds just its rows, band by band, and accumulates the dot
     * products of dy's rows with them ({@link RowDots}: both run along the pixels, so neither needs a
     * GEMM's transposing repack) into its own lanes, then adds them to its columns of dW, which no
     * other task writes. Lanes and bands depend on the geometry alone, so each element's sum has the
     * same order whatever the thread count and blocking.
     */
    private static void backwardWeightBlocks(ConvGeometry g, MemorySegment x, MemorySegment dy, MemorySegment dw) {
        int co = g.outChannels(), kk = g.patchSize(), oh = g.outH(), ow = g.outW(), hwo = oh * ow;
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        int rows = bandRows(g, Math.min(kk, 64));
        boolean parallel = parallel(g, x, dy, dw, null);
        // columns per block: a multiple of 4 whose lanes (co x width x 16 floats) stay within ~512 KB,
        // and at least two blocks per thread when there are enough columns
        int width = Math.max(4, Math.min(ACC_FLOATS / (co * Simd.LANES), parallel ? ceilDiv(kk, 2 * Parallel.threads()) : kk) / 4 * 4);
        int blocks = ceilDiv(kk, width);
        run(parallel, blocks, b -> {
            int r0 = b * width, r1 = Math.min(kk, r0 + width), gr = r1 - r0;
            float[] acc = DOT_LANES.get().zeroed(RowDots.accSize(co, gr));
            for (int n = 0; n < g.batch(); n++) {
                for (int y0 = 0; y0 < oh; y0 += rows) {
                    int y1 = Math.min(oh, y0 + rows), pixels = (y1 - y0) * ow;
                    MemorySegment col = Scratch.floats(COL_SLOT, (long) gr * pixels);
                    Im2col.unfoldBlock(g, x, n * xPer, r0, r1, y0, y1, col, 0);
                    RowDots.accumulate(co, gr, pixels, dy, n * yPer + (long) y0 * ow, hwo, col, 0, pixels, acc);
                }
            }
            RowDots.finish(co, gr, acc, dw, r0, kk);
        });
    }

    /**
     * Output planes below this many pixels (the discriminator's last layers: 2x2 to 8x8) take
     * {@link #backwardWeightSmallPlanes}: with so few pixels per row RowDots' lane accumulators (16 per
     * weight) outnumber the products, and a plane under one vector runs entirely in its scalar tail
     * (measured: 128->128 k5 s2 at 4x4, batch 8, 54 ms, against about 2 ms as one GEMM; at 8x8, batch 8,
     * 2 threads, 11.6-13.7 ms by RowDots against 7.8-9.7 ms as one GEMM, quiet machine). From 16x16 up
     * the two tie or RowDots wins (32x32: 10-11 ms against 18-22 ms).
     */
    static final int SMALL_PLANE = 100;
    /** Scratch slot of the regrouped output gradient of {@link #backwardWeightSmallPlanes} (Sgemm uses none). */
    private static final int DY_SLOT = 2;

    /**
     * dW += dY col^T as ONE GEMM over all samples: the column matrices of the samples side by side
     * ([cin k k, N HWo]) and dy regrouped to match ([cout, N HWo]), so K = N HWo. Each element's sum
     * runs over samples, then pixels, in Sgemm's fixed K order: the same bits whatever the threads.
     */
    private static void backwardWeightSmallPlanes(ConvGeometry g, MemorySegment x, MemorySegment dy, MemorySegment dw) {
        int co = g.outChannels(), kk = g.patchSize(), oh = g.outH(), hwo = oh * g.outW(), nb = g.batch();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        int k = nb * hwo;
        MemorySegment col = Scratch.floats(COL_SLOT, (long) kk * k), dyAll = Scratch.floats(DY_SLOT, (long) co * k);
        for (int n = 0; n < nb; n++) {
            // sample n's columns go to column block n of every row: unfold rows, then place them
            for (int r = 0; r < kk; r++) Im2col.unfoldBlock(g, x, n * xPer, r, r + 1, 0, oh, col, (long) r * k + (long) n * hwo);
            for (int c = 0; c < co; c++) {
                MemorySegment.copy(dy, (n * yPer + (long) c * hwo) * Float.BYTES, dyAll, ((long) c * k + (long) n * hwo) * Float.BYTES,
                        (long) hwo * Float.BYTES);
            }
        }
        Sgemm.sgemm(false, true, co, kk, k, 1f, dyAll, 0, k, col, 0, k, 1f, dw, 0, kk);
    }

    /** Lane accumulators of one weight-gradient block: at most this many floats (512 KB). */
    private static final int ACC_FLOATS = 128 << 10;
    private static final ThreadLocal<Lanes> DOT_LANES = ThreadLocal.withInitial(Lanes::new);

    /** A thread's lane accumulators: grown on demand, then reused. */
    private static final class Lanes {
        private float[] data = new float[0];

        float[] zeroed(int size) {
            if (data.length < size) data = new float[size];
            else java.util.Arrays.fill(data, 0, size, 0f);
            return data;
        }
    }

    /** Output rows per band: the band's column matrix about {@link #BAND_FLOATS}, at least {@link #BAND_MIN_PIXELS} pixels. */
    private static int bandRows(ConvGeometry g, int columnRows) {
        int ow = g.outW();
        return Math.max(1, Math.min(g.outH(), Math.max(ceilDiv(BAND_MIN_PIXELS, ow), BAND_FLOATS / Math.max(1, columnRows * ow))));
    }

    /** Whether a pass is worth a pool hand-off and its segments may be touched by the pool's threads. */
    static boolean parallel(ConvGeometry g, MemorySegment a, MemorySegment b, MemorySegment c, MemorySegment d) {
        return Parallel.threads() > 1 && g.flops() >= Sgemm.PARALLEL_MIN_FLOPS
                && SegmentThreads.shareable(a) && SegmentThreads.shareable(b) && SegmentThreads.shareable(c) && SegmentThreads.shareable(d);
    }

    static void run(boolean parallel, int tasks, Parallel.ChunkBody task) {
        if (parallel) {
            Parallel.forChunks(tasks, task);
        } else {
            for (int t = 0; t < tasks; t++) task.run(t);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    public static void backwardData(ConvGeometry g, MemorySegment dy, MemorySegment w, MemorySegment dx) {
        checkCommon(g, dx, "dx", w, dy, "dy");
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        if (ConvWinograd.suits(g)) {
            ConvWinograd.backwardData(g, dy, w, dx);
            return;
        }
        if (!isPointwise(g)) {
            backwardDataBlocks(g, dy, w, dx);
            return;
        }
        for (int n = 0; n < g.batch(); n++) {
            Sgemm.sgemm(true, false, kk, hwo, co, 1f, w, 0, kk, dy, n * yPer, hwo, 1f, dx, n * xPer, hwo);
        }
    }

    public static void backwardWeight(ConvGeometry g, MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment dbias) {
        checkCommon(g, x, "x", dw, dy, "dy");
        if (dbias != null) Im2col.checkFloats("dbias", dbias, g.outChannels(), g);
        int co = g.outChannels(), kk = g.patchSize();
        int hwo = g.outH() * g.outW();
        long xPer = (long) g.inChannels() * g.inH() * g.inW(), yPer = (long) co * hwo;
        if (isPointwise(g)) {
            for (int n = 0; n < g.batch(); n++) {
                Sgemm.sgemm(false, true, co, kk, hwo, 1f, dy, n * yPer, hwo, x, n * xPer, hwo, 1f, dw, 0, kk);
            }
        } else if (hwo < SMALL_PLANE) {
            backwardWeightSmallPlanes(g, x, dy, dw);
        } else {
            backwardWeightBlocks(g, x, dy, dw);
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

    /** y[yOff + c*hw + i] = bias[c] for every channel c and pixel i < pixels (a band of a plane of hw pixels). */
    static void fillBias(MemorySegment bias, int co, int hw, int pixels, MemorySegment y, long yOff) {
        for (int c = 0; c < co; c++) {
            float b = bias.getAtIndex(Simd.FLOAT, c);
            long row = yOff + (long) c * hw;
            if (b == 0f) {
                Im2col.fillZero(y, row, pixels);
                continue;
            }
            FloatVector bv = FloatVector.broadcast(Simd.F, b);
            int i = 0;
            for (; i <= pixels - Simd.LANES; i += Simd.LANES) Simd.store(bv, y, row + i);
            for (; i < pixels; i++) y.setAtIndex(Simd.FLOAT, row + i, b);
        }
    }

    /** dbias[c] += sum over samples and pixels of dy[n, c, :]; channels in parallel (each sum in a fixed order). */
    private static void addRowSums(ConvGeometry g, MemorySegment dy, MemorySegment dbias) {
        int co = g.outChannels(), hw = g.outH() * g.outW();
        int grain = (int) Math.max(1, (1 << 16) / Math.max(1L, (long) g.batch() * hw));
        Parallel.forRange(co, SegmentThreads.grain(grain, co, dy, dbias), (lo, hi) -> addRowSums(g, dy, dbias, lo, hi));
    }

    private static void addRowSums(ConvGeometry g, MemorySegment dy, MemorySegment dbias, int c0, int c1) {
        int co = g.outChannels(), hw = g.outH() * g.outW();
        for (int c = c0; c < c1; c++) {
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
