package sonogate.kernels;

import java.lang.foreign.MemorySegment;

import static sonogate.kernels.SgemmMicroKernel.MR;
import static sonogate.kernels.SgemmMicroKernel.NR;

/**
 * Single-precision GEMM on off-heap float data, row-major:
 * {@code C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C}.
 * Offsets and leading dimensions are in floats. {@code op(A)} is A (m rows of lda) or, with
 * {@code transA}, the transpose of A stored as k rows of lda; likewise for B.
 *
 * <h2>Blocking (Goto / BLIS scheme)</h2>
 * <pre>
 *   pack op(A) whole, K block by K block, into MR-row slivers       (once per call, shared)
 *   split C's columns into chunks, handed out dynamically to the threads
 *   (or its rows, when C has too few columns to share out)
 *   per chunk:
 *   for jc over the chunk's columns, NC at a time
 *     for pc over K, kc at a time                    K split into equal blocks <= KC
 *       pack op(B)[pc.., jc..] into NR-wide micro-panels            B block  kc x NC  ~L3
 *       for ic over rows, mc at a time               A block  mc x kc  ~L2 (mc from the L2 budget)
 *         for jr over micro-panels                   B panel  kc x NR  reused by every sliver
 *           for ir over slivers                      C tile   MR x NR  in 24 vector registers
 *             {@link SgemmMicroKernel#kernel}: C tile = alpha * sliver * panel + beta * C tile
 * </pre>
 * KC is large (1024) because every K block costs a read-modify-write pass over C, whose tiles
 * miss cache; the A block shrinks to match, so it still fits L2. The first K block applies beta,
 * later ones accumulate. Ragged slivers and panels are zero padded, so the kernel has no tail
 * loop; only their C update is narrower. With a single sliver (m <= 12) nothing reuses a packed
 * B panel, so non-transposed B is then read in place. Problems too small to repay a thread
 * handoff run on the caller. One column of C (n = 1) or a single inner dimension (k = 1) goes to
 * {@link SgemmThin} instead.
 */
public final class Sgemm {
    private Sgemm() {}

