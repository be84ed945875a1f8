package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Forward and backward-data passes of a 3x3 stride-1 "same" convolution (padding = dilation) by
 * Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2016): each 2x2 block of outputs costs
 * 16 multiplies per (input, output) channel pair instead of 36, so the GEMM work is 2.25x smaller
 * than im2col's. The backward-data pass is the same computation with the adjoint filters.
 *
 * <pre>
 *   per (sample, band of tile rows), one pool task on one thread:
 *     V[16][cin][T]  = B^T d B of every 4x4 input tile d          (input transform: adds only)
 *     M[16][cout][T] = U[xi] x V[xi] for xi = 0..15               (16 GEMMs, U from {@link WinogradFilters})
 *     y (2x2 per tile) = A^T m A + bias                           (output transform: adds only)
 *
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]      A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 *
 * <h2>Tiles, dilation and vector lanes</h2>
 * A tile is the 2x2 outputs {@code (r, x), (r, x + d), (r + d, x), (r + d, x + d)} with dilation
 * d; its 4x4 input is rows and columns {@code -d, 0, d, 2d} from its origin. The origins are the
 * rows and columns whose index mod 2d is below d, so the tiles cover the plane exactly when 2d
 * divides H and W. Lanes run over the origins of one tile row. Those sit in blocks of d, so the
 * four input columns of lane i are, with the row split into its origin columns {@code o} and the
 * columns d after them {@code c} (each a contiguous array):
 * <pre>
 *   x(i) - d = c[i - d]      x(i) = o[i]      x(i) + d = c[i]      x(i) + 2d = o[i + d]
 * </pre>
 * so every tap is one unaligned vector load. For d below the vector width the split is two
 * two-vector permutes per 2 vectors of input ({@code selectFrom}); from d = lanes up it is plain
 * block copies. The output transform interleaves back the same way. Zero padding is the arrays'
 * zero margins and zero rows.
 *
 * <p>Each output is the same sum whatever the band split or thread count: the GEMM sums over cin
 * in one fixed order and a tile's transforms use nothing but its own inputs.
 */
final class ConvWinograd {
    private ConvWinograd() {}

    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.LANES;
    private static final ByteOrder ORDER = Simd.ORDER;
    /** Scratch slot of the GEMM products M (the input transform V is in {@link Conv2d#COL_SLOT}, the gated band in slot 1). */
    static final int PRODUCT_SLOT = 0;
    /** Scratch slot of a gated band's outputs before the gate: {@link Conv2d}'s gate slot (never live at the same time). */
    private static final int GATE_SLOT = 1;
    /** Floats of a band's V and M together: about half of a Zen 4 core's 1 MB L2. */
    static final int BAND_FLOATS = 128 << 10;
    /** Fewest channels on either side: below it the GEMMs are too thin to repay the transforms (measured, see {@link Conv2d}). */
    static final int MIN_CHANNELS = 12;

    /**
     * Permute indices per dilation below the vector width: origin columns, the columns d after them,
     * and the two interleave halves. Kept as float arrays and loaded with the constant species where
     * used: a FloatVector read from an array has no exact type for C2, whose {@code selectFrom} on it
     * then depends on a type profile (seen: the d = 4 layers boxing every vector in some JVMs).
     */
    private static final float[][][] PERMUTES = permutes();

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    /** A thread's four split input rows of one tile row: origin columns and the columns d after them, with zero margins. */
    private static final class Rows {
        final float[][] o = new float[4][], c = new float[4][];

        Rows fit(int length) {
            for (int k = 0; k < 4; k++) {
                if (o[k] == null || o[k].length < length) {
                    o[k] = new float[length];
                    c[k] = new float[length];
                }
            }
            return this;
        }
    }

    /** {@code -Dsonogate.winograd=off} leaves every layer to im2col + GEMM or the direct kernel (A/B runs). */
    static final boolean ENABLED = !"off".equals(System.getProperty("sonogate.winograd"));

