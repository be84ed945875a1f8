package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Patch extraction (unfold) and its adjoint (fold) for a {@link ConvGeometry} (outChannels ignored).
 * unfold: x [N,C,H,W] -> cols [N, C*k*k, outH*outW] (overwrites); fold: cols -> x, ADDING.
 *
 * <p>Row {@code r = (c*k + ki)*k + kj} of a sample's column matrix holds, for every output pixel
 * (oh, ow), the input value x[c, oh*s - p + ki*d, ow*s - p + kj*d] (zero outside the image).
 * For stride 1 a column row's output row is one contiguous slice of an input row with zero edges,
 * so unfold is a bulk copy plus two zero fills and fold a vector add; stride 2 compacts / spreads
 * even lanes with shuffles; other strides go element by element. The per-sample variants ({@link #unfoldSample}, {@link #foldSample}) are what
 * {@link Conv2d} calls: unfold parallelises over column rows, fold over channels (each channel's
 * k*k rows write only that channel's plane, so threads never write the same element).
 */
public final class Im2col {
    private Im2col() {}

    private static final int L = Simd.LANES;
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(Simd.F, i -> (2 * i) % L);
    private static final VectorShuffle<Float> DUP_LO = VectorShuffle.fromOp(Simd.F, i -> i / 2);
    private static final VectorShuffle<Float> DUP_HI = VectorShuffle.fromOp(Simd.F, i -> L / 2 + i / 2);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(Simd.F, ((1L << L) - 1) & ~((1L << (L / 2)) - 1));
    private static final VectorMask<Float> EVEN_LANES = VectorMask.fromLong(Simd.F, 0x5555_5555_5555_5555L & ((1L << L) - 1));

    /** Below this many floats of work a call stays on the calling thread. */
    private static final long PARALLEL_MIN = 1 << 15;

    public static void unfold(ConvGeometry g, MemorySegment x, MemorySegment cols) {
        checkFloats("x", x, g.inputSize(), g);
        long colsPerSample = (long) g.patchSize() * g.outH() * g.outW();
        checkFloats("cols", cols, colsPerSample * g.batch(), g);
        long xPerSample = (long) g.inChannels() * g.inH() * g.inW();
        for (int n = 0; n < g.batch(); n++) unfoldSample(g, x, n * xPerSample, cols, n * colsPerSample);
    }

    public static void fold(ConvGeometry g, MemorySegment cols, MemorySegment x) {
        checkFloats("x", x, g.inputSize(), g);
        long colsPerSample = (long) g.patchSize() * g.outH() * g.outW();
        checkFloats("cols", cols, colsPerSample * g.batch(), g);
        long xPerSample = (long) g.inChannels() * g.inH() * g.inW();
        for (int n = 0; n < g.batch(); n++) foldSample(g, cols, n * colsPerSample, x, n * xPerSample);
    }

    /** Unfolds one sample (x at float xOff, C*H*W floats) into cols at float colOff (overwrites). No bounds checks beyond the segments'. */
    static void unfoldSample(ConvGeometry g, MemorySegment x, long xOff, MemorySegment cols, long colOff) {
        int rows = g.patchSize();
        long hwo = (long) g.outH() * g.outW();
        int grain = (int) Math.max(1, PARALLEL_MIN / Math.max(1, hwo));
        Parallel.forRange(rows, SegmentThreads.grain(grain, rows, x, cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) unfoldRow(g, x, xOff, cols, colOff + r * hwo, r, 0, g.outH());
        });
    }

    /** Adds one sample's columns (at colOff) into x at xOff. */
    static void foldSample(ConvGeometry g, MemorySegment cols, long colOff, MemorySegment x, long xOff) {
        int c = g.inChannels();
        long work = (long) g.patchSize() * g.outH() * g.outW();
        int grain = (int) Math.max(1, PARALLEL_MIN * c / Math.max(1, work));
        Parallel.forRange(c, SegmentThreads.grain(grain, c, cols, x), (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) foldChannel(g, cols, colOff, (long) g.outH() * g.outW(), 0, g.outH(), x, xOff, ch);
        });
    }

    /**
     * Unfolds column rows {@code [r0, r1)} for output rows {@code [y0, y1)} of one sample on the calling
     * thread: column row r holds (y1 - y0) * outW floats, from colOff + (r - r0) times that (a block of
     * the column matrix: one band of output rows, some or all of its rows).
     */
    static void unfoldBlock(ConvGeometry g, MemorySegment x, long xOff, int r0, int r1, int y0, int y1, MemorySegment cols, long colOff) {
        long band = (long) (y1 - y0) * g.outW();
        for (int r = r0; r < r1; r++) unfoldRow(g, x, xOff, cols, colOff + (r - r0) * band, r, y0, y1);
    }

    /**
     * The adjoint of {@link #unfoldBlock} for whole channels: adds the column rows of channels
     * {@code [c0, c1)} (k*k rows each, (y1 - y0) * outW floats per row, from colOff) for output rows
     * {@code [y0, y1)} into x, on the calling thread.
     */
    static void foldBlock(ConvGeometry g, MemorySegment cols, long colOff, int c0, int c1, int y0, int y1, MemorySegment x, long xOff) {
        long band = (long) (y1 - y0) * g.outW();
        int kk = g.kernel() * g.kernel();
        for (int c = c0; c < c1; c++) foldChannel(g, cols, colOff - (long) c0 * kk * band, band, y0, y1, x, xOff, c);
    }

    /** Column row r for output rows [y0, y1), written from rowOff. */
    private static void unfoldRow(ConvGeometry g, MemorySegment x, long xOff, MemorySegment cols, long rowOff, int r, int y0, int y1) {
        int k = g.kernel(), s = g.stride(), p = g.padding(), d = g.dilation();
        int h = g.inH(), w = g.inW(), ow = g.outW();
        int kj = r % k, ki = (r / k) % k, c = r / (k * k);
        long plane = xOff + (long) c * h * w;
        int colShift = kj * d - p;
        // valid ow: 0 <= ow*s + colShift < w
        int owLo = colShift >= 0 ? 0 : Math.min(ow, ceilDiv(-colShift, s));
        int owHi = Math.max(owLo, Math.min(ow, ceilDiv(w - colShift, s)));
        for (int y = y0; y < y1; y++) {
            int ih = y * s - p + ki * d;
            long dst = rowOff + (long) (y - y0) * ow;
            if (ih < 0 || ih >= h) {
                fillZero(cols, dst, ow);
                continue;
            }
            long src = plane + (long) ih * w + colShift;
            if (owLo > 0) fillZero(cols, dst, owLo);
            if (s == 1) {
                if (owHi > owLo) {
                    MemorySegment.copy(x, Simd.FLOAT, (src + owLo) * Float.BYTES, cols, Simd.FLOAT,
                            (dst + owLo) * Float.BYTES, owHi - owLo);
                }
            } else {
                int o = owLo;
                if (s == 2) {
                    // 2L consecutive inputs -> their L even lanes; o + L < owHi keeps the read inside the row
                    for (; o + L < owHi; o += L) {
                        long at = src + 2L * o;
                        FloatVector a = Simd.load(x, at), b = Simd.load(x, at + L);
                        Simd.store(a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER), cols, dst + o);
                    }
                }
                for (; o < owHi; o++) {
                    cols.setAtIndex(Simd.FLOAT, dst + o, x.getAtIndex(Simd.FLOAT, src + (long) o * s));
                }
            }
            if (owHi < ow) fillZero(cols, dst + owHi, ow - owHi);
        }
    }

    /** Adds channel c's column rows (row r at colOff + r * rowLength, output rows [y0, y1)) into its plane of x. */
    private static void foldChannel(ConvGeometry g, MemorySegment cols, long colOff, long rowLength, int y0, int y1,
                                    MemorySegment x, long xOff, int c) {
        int k = g.kernel(), s = g.stride(), p = g.padding(), d = g.dilation();
        int h = g.inH(), w = g.inW(), ow = g.outW();
        long plane = xOff + (long) c * h * w;
        for (int ki = 0; ki < k; ki++) {
            for (int kj = 0; kj < k; kj++) {
                int r = (c * k + ki) * k + kj;
                long rowOff = colOff + r * rowLength;
                int colShift = kj * d - p;
                int owLo = colShift >= 0 ? 0 : Math.min(ow, ceilDiv(-colShift, s));
                int owHi = Math.max(owLo, Math.min(ow, ceilDiv(w - colShift, s)));
                for (int y = y0; y < y1; y++) {
                    int ih = y * s - p + ki * d;
                    if (ih < 0 || ih >= h) continue;
                    long src = rowOff + (long) (y - y0) * ow;
                    long dst = plane + (long) ih * w + colShift;
                    if (s == 1) {
                        addInto(cols, src + owLo, x, dst + owLo, owHi - owLo);
                    } else {
                        int o = owLo;
                        if (s == 2) {
                            // spread L columns to the even lanes of 2L inputs; the write stays in this row
                            for (; o + L < owHi; o += L) {
                                long at = dst + 2L * o;
                                FloatVector cv = Simd.load(cols, src + o);
                                Simd.store(Simd.load(x, at).add(cv.rearrange(DUP_LO), EVEN_LANES), x, at);
                                Simd.store(Simd.load(x, at + L).add(cv.rearrange(DUP_HI), EVEN_LANES), x, at + L);
                            }
                        }
                        for (; o < owHi; o++) {
                            long di = dst + (long) o * s;
                            x.setAtIndex(Simd.FLOAT, di, x.getAtIndex(Simd.FLOAT, di) + cols.getAtIndex(Simd.FLOAT, src + o));
                        }
                    }
                }
            }
        }
    }

    /** dst[dOff..dOff+len) += src[sOff..sOff+len). */
    static void addInto(MemorySegment src, long sOff, MemorySegment dst, long dOff, int len) {
        int i = 0;
        int bound = len - Simd.LANES;
        for (; i <= bound; i += Simd.LANES) {
            FloatVector a = Simd.load(src, sOff + i);
            Simd.store(Simd.load(dst, dOff + i).add(a), dst, dOff + i);
        }
        for (; i < len; i++) {
            dst.setAtIndex(Simd.FLOAT, dOff + i, dst.getAtIndex(Simd.FLOAT, dOff + i) + src.getAtIndex(Simd.FLOAT, sOff + i));
        }
    }

    /**
     * Kept this small on purpose: it is inlined into unfoldRow, and a scalar or vector loop here for the
     * many one-float padding runs pushed C2 past its inlining budget there (IntrinsificationTest: the
     * stride-2 shuffles lost their intrinsics and boxed ~300 KB per call).
     */
    static void fillZero(MemorySegment seg, long off, long len) {
        if (len > 0) seg.asSlice(off * Float.BYTES, len * Float.BYTES).fill((byte) 0);
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    static void checkFloats(String name, MemorySegment seg, long needed, ConvGeometry g) {
        if (seg == null) throw new IllegalArgumentException("conv2d " + g + ": " + name + " is null");
        if (seg.byteSize() < needed * Float.BYTES) {
            throw new IllegalArgumentException("conv2d " + g + ": " + name + " holds " + seg.byteSize() / Float.BYTES
                    + " floats, the geometry needs " + needed);
        }
    }

    static void checkDoubles(String name, double[] a, long needed, ConvGeometry g) {
        if (a == null) throw new IllegalArgumentException("conv2d " + g + ": " + name + " is null");
        if (a.length < needed) {
            throw new IllegalArgumentException("conv2d " + g + ": " + name + " holds " + a.length
                    + " doubles, the geometry needs " + needed);
        }
    }

    // ---- double references: the definition, element by element ----

    public static void unfoldReference(ConvGeometry g, double[] x, double[] cols) {
        int n = g.batch(), c = g.inChannels(), h = g.inH(), w = g.inW(), k = g.kernel();
        int s = g.stride(), p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        checkDoubles("x", x, g.inputSize(), g);
        checkDoubles("cols", cols, (long) n * g.patchSize() * oh * ow, g);
        int i = 0;
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++)
                        for (int y = 0; y < oh; y++)
                            for (int xo = 0; xo < ow; xo++) {
                                int ih = y * s - p + ki * d, iw = xo * s - p + kj * d;
                                cols[i++] = ih >= 0 && ih < h && iw >= 0 && iw < w
                                        ? x[((b * c + ch) * h + ih) * w + iw] : 0.0;
                            }
    }

    public static void foldReference(ConvGeometry g, double[] cols, double[] x) {
        int n = g.batch(), c = g.inChannels(), h = g.inH(), w = g.inW(), k = g.kernel();
        int s = g.stride(), p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        checkDoubles("x", x, g.inputSize(), g);
        checkDoubles("cols", cols, (long) n * g.patchSize() * oh * ow, g);
        int i = 0;
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++)
                        for (int y = 0; y < oh; y++)
                            for (int xo = 0; xo < ow; xo++, i++) {
                                int ih = y * s - p + ki * d, iw = xo * s - p + kj * d;
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) x[((b * c + ch) * h + ih) * w + iw] += cols[i];
                            }
    }
}