    /** Largest K block. */
    static final int KC = 1024;
    /** Largest A block height (a multiple of MR). */
    static final int MC = 192;
    /** Bytes of packed A one thread keeps hot in L2 (1 MB on Zen 4) while B micro-panels stream past it. */
    static final int A_BLOCK_BYTES = 384 << 10;
    /** Widest B block (a multiple of NR): 4 MB at KC, two of them share L3 comfortably. */
    static final int NC = 1024;
    /** Up to this many rows per thread, a non-transposed B is read in place instead of packed. */
    static final int DIRECT_B_ROWS = MR;
    /** Largest op(A) packed whole up front (floats); beyond it A is packed block by block. */
    static final long A_CACHE_MAX = 8L << 20;
    /** Below this many flops one thread finishes before a second would pay off. */
    static final double PARALLEL_MIN_FLOPS = 2e6;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             MemorySegment a, long aOff, int lda,
                             MemorySegment b, long bOff, int ldb,
                             float beta, MemorySegment c, long cOff, int ldc) {
        sgemm(Parallel.threads(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** As the public entry point, but split across at most {@code threads} threads (tests pin 1 vs many). */
    static void sgemm(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, long aOff, int lda,
                      MemorySegment b, long bOff, int ldb,
                      float beta, MemorySegment c, long cOff, int ldc) {
        if (doneWithoutBlocking(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) return;
        Problem pr = new Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        int slivers = ceilDiv(m, MR), panels = ceilDiv(n, NR);
        if (threads == 1 || 2.0 * m * n * k < PARALLEL_MIN_FLOPS || !shareable(a) || !shareable(b) || !shareable(c)) {
            pr.run(0, m, 0, n, pr.packWholeA(0, m));
            return;
        }
        // Split whichever dimension leaves the busiest thread the fewest tiles. Several chunks per
        // thread, handed out dynamically, so a thread the OS delays costs one chunk, not half the job.
        long byCols = (long) ceilDiv(panels, threads) * slivers;
        long byRows = (long) ceilDiv(slivers, threads) * panels;
        if (byCols <= byRows) {
            // Columns: op(A) is packed once here and shared; each chunk packs only its own B.
            float[] packedA = pr.packWholeA(0, m);
            int parts = chunks(panels, threads);
            Parallel.forChunks(parts, t -> pr.run(0, m,
                    Math.min(n, panels * t / parts * NR), Math.min(n, panels * (t + 1) / parts * NR), packedA));
        } else {
            // Rows (few columns): each chunk packs its rows of A and the small B itself.
            int parts = chunks(slivers, threads);
            Parallel.forChunks(parts, t -> {
                int i0 = Math.min(m, slivers * t / parts * MR), i1 = Math.min(m, slivers * (t + 1) / parts * MR);
                pr.run(i0, i1, 0, n, pr.packWholeA(i0, i1));
            });
        }
    }

    /**
     * op(A) packed once for several products that share it ({@link Conv2d}'s row bands, run on
     * several threads). The buffer is the calling thread's and stays valid until that thread's next
     * Sgemm call; null when op(A) is too large to pack whole ({@link #serial} then packs as it goes).
     */
    static float[] packA(boolean transA, int m, int k, MemorySegment a, long aOff, int lda) {
        if (m < 0 || k < 0 || aOff < 0 || lda < (transA ? m : k)
                || (m > 0 && k > 0 && !fits(a, aOff, lda, transA ? k : m, transA ? m : k))) {
            throw new IllegalArgumentException("sgemm packA: A of " + floats(a) + " floats does not hold op(A) " + m + " x " + k
                    + " (transA=" + transA + ", aOff=" + aOff + ", lda=" + lda + ")");
        }
        if (m == 0 || k == 0) return null;
        return new Problem(transA, false, m, 1, k, 1f, a, aOff, lda, a, aOff, 1, 0f, a, aOff, 1).packWholeA(0, m);
    }

    /** Floats of {@link #packA}'s result for op(A) of m x k. */
    static int packedASize(int m, int k) {
        return ceilDiv(m, MR) * MR * k;
    }

    /**
     * The product on the calling thread alone (no pool hand-off), with op(A) from {@link #packA} of
     * the same {@code transA, m, k, a, aOff, lda} (or null). The result is the same, bit for bit,
     * as the threaded entry point's: each element's sum runs over K in the same order.
     */
    static void serial(float[] packedA, boolean transA, boolean transB, int m, int n, int k, float alpha,
                       MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                       float beta, MemorySegment c, long cOff, int ldc) {
        if (doneWithoutBlocking(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) return;
        new Problem(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc).run(0, m, 0, n, packedA);
    }

    /**
     * {@code C[m,n] = A * B[k,n] + beta * C} on the calling thread, with A known only as
     * {@link #packA}'s packing of it (m x k, not transposed): for callers that keep packed operands
     * instead of the matrices ({@link WinogradFilters}). Always the blocked path, so the same bits as
     * {@link #serial} wherever that path runs.
     */
    static void serialPacked(float[] packedA, int m, int n, int k, MemorySegment b, long bOff, int ldb,
                             float beta, MemorySegment c, long cOff, int ldc) {
        String what = null;
        if (m < 0 || n < 0 || k < 0 || bOff < 0 || cOff < 0) what = "negative size or offset";
        else if (packedA == null || packedA.length < packedASize(m, k)) what = "packed A too small";
        else if (ldb < n || ldc < n) what = "leading dimension too small";
        else if (m > 0 && k > 0 && n > 0 && !fits(b, bOff, ldb, k, n)) what = "B segment too small";
        else if (m > 0 && n > 0 && !fits(c, cOff, ldc, m, n)) what = "C segment too small";
        if (what != null) {
            throw new IllegalArgumentException("sgemm serialPacked: " + what + " (m=" + m + ", n=" + n + ", k=" + k
                    + ", packed A=" + (packedA == null ? "null" : packedA.length) + ", bOff=" + bOff + ", ldb=" + ldb
                    + ", cOff=" + cOff + ", ldc=" + ldc + ", B=" + floats(b) + ", C=" + floats(c) + " floats)");
        }
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        new Problem(false, false, m, n, k, 1f, null, 0, k, b, bOff, ldb, beta, c, cOff, ldc).run(0, m, 0, n, packedA);
    }

    /**
     * Validates the arguments, then computes what needs no blocking: empty C, C = beta * C (k = 0 or
     * alpha = 0) and {@link SgemmThin}'s shapes. True when C is done. Both entry points start here,
     * so they agree on every such case.
     */
    private static boolean doneWithoutBlocking(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                               MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                               float beta, MemorySegment c, long cOff, int ldc) {
        validate(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return true;
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return true;
        }
        if (SgemmThin.handles(n, k)) {
            SgemmThin.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return true;
        }
        return false;
    }

    /** Chunks for {@code tiles} tiles: at least one per thread, up to 4, each at least 4 tiles. */
    private static int chunks(int tiles, int threads) {
        return Math.min(tiles, Math.max(threads, Math.min(4 * threads, tiles / 4)));
    }

    /** K blocks: equal sizes no larger than KC, so no thin last block. */
    private static int kcMax(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /** Rows per A block: as many slivers as fit the L2 budget at this kc. */
    private static int mcMax(int kcMax) {
        return Math.max(MR, Math.min(MC, A_BLOCK_BYTES / (kcMax * Float.BYTES) / MR * MR));
    }

    private record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                           float beta, MemorySegment c, long cOff, int ldc) {

        /**
         * Packs rows {@code [i0, i1)} of op(A), all K blocks, into this thread's A buffer: K block
         * {@code pc} at {@code pc * rowsPadded}, its slivers {@code kc * MR} apart. Returns null
         * when that would be too large; {@link #run} then packs block by block.
         */
        float[] packWholeA(int i0, int i1) {
            int rowsPadded = ceilDiv(i1 - i0, MR) * MR;
            if ((long) rowsPadded * k > A_CACHE_MAX) return null;
            float[] ap = WORK.get().a(rowsPadded * k);
            int kcMax = kcMax(k);
            for (int pc = 0; pc < k; pc += kcMax) {
                SgemmPacking.packA(transA, a, aOff, lda, i0, i1 - i0, pc, Math.min(kcMax, k - pc), ap, pc * rowsPadded);
            }
            return ap;
        }

        /**
         * The blocked loops over C rows {@code [i0, i1)} and columns {@code [j0, j1)}, with those
         * rows of op(A) already packed by {@link #packWholeA} or, if {@code packedA} is null, not.
         */
        void run(int i0, int i1, int j0, int j1, float[] packedA) {
            int rows = i1 - i0;
            int rowsPadded = ceilDiv(rows, MR) * MR;
            int kcMax = kcMax(k);
            int mcMax = mcMax(kcMax);
            int ncMax = Math.min(NC, ceilDiv(j1 - j0, NR) * NR);
            boolean direct = !transB && rows <= DIRECT_B_ROWS;
            Work w = WORK.get();
            float[] ap = packedA != null ? packedA : w.a(Math.min(rowsPadded, mcMax) * kcMax);
            float[] bp = w.b(kcMax * ncMax);
            float[] tile = w.tile;
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    float blockBeta = pc == 0 ? beta : 1f;
                    // Direct mode packs only the ragged last panel, which full-width loads would overrun.
                    int packFrom = direct ? nc / NR * NR : 0;
                    if (packFrom < nc) SgemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc + packFrom, nc - packFrom, bp);
                    for (int ic = i0; ic < i1; ic += mcMax) {
                        int mc = Math.min(mcMax, i1 - ic);
                        int aBase = 0;
                        if (packedA != null) aBase = pc * rowsPadded + (ic - i0) * kc;
                        else SgemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, ap, 0);
                        macroKernel(ap, aBase, mc, bp, packFrom, nc, kc, pc, ic, jc, blockBeta, tile);
                    }
                }
            }
        }

        /** One A block times one B block; B columns before {@code packFrom} are read in place. */
        private void macroKernel(float[] ap, int aBase, int mc, float[] bp, int packFrom, int nc, int kc,
                                 int pc, int ic, int jc, float blockBeta, float[] tile) {
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                boolean inPlace = jr < packFrom;
                int bBase = (jr - packFrom) * kc;
                long bIdx = bOff + (long) pc * ldb + jc + jr;
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    long cIdx = cOff + (long) (ic + ir) * ldc + jc + jr;
                    if (inPlace) {
                        SgemmMicroKernel.kernelDirect(kc, ap, aBase + ir * kc, b, bIdx, ldb, tile,
                                mr, nr, c, cIdx, ldc, alpha, blockBeta);
                    } else {
                        SgemmMicroKernel.kernel(kc, ap, aBase + ir * kc, bp, bBase, tile,
                                mr, nr, c, cIdx, ldc, alpha, blockBeta);
                    }
                }
            }
        }
    }

    /** Per-thread packing buffers: grown on demand, then reused across calls. */
    private static final class Work {
        float[] a = new float[0], b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }

    /** {@code C = beta * C}; beta 0 clears C without reading it. */
    private static void scale(int m, int n, float beta, MemorySegment c, long cOff, int ldc) {
        if (beta == 1) return;
        for (int i = 0; i < m; i++) {
            long row = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) Simd.set(c, row + j, beta == 0 ? 0f : beta * Simd.get(c, row + j));
        }
    }

    /** A thread that never runs: segments it may access are not confined to the caller. */
    private static final Thread OTHER_THREAD = new Thread(() -> {});

    /** Whether pool workers may touch {@code seg}; a confined segment keeps the work on the caller. */
    private static boolean shareable(MemorySegment seg) {
        return seg.isAccessibleBy(OTHER_THREAD);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static void validate(boolean transA, boolean transB, int m, int n, int k,
                                 MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                                 MemorySegment c, long cOff, int ldc) {
        String what = null;
        if (m < 0 || n < 0 || k < 0) what = "negative size";
        else if (aOff < 0 || bOff < 0 || cOff < 0) what = "negative offset";
        else if (lda < (transA ? m : k)) what = "lda too small";
        else if (ldb < (transB ? k : n)) what = "ldb too small";
        else if (ldc < n) what = "ldc too small";
        else if (m > 0 && k > 0 && n > 0 && !fits(a, aOff, lda, transA ? k : m, transA ? m : k)) what = "A segment too small";
        else if (m > 0 && k > 0 && n > 0 && !fits(b, bOff, ldb, transB ? n : k, transB ? k : n)) what = "B segment too small";
        else if (m > 0 && n > 0 && !fits(c, cOff, ldc, m, n)) what = "C segment too small";
        if (what != null) {
            throw new IllegalArgumentException("sgemm: " + what + " (transA=" + transA + ", transB=" + transB
                    + ", m=" + m + ", n=" + n + ", k=" + k + ", aOff=" + aOff + ", lda=" + lda
                    + ", bOff=" + bOff + ", ldb=" + ldb + ", cOff=" + cOff + ", ldc=" + ldc
                    + ", A=" + floats(a) + ", B=" + floats(b) + ", C=" + floats(c) + " floats)");
        }
    }

    /** Whether {@code rows x cols} floats at row stride {@code ld} from {@code off} lie inside {@code seg}. */
    private static boolean fits(MemorySegment seg, long off, int ld, int rows, int cols) {
        if (seg == null) return false;
        long last = off + (long) (rows - 1) * ld + cols;
        return last <= seg.byteSize() / Float.BYTES;
    }

    private static String floats(MemorySegment seg) {
        return seg == null ? "null" : Long.toString(seg.byteSize() / Float.BYTES);
    }
}