    static boolean suits(ConvGeometry g) {
        if (!ENABLED) return false;
        int d = g.dilation(), h = g.inH(), w = g.inW();
        if (g.kernel() != 3 || g.stride() != 1 || g.padding() != d) return false;
        if (h % (2 * d) != 0 || w % (2 * d) != 0 || (w / 2) % L != 0) return false;
        if (d < L ? L % d != 0 : d % L != 0) return false;
        int ci = g.inChannels(), co = g.outChannels();
        // the packed filters (WinogradFilters) need Sgemm to pack each U[xi] whole, either way round
        boolean packable = (long) (ci + SgemmMicroKernel.MR) * (co + SgemmMicroKernel.MR) <= Sgemm.A_CACHE_MAX;
        return Math.min(ci, co) >= MIN_CHANNELS && packable;
    }

    /** y [N, cout, H, W] = conv(x, w) + bias (bias may be null). */
    static void forward(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        convolve(g, WinogradFilters.of(g, w, false), null, false, x, w, bias, y);
    }

    /** out [N, cout/2, H, W] = act(features) * sigmoid(gates) of the convolution, gated band by band (same bits as {@link #forward} then {@link Gating#forward}). */
    static void forwardGated(ConvGeometry g, GateActivation act, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment out) {
        convolve(g, WinogradFilters.of(g, w, false), act, false, x, w, bias, out);
    }

