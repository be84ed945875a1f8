package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Direct (no im2col) forward convolution for thin stride-1 layers.
 *
 * <p>The sample is copied once into a zero-padded plane stack xp [cin, H+2p, W+2p] (scratch), so
 * every tap of every output row is an unmasked contiguous vector load xp[ci, oh + ki*d, ow + kj*d ..].
 * Output channels go in blocks of 4 and output columns in pairs of vectors: 8 accumulators, and per
 * tap 2 loads + 4 weight broadcasts + 8 FMAs. Rows are split over threads.
 *
 * <p>Vector loads and stores here call {@code FloatVector.fromMemorySegment} / {@code intoMemorySegment}
 * (force-inlined by the JDK) directly, not the {@link Simd#load} helper: in the whole model's training
 * step C2 sometimes declined to inline the helper into these register-heavy loops ("callee uses too
 * much stack", seen with -XX:+PrintInlining), leaving every load un-intrinsified and the kernel ~10x
 * slower (small train step: conv weight gradients at 5 GFLOP/s instead of 50-60).
 */
final class ConvDirect {
    private ConvDirect() {}

    private static final int L = Simd.LANES;
    private static final int COB = 4;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Per-thread regrouped weights, bias and tap offsets: grown on demand, so steady calls allocate nothing. */
    private static final class Buffers {
        float[] weights = new float[0], bias = new float[0];
        int[] taps = new int[0];

        Buffers fit(int weightCount, int biasCount, int tapCount) {
            if (weights.length < weightCount) weights = new float[weightCount];
            if (bias.length < biasCount) bias = new float[biasCount];
            if (taps.length < tapCount) taps = new int[tapCount];
            return this;
        }
    }

    /**
     * The rule, from the measurements in the header of {@link Conv2d}: stride 1, a real kernel (k > 1),
     * rows at least one vector wide, and thin: few output channels with a modest patch, or the 5x5
     * input layers (3 channels, 9 with the temporal option) at any width up to 64.
     */
    static boolean suits(ConvGeometry g) {
        if (g.stride() != 1 || g.kernel() == 1 || g.outW() < L) return false;
        int co = g.outChannels(), patch = g.patchSize();
        return (co <= 24 && patch <= 216) || (co <= 64 && (patch <= 75 || (g.kernel() == 5 && patch <= 225)));
    }

    static void forward(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        int ci = g.inChannels(), h = g.inH(), wd = g.inW(), co = g.outChannels(), k = g.kernel();
        int p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        int hp = h + 2 * p, wp = wd + 2 * p;
        long planeP = (long) hp * wp;
        int cob = (co + COB - 1) / COB;
        int kk = k * k;
        // weights regrouped [coBlock][ci][ki][kj][4], zero rows past cout; the buffers are reused per thread
        Buffers buf = BUFFERS.get().fit(cob * ci * kk * COB, cob * COB, kk);
        float[] wr = buf.weights, br = buf.bias;
        int[] tapOff = buf.taps;
        java.util.Arrays.fill(wr, 0, cob * ci * kk * COB, 0f);
        java.util.Arrays.fill(br, 0, cob * COB, 0f);
        for (int o = 0; o < co; o++)
            for (int c = 0; c < ci; c++)
                for (int t = 0; t < kk; t++)
                    wr[(((o / COB) * ci + c) * kk + t) * COB + o % COB] = w.getAtIndex(Simd.FLOAT, ((long) o * ci + c) * kk + t);
        if (bias != null) for (int o = 0; o < co; o++) br[o] = bias.getAtIndex(Simd.FLOAT, o);
        for (int ki = 0; ki < k; ki++) for (int kj = 0; kj < k; kj++) tapOff[ki * k + kj] = ki * d * wp + kj * d;

        long xPer = (long) ci * h * wd, yPer = (long) co * oh * ow;
        int rowsWork = cob * oh;
        int grain = Math.max(1, (1 << 15) / Math.max(1, ow * ci * kk));
        int threads = Parallel.threads();
        if (threads > 1 && g.batch() >= threads && g.flops() >= Sgemm.PARALLEL_MIN_FLOPS
                && SegmentThreads.shareable(x) && SegmentThreads.shareable(y)) {
            // enough samples to go round: one task per sample pads into its own thread's scratch
            // (no serial padding between parallel row loops)
            Parallel.forChunks(g.batch(), n -> {
                MemorySegment xp = Scratch.floats(Conv2d.COL_SLOT, ci * planeP + 2L * L);
                pad(x, n * xPer, ci, h, wd, p, xp);
                for (int r = 0; r < rowsWork; r++) {
                    rowBlock(wr, br, tapOff, r % cob, r / cob, ci, kk, co, ow, oh, wp, planeP, xp, y, n * yPer);
                }
            });
            return;
        }
        MemorySegment xp = Scratch.floats(Conv2d.COL_SLOT, ci * planeP + 2L * L);
        for (int n = 0; n < g.batch(); n++) {
            pad(x, n * xPer, ci, h, wd, p, xp);
            long yOff = n * yPer;
            Parallel.forRange(rowsWork, SegmentThreads.grain(grain, rowsWork, x, y), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int row = r / cob, b = r % cob; // all channel blocks of a row together: xp rows stay in cache
                    rowBlock(wr, br, tapOff, b, row, ci, kk, co, ow, oh, wp, planeP, xp, y, yOff);
                }
            });
        }
    }

    private static void pad(MemorySegment x, long xOff, int ci, int h, int w, int p, MemorySegment xp) {
        int hp = h + 2 * p, wp = w + 2 * p;
        long total = (long) ci * hp * wp;
        Im2col.fillZero(xp, 0, total + 2L * L);
        for (int c = 0; c < ci; c++)
            for (int i = 0; i < h; i++)
                MemorySegment.copy(x, Simd.FLOAT, (xOff + ((long) c * h + i) * w) * Float.BYTES, xp, Simd.FLOAT,
                        (((long) c * hp + i + p) * wp + p) * Float.BYTES, w);
    }

    private static void rowBlock(float[] wr, float[] br, int[] tapOff, int b, int row, int ci, int kk, int co,
                                 int ow, int oh, int wp, long planeP, MemorySegment xp, MemorySegment y, long yOff) {
        int wBase = b * ci * kk * COB;
        long rowBase = (long) row * wp;
        FloatVector b0 = FloatVector.broadcast(Simd.F, br[b * COB]), b1 = FloatVector.broadcast(Simd.F, br[b * COB + 1]);
        FloatVector b2 = FloatVector.broadcast(Simd.F, br[b * COB + 2]), b3 = FloatVector.broadcast(Simd.F, br[b * COB + 3]);
        long hwo = (long) oh * ow;
        long y0 = yOff + (long) b * COB * hwo + (long) row * ow;
        int o0 = b * COB;
        int j = 0;
        for (; j <= ow - 2 * L; j += 2 * L) {
            FloatVector a0 = b0, a1 = b1, a2 = b2, a3 = b3, c0 = b0, c1 = b1, c2 = b2, c3 = b3;
            int wi = wBase;
            for (int c = 0; c < ci; c++) {
                long base = c * planeP + rowBase + j;
                for (int t = 0; t < kk; t++, wi += COB) {
                    long at = base + tapOff[t];
                    FloatVector xv = FloatVector.fromMemorySegment(Simd.F, xp, at * Float.BYTES, Simd.ORDER), xw = FloatVector.fromMemorySegment(Simd.F, xp, (at + L) * Float.BYTES, Simd.ORDER);
                    FloatVector w0 = FloatVector.broadcast(Simd.F, wr[wi]), w1 = FloatVector.broadcast(Simd.F, wr[wi + 1]);
                    FloatVector w2 = FloatVector.broadcast(Simd.F, wr[wi + 2]), w3 = FloatVector.broadcast(Simd.F, wr[wi + 3]);
                    a0 = xv.fma(w0, a0); c0 = xw.fma(w0, c0);
                    a1 = xv.fma(w1, a1); c1 = xw.fma(w1, c1);
                    a2 = xv.fma(w2, a2); c2 = xw.fma(w2, c2);
                    a3 = xv.fma(w3, a3); c3 = xw.fma(w3, c3);
                }
            }
            long at = y0 + j;
            a0.intoMemorySegment(y, at * Float.BYTES, Simd.ORDER); c0.intoMemorySegment(y, (at + L) * Float.BYTES, Simd.ORDER);
            if (o0 + 1 < co) { a1.intoMemorySegment(y, (at + hwo) * Float.BYTES, Simd.ORDER); c1.intoMemorySegment(y, (at + hwo + L) * Float.BYTES, Simd.ORDER); }
            if (o0 + 2 < co) { a2.intoMemorySegment(y, (at + 2 * hwo) * Float.BYTES, Simd.ORDER); c2.intoMemorySegment(y, (at + 2 * hwo + L) * Float.BYTES, Simd.ORDER); }
            if (o0 + 3 < co) { a3.intoMemorySegment(y, (at + 3 * hwo) * Float.BYTES, Simd.ORDER); c3.intoMemorySegment(y, (at + 3 * hwo + L) * Float.BYTES, Simd.ORDER); }
        }
        // Leftover columns one vector at a time. A last partial vector is shifted back to end at ow
        // (suits() guarantees ow >= L) and recomputes a few columns to the same bits, so no masked
        // store is needed (a per-row mask from VectorSpecies.indexInRange is not intrinsified by C2:
        // it cost ~12% of the tiny model's forward).
        for (; j < ow; j += L) {
            int jj = Math.min(j, ow - L);
            FloatVector a0 = b0, a1 = b1, a2 = b2, a3 = b3;
            int wi = wBase;
            for (int c = 0; c < ci; c++) {
                long base = c * planeP + rowBase + jj;
                for (int t = 0; t < kk; t++, wi += COB) {
                    FloatVector xv = FloatVector.fromMemorySegment(Simd.F, xp, (base + tapOff[t]) * Float.BYTES, Simd.ORDER);
                    a0 = xv.fma(FloatVector.broadcast(Simd.F, wr[wi]), a0);
                    a1 = xv.fma(FloatVector.broadcast(Simd.F, wr[wi + 1]), a1);
                    a2 = xv.fma(FloatVector.broadcast(Simd.F, wr[wi + 2]), a2);
                    a3 = xv.fma(FloatVector.broadcast(Simd.F, wr[wi + 3]), a3);
                }
            }
            long at = y0 + jj;
            a0.intoMemorySegment(y, at * Float.BYTES, Simd.ORDER);
            if (o0 + 1 < co) a1.intoMemorySegment(y, (at + hwo) * Float.BYTES, Simd.ORDER);
            if (o0 + 2 < co) a2.intoMemorySegment(y, (at + 2 * hwo) * Float.BYTES, Simd.ORDER);
            if (o0 + 3 < co) a3.intoMemorySegment(y, (at + 3 * hwo) * Float.BYTES, Simd.ORDER);
        }
    }
}