    /**
     * dx += the backward-data pass: with stride 1 and padding = dilation it is a forward convolution
     * of dy (cout channels in) with the adjoint filters (cin out), so it takes the same tiles.
     */
    static void backwardData(ConvGeometry g, MemorySegment dy, MemorySegment w, MemorySegment dx) {
        ConvGeometry adjoint = new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(),
                3, 1, g.padding(), g.dilation());
        convolve(adjoint, WinogradFilters.of(g, w, true), null, true, dy, w, null, dx);
    }

    /** Tiles g's planes; dst gets (accumulate) or is set to the output, gated when act is set. */
    private static void convolve(ConvGeometry g, WinogradFilters.Transformed u, GateActivation act, boolean accumulate,
                                 MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment dst) {
        if (!suits(g)) throw new IllegalArgumentException("conv2d winograd: no path for " + g);
        float[] b = new float[g.outChannels()];
        if (bias != null) MemorySegment.copy(bias, Simd.FLOAT, 0, b, 0, b.length);
        boolean parallel = Conv2d.parallel(g, x, w, dst, bias);
        int tileRows = g.outH() / 2, rows = bandTileRows(g, parallel), perSample = ceilDiv(tileRows, rows);
        Conv2d.run(parallel, g.batch() * perSample, t -> {
            int n = t / perSample, tr0 = t % perSample * rows, tr1 = Math.min(tileRows, tr0 + rows);
            band(g, act, accumulate, u, b, x, n, tr0, tr1, dst);
        });
    }

    /**
     * Tile rows per band: V and M within {@link #BAND_FLOATS}, bands of a sample as even as they can
     * be, a whole number of GEMM panels where a tile row is narrower than one, and, when the pass is
     * parallel and the samples do not share out evenly, a multiple of the thread count of bands.
     */
    private static int bandTileRows(ConvGeometry g, boolean parallel) {
        int tileRows = g.outH() / 2, tw = g.outW() / 2, threads = Parallel.threads();
        int perRow = 16 * (g.inChannels() + g.outChannels()) * tw;
        int bands = ceilDiv(tileRows, Math.max(1, BAND_FLOATS / perRow));
        if (parallel && g.batch() % threads != 0) bands = ceilDiv(bands, threads) * threads;
        int rows = ceilDiv(tileRows, Math.min(tileRows, bands));
        int step = Math.max(1, SgemmMicroKernel.NR / tw);
        return Math.min(tileRows, ceilDiv(rows, step) * step);
    }

    /** Tile rows tr0 .. tr1 - 1 of sample n: transforms, 16 GEMMs, output transform into dst (gated when act is set). */
    private static void band(ConvGeometry g, GateActivation act, boolean accumulate, WinogradFilters.Transformed u, float[] bias,
                             MemorySegment x, int n, int tr0, int tr1, MemorySegment dst) {
        int ci = g.inChannels(), co = g.outChannels(), h = g.inH(), w = g.inW(), tw = w / 2;
        int tiles = (tr1 - tr0) * tw;
        MemorySegment v = Scratch.floats(Conv2d.COL_SLOT, 16L * ci * tiles);
        MemorySegment m = Scratch.floats(PRODUCT_SLOT, 16L * co * tiles);
        long xPlane = (long) h * w;
        for (int c = 0; c < ci; c++) inputTransform(g, x, ((long) n * ci + c) * xPlane, tr0, tr1, v, (long) c * tiles, (long) ci * tiles);
        for (int xi = 0; xi < 16; xi++) {
            Sgemm.serialPacked(u.packed()[xi], co, tiles, ci, v, (long) xi * ci * tiles, tiles, 0f, m, (long) xi * co * tiles, tiles);
        }
        if (act == null) {
            long yPer = (long) co * xPlane;
            for (int c = 0; c < co; c++) {
                outputTransform(g, m, (long) c * tiles, (long) co * tiles, bias[c], tr0, tr1, dst, n * yPer + c * xPlane, false, accumulate);
            }
            return;
        }
        // gated: the band's pre-gate rows (local row 2 (tr - tr0) + a is output row origin(tr) + a d), then the gate row by row
        int half = co / 2, localRows = 2 * (tr1 - tr0), d = g.dilation();
        long bandPlane = (long) localRows * w;
        MemorySegment pre = Scratch.floats(GATE_SLOT, co * bandPlane);
        for (int c = 0; c < co; c++) outputTransform(g, m, (long) c * tiles, (long) co * tiles, bias[c], tr0, tr1, pre, c * bandPlane, true, false);
        long outPer = (long) half * xPlane;
        for (int lr = 0; lr < localRows; lr++) {
            int row = origin(tr0 + lr / 2, d) + (lr % 2) * d;
            Gating.forwardRows(act, half, w, pre, (long) lr * w, bandPlane, dst, n * outPer + (long) row * w, xPlane);
        }
    }

    /** The first row (or column) of tile row (or column) t: origins sit in blocks of d, 2d apart. */
    private static int origin(int t, int d) {
        return t / d * 2 * d + t % d;
    }

    /**
     * V[xi][plane][tile] for one input plane at xOff, tile rows tr0 .. tr1 - 1: element
     * {@code vOff + xi * xiStride + (tr - tr0) * tw + i}.
     */
    private static void inputTransform(ConvGeometry g, MemorySegment x, long xOff, int tr0, int tr1,
                                       MemorySegment v, long vOff, long xiStride) {
        int h = g.inH(), w = g.inW(), d = g.dilation(), tw = w / 2;
        Rows rows = ROWS.get().fit(tw + d + L);
        float[][] o = rows.o, c = rows.c;
        for (int tr = tr0; tr < tr1; tr++) {
            int r0 = origin(tr, d);
            for (int k = 0; k < 4; k++) {
                int row = r0 + (k - 1) * d;
                if (row < 0 || row >= h) {
                    Arrays.fill(o[k], 0f);
                    Arrays.fill(c[k], 0f);
                } else {
                    split(x, xOff + (long) row * w, w, d, o[k], c[k]);
                }
            }
            long at = vOff + (long) (tr - tr0) * tw;
            for (int i = 0; i < tw; i += L) inputTile(o, c, i, d, v, at + i, xiStride);
        }
    }

    /**
     * Splits one input row: o[i] = row[x(i)], c[d + i] = row[x(i) + d] for the tw origins x(i);
     * o[tw .. tw + d) and c[0 .. d) stay zero (the padding right and left).
     */
    private static void split(MemorySegment x, long rowOff, int w, int d, float[] o, float[] c) {
        int tw = w / 2;
        Arrays.fill(o, tw, tw + d, 0f);
        Arrays.fill(c, 0, d, 0f);
        if (d < L) {
            float[][] p = PERMUTES[d];
            FloatVector po = FloatVector.fromArray(F, p[0], 0), pc = FloatVector.fromArray(F, p[1], 0);
            for (int j = 0, i = 0; j < w; j += 2 * L, i += L) {
                FloatVector v0 = FloatVector.fromMemorySegment(F, x, (rowOff + j) * Float.BYTES, ORDER);
                FloatVector v1 = FloatVector.fromMemorySegment(F, x, (rowOff + j + L) * Float.BYTES, ORDER);
                po.selectFrom(v0, v1).intoArray(o, i);
                pc.selectFrom(v0, v1).intoArray(c, d + i);
            }
            return;
        }
        for (int blk = 0; blk < w / (2 * d); blk++) {
            for (int l = 0; l < d; l += L) {
                long at = rowOff + (long) blk * 2 * d + l;
                FloatVector.fromMemorySegment(F, x, at * Float.BYTES, ORDER).intoArray(o, blk * d + l);
                FloatVector.fromMemorySegment(F, x, (at + d) * Float.BYTES, ORDER).intoArray(c, d + blk * d + l);
            }
        }
    }

    /** B^T d B for the L tiles from lane i: input row k's four columns are c[k][i], o[k][i], c[k][i + d], o[k][i + d]. */
    private static void inputTile(float[][] o, float[][] c, int i, int d, MemorySegment v, long at, long xiStride) {
        // rows: t_k = (d_k0 - d_k2, d_k1 + d_k2, d_k2 - d_k1, d_k1 - d_k3)
        FloatVector a0 = FloatVector.fromArray(F, c[0], i), a1 = FloatVector.fromArray(F, o[0], i);
        FloatVector a2 = FloatVector.fromArray(F, c[0], i + d), a3 = FloatVector.fromArray(F, o[0], i + d);
        FloatVector t00 = a0.sub(a2), t01 = a1.add(a2), t02 = a2.sub(a1), t03 = a1.sub(a3);
        a0 = FloatVector.fromArray(F, c[1], i); a1 = FloatVector.fromArray(F, o[1], i);
        a2 = FloatVector.fromArray(F, c[1], i + d); a3 = FloatVector.fromArray(F, o[1], i + d);
        FloatVector t10 = a0.sub(a2), t11 = a1.add(a2), t12 = a2.sub(a1), t13 = a1.sub(a3);
        a0 = FloatVector.fromArray(F, c[2], i); a1 = FloatVector.fromArray(F, o[2], i);
        a2 = FloatVector.fromArray(F, c[2], i + d); a3 = FloatVector.fromArray(F, o[2], i + d);
        FloatVector t20 = a0.sub(a2), t21 = a1.add(a2), t22 = a2.sub(a1), t23 = a1.sub(a3);
        a0 = FloatVector.fromArray(F, c[3], i); a1 = FloatVector.fromArray(F, o[3], i);
        a2 = FloatVector.fromArray(F, c[3], i + d); a3 = FloatVector.fromArray(F, o[3], i + d);
        FloatVector t30 = a0.sub(a2), t31 = a1.add(a2), t32 = a2.sub(a1), t33 = a1.sub(a3);
        // columns: V_0j = t_0j - t_2j, V_1j = t_1j + t_2j, V_2j = t_2j - t_1j, V_3j = t_1j - t_3j
        // (loads and stores written out: C2 declined to inline one-line helpers here, "callee uses too much stack")
        long b = at * Float.BYTES, s = xiStride * Float.BYTES;
        t00.sub(t20).intoMemorySegment(v, b, ORDER);
        t01.sub(t21).intoMemorySegment(v, b + s, ORDER);
        t02.sub(t22).intoMemorySegment(v, b + 2 * s, ORDER);
        t03.sub(t23).intoMemorySegment(v, b + 3 * s, ORDER);
        t10.add(t20).intoMemorySegment(v, b + 4 * s, ORDER);
        t11.add(t21).intoMemorySegment(v, b + 5 * s, ORDER);
        t12.add(t22).intoMemorySegment(v, b + 6 * s, ORDER);
        t13.add(t23).intoMemorySegment(v, b + 7 * s, ORDER);
        t20.sub(t10).intoMemorySegment(v, b + 8 * s, ORDER);
        t21.sub(t11).intoMemorySegment(v, b + 9 * s, ORDER);
        t22.sub(t12).intoMemorySegment(v, b + 10 * s, ORDER);
        t23.sub(t13).intoMemorySegment(v, b + 11 * s, ORDER);
        t10.sub(t30).intoMemorySegment(v, b + 12 * s, ORDER);
        t11.sub(t31).intoMemorySegment(v, b + 13 * s, ORDER);
        t12.sub(t32).intoMemorySegment(v, b + 14 * s, ORDER);
        t13.sub(t33).intoMemorySegment(v, b + 15 * s, ORDER);
    }

    /**
     * A^T m A + bias for one output channel's products (element {@code mOff + xi * xiStride + tile}
     * of tile rows tr0 .. tr1 - 1) into the plane at dstOff. Tile row tr writes rows origin(tr) and
     * origin(tr) + d of a whole plane, or, when {@code local}, rows 2 (tr - tr0) and 2 (tr - tr0) + 1
     * of a band buffer. {@code accumulate} adds to what dst holds instead of overwriting it.
     */
    private static void outputTransform(ConvGeometry g, MemorySegment m, long mOff, long xiStride, float bias,
                                        int tr0, int tr1, MemorySegment dst, long dstOff, boolean local, boolean accumulate) {
        int w = g.inW(), d = g.dilation(), tw = w / 2;
        for (int tr = tr0; tr < tr1; tr++) {
            int first = local ? 2 * (tr - tr0) : origin(tr, d), second = local ? first + 1 : first + d;
            long rowA = dstOff + (long) first * w, rowB = dstOff + (long) second * w;
            long mt = mOff + (long) (tr - tr0) * tw;
            for (int i = 0; i < tw; i += L) outputTile(m, mt + i, xiStride, bias, i, d, dst, rowA, rowB, accumulate);
        }
    }

    /** A^T m A + bias for the L tiles from lane i; interleaves each output row back into columns. */
    private static void outputTile(MemorySegment m, long at, long xiStride, float bias, int i, int d,
                                   MemorySegment dst, long rowA, long rowB, boolean accumulate) {
        // rows: s_r = (m_r0 + m_r1 + m_r2, m_r1 - m_r2 - m_r3); loads written out (see inputTile)
        long b = at * Float.BYTES, s = xiStride * Float.BYTES;
        FloatVector m0 = FloatVector.fromMemorySegment(F, m, b, ORDER);
        FloatVector m1 = FloatVector.fromMemorySegment(F, m, b + s, ORDER);
        FloatVector m2 = FloatVector.fromMemorySegment(F, m, b + 2 * s, ORDER);
        FloatVector m3 = FloatVector.fromMemorySegment(F, m, b + 3 * s, ORDER);
        FloatVector s00 = m0.add(m1).add(m2), s01 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromMemorySegment(F, m, b + 4 * s, ORDER);
        m1 = FloatVector.fromMemorySegment(F, m, b + 5 * s, ORDER);
        m2 = FloatVector.fromMemorySegment(F, m, b + 6 * s, ORDER);
        m3 = FloatVector.fromMemorySegment(F, m, b + 7 * s, ORDER);
        FloatVector s10 = m0.add(m1).add(m2), s11 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromMemorySegment(F, m, b + 8 * s, ORDER);
        m1 = FloatVector.fromMemorySegment(F, m, b + 9 * s, ORDER);
        m2 = FloatVector.fromMemorySegment(F, m, b + 10 * s, ORDER);
        m3 = FloatVector.fromMemorySegment(F, m, b + 11 * s, ORDER);
        FloatVector s20 = m0.add(m1).add(m2), s21 = m1.sub(m2).sub(m3);
        m0 = FloatVector.fromMemorySegment(F, m, b + 12 * s, ORDER);
        m1 = FloatVector.fromMemorySegment(F, m, b + 13 * s, ORDER);
        m2 = FloatVector.fromMemorySegment(F, m, b + 14 * s, ORDER);
        m3 = FloatVector.fromMemorySegment(F, m, b + 15 * s, ORDER);
        FloatVector s30 = m0.add(m1).add(m2), s31 = m1.sub(m2).sub(m3);
        // columns: Y_0b = s_0b + s_1b + s_2b, Y_1b = s_1b - s_2b - s_3b
        FloatVector y00 = s00.add(s10).add(s20).add(bias), y01 = s01.add(s11).add(s21).add(bias);
        FloatVector y10 = s10.sub(s20).sub(s30).add(bias), y11 = s11.sub(s21).sub(s31).add(bias);
        long a0, a1, b0, b1;   // element offsets of the four stores: row A's two halves, then row B's
        if (d < L) {
            FloatVector lo = FloatVector.fromArray(F, PERMUTES[d][2], 0), hi = FloatVector.fromArray(F, PERMUTES[d][3], 0);
            FloatVector ya0 = y00, ya1 = y01, yb0 = y10, yb1 = y11;
            y00 = lo.selectFrom(ya0, ya1);
            y01 = hi.selectFrom(ya0, ya1);
            y10 = lo.selectFrom(yb0, yb1);
            y11 = hi.selectFrom(yb0, yb1);
            a0 = rowA + 2 * (long) i;   // two vectors of columns from column 2i
            a1 = a0 + L;
            b0 = rowB + 2 * (long) i;
            b1 = b0 + L;
        } else {
            a0 = rowA + origin(i, d);
            a1 = a0 + d;
            b0 = rowB + origin(i, d);
            b1 = b0 + d;
        }
        if (accumulate) {
            y00 = y00.add(FloatVector.fromMemorySegment(F, dst, a0 * Float.BYTES, ORDER));
            y01 = y01.add(FloatVector.fromMemorySegment(F, dst, a1 * Float.BYTES, ORDER));
            y10 = y10.add(FloatVector.fromMemorySegment(F, dst, b0 * Float.BYTES, ORDER));
            y11 = y11.add(FloatVector.fromMemorySegment(F, dst, b1 * Float.BYTES, ORDER));
        }
        y00.intoMemorySegment(dst, a0 * Float.BYTES, ORDER);
        y01.intoMemorySegment(dst, a1 * Float.BYTES, ORDER);
        y10.intoMemorySegment(dst, b0 * Float.BYTES, ORDER);
        y11.intoMemorySegment(dst, b1 * Float.BYTES, ORDER);
    }

    private static float[][][] permutes() {
        float[][][] p = new float[L][][];
        for (int d = 1; d < L; d++) {
            if (L % d != 0) continue;
            float[] origins = new float[L], after = new float[L], lo = new float[L], hi = new float[L];
            for (int l = 0; l < L; l++) {
                origins[l] = origin(l, d);
                after[l] = origin(l, d) + d;
                lo[l] = interleaved(l, d);
                hi[l] = interleaved(L + l, d);
            }
            p[d] = new float[][] {origins, after, lo, hi};
        }
        return p;
    }

    /** Output column q of 2L interleaved from (origin outputs, outputs d after them): lane of the first vector, or L + lane of the second. */
    private static float interleaved(int q, int d) {
        int lane = q / (2 * d) * d + q % d;
        return (q / d) % 2 == 0 ? lane : L + lane;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
