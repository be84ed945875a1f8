package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SGEMM register tile: {@value #MR} rows x {@code NR = 2 vectors} columns of C held in
 * 24 vector accumulators while the kernel walks K over one packed A sliver and one packed B
 * micro-panel (layouts in {@link SgemmPacking}). Per K step it loads 2 B vectors and broadcasts
 * 12 A scalars into 24 FMAs, so the loop is FMA-bound, not load-bound.
 *
 * <p>Unrolled by hand because C2 only keeps accumulators in registers when they are distinct
 * locals. The finished tile goes through a small array rather than straight into C: passing
 * vectors to a helper C2 declines to inline boxes them, and 24 extra L1 stores per tile are
 * nothing next to 24 x kc FMAs.
 */
final class SgemmMicroKernel {
    private SgemmMicroKernel() {}

    static final VectorSpecies<Float> F = Simd.F;
    static final int LANES = F.length();
    /** Rows of the register tile. */
    static final int MR = 12;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;

    /**
     * {@code C[mr x nr at cIdx] = alpha * (sliver ap[aOff..] (kc x MR) times micro-panel bp[bOff..]
     * (kc x NR)) + beta * C}, the tile passing through {@code tile} (MR x NR floats). Slivers with
     * few real rows (m = 64 leaves 4) go to a shorter tile instead of multiplying zero padding.
     */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile,
                       int mr, int nr, MemorySegment c, long cIdx, int ldc, float alpha, float beta) {
        if (mr > 8) kernel12(kc, ap, aOff, bp, bOff, tile);
        else if (mr > 4) kernel8(kc, ap, aOff, bp, bOff, tile);
        else kernel4(kc, ap, aOff, bp, bOff, tile);
        update(tile, mr, nr, c, cIdx, ldc, alpha, beta);
    }

    /**
     * As {@link #kernel}, but reads the NR columns of B straight from row-major storage
     * ({@code b[bIdx + p*ldb ..]}, in floats) instead of a packed panel: when a single sliver
     * uses a panel, packing B costs more than it saves.
     */
    static void kernelDirect(int kc, float[] ap, int aOff, MemorySegment b, long bIdx, int ldb, float[] tile,
                             int mr, int nr, MemorySegment c, long cIdx, int ldc, float alpha, float beta) {
        if (mr > 8) kernel12Direct(kc, ap, aOff, b, bIdx, ldb, tile);
        else if (mr > 4) kernel8Direct(kc, ap, aOff, b, bIdx, ldb, tile);
        else kernel4Direct(kc, ap, aOff, b, bIdx, ldb, tile);
        update(tile, mr, nr, c, cIdx, ldc, alpha, beta);
    }


    private static void kernel12(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        FloatVector c4a = FloatVector.zero(F), c4b = FloatVector.zero(F);
        FloatVector c5a = FloatVector.zero(F), c5b = FloatVector.zero(F);
        FloatVector c6a = FloatVector.zero(F), c6b = FloatVector.zero(F);
        FloatVector c7a = FloatVector.zero(F), c7b = FloatVector.zero(F);
        FloatVector c8a = FloatVector.zero(F), c8b = FloatVector.zero(F);
        FloatVector c9a = FloatVector.zero(F), c9b = FloatVector.zero(F);
        FloatVector c10a = FloatVector.zero(F), c10b = FloatVector.zero(F);
        FloatVector c11a = FloatVector.zero(F), c11b = FloatVector.zero(F);
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
            av = FloatVector.broadcast(F, ap[ai + 4]); c4a = av.fma(b0, c4a); c4b = av.fma(b1, c4b);
            av = FloatVector.broadcast(F, ap[ai + 5]); c5a = av.fma(b0, c5a); c5b = av.fma(b1, c5b);
            av = FloatVector.broadcast(F, ap[ai + 6]); c6a = av.fma(b0, c6a); c6b = av.fma(b1, c6b);
            av = FloatVector.broadcast(F, ap[ai + 7]); c7a = av.fma(b0, c7a); c7b = av.fma(b1, c7b);
            av = FloatVector.broadcast(F, ap[ai + 8]); c8a = av.fma(b0, c8a); c8b = av.fma(b1, c8b);
            av = FloatVector.broadcast(F, ap[ai + 9]); c9a = av.fma(b0, c9a); c9b = av.fma(b1, c9b);
            av = FloatVector.broadcast(F, ap[ai + 10]); c10a = av.fma(b0, c10a); c10b = av.fma(b1, c10b);
            av = FloatVector.broadcast(F, ap[ai + 11]); c11a = av.fma(b0, c11a); c11b = av.fma(b1, c11b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
        c4a.intoArray(tile, 4 * NR); c4b.intoArray(tile, 4 * NR + LANES);
        c5a.intoArray(tile, 5 * NR); c5b.intoArray(tile, 5 * NR + LANES);
        c6a.intoArray(tile, 6 * NR); c6b.intoArray(tile, 6 * NR + LANES);
        c7a.intoArray(tile, 7 * NR); c7b.intoArray(tile, 7 * NR + LANES);
        c8a.intoArray(tile, 8 * NR); c8b.intoArray(tile, 8 * NR + LANES);
        c9a.intoArray(tile, 9 * NR); c9b.intoArray(tile, 9 * NR + LANES);
        c10a.intoArray(tile, 10 * NR); c10b.intoArray(tile, 10 * NR + LANES);
        c11a.intoArray(tile, 11 * NR); c11b.intoArray(tile, 11 * NR + LANES);
    }

    private static void kernel8(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        FloatVector c4a = FloatVector.zero(F), c4b = FloatVector.zero(F);
        FloatVector c5a = FloatVector.zero(F), c5b = FloatVector.zero(F);
        FloatVector c6a = FloatVector.zero(F), c6b = FloatVector.zero(F);
        FloatVector c7a = FloatVector.zero(F), c7b = FloatVector.zero(F);
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
            av = FloatVector.broadcast(F, ap[ai + 4]); c4a = av.fma(b0, c4a); c4b = av.fma(b1, c4b);
            av = FloatVector.broadcast(F, ap[ai + 5]); c5a = av.fma(b0, c5a); c5b = av.fma(b1, c5b);
            av = FloatVector.broadcast(F, ap[ai + 6]); c6a = av.fma(b0, c6a); c6b = av.fma(b1, c6b);
            av = FloatVector.broadcast(F, ap[ai + 7]); c7a = av.fma(b0, c7a); c7b = av.fma(b1, c7b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
        c4a.intoArray(tile, 4 * NR); c4b.intoArray(tile, 4 * NR + LANES);
        c5a.intoArray(tile, 5 * NR); c5b.intoArray(tile, 5 * NR + LANES);
        c6a.intoArray(tile, 6 * NR); c6b.intoArray(tile, 6 * NR + LANES);
        c7a.intoArray(tile, 7 * NR); c7b.intoArray(tile, 7 * NR + LANES);
    }

    private static void kernel4(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + LANES);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
    }

    private static void kernel12Direct(int kc, float[] ap, int aOff, MemorySegment b, long bIdx, int ldb, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        FloatVector c4a = FloatVector.zero(F), c4b = FloatVector.zero(F);
        FloatVector c5a = FloatVector.zero(F), c5b = FloatVector.zero(F);
        FloatVector c6a = FloatVector.zero(F), c6b = FloatVector.zero(F);
        FloatVector c7a = FloatVector.zero(F), c7b = FloatVector.zero(F);
        FloatVector c8a = FloatVector.zero(F), c8b = FloatVector.zero(F);
        FloatVector c9a = FloatVector.zero(F), c9b = FloatVector.zero(F);
        FloatVector c10a = FloatVector.zero(F), c10b = FloatVector.zero(F);
        FloatVector c11a = FloatVector.zero(F), c11b = FloatVector.zero(F);
        int ai = aOff;
        long bAt = bIdx * Float.BYTES, bStep = (long) ldb * Float.BYTES;
        for (int p = 0; p < kc; p++, ai += MR, bAt += bStep) {
            FloatVector b0 = FloatVector.fromMemorySegment(F, b, bAt, Simd.ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(F, b, bAt + LANES * Float.BYTES, Simd.ORDER);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
            av = FloatVector.broadcast(F, ap[ai + 4]); c4a = av.fma(b0, c4a); c4b = av.fma(b1, c4b);
            av = FloatVector.broadcast(F, ap[ai + 5]); c5a = av.fma(b0, c5a); c5b = av.fma(b1, c5b);
            av = FloatVector.broadcast(F, ap[ai + 6]); c6a = av.fma(b0, c6a); c6b = av.fma(b1, c6b);
            av = FloatVector.broadcast(F, ap[ai + 7]); c7a = av.fma(b0, c7a); c7b = av.fma(b1, c7b);
            av = FloatVector.broadcast(F, ap[ai + 8]); c8a = av.fma(b0, c8a); c8b = av.fma(b1, c8b);
            av = FloatVector.broadcast(F, ap[ai + 9]); c9a = av.fma(b0, c9a); c9b = av.fma(b1, c9b);
            av = FloatVector.broadcast(F, ap[ai + 10]); c10a = av.fma(b0, c10a); c10b = av.fma(b1, c10b);
            av = FloatVector.broadcast(F, ap[ai + 11]); c11a = av.fma(b0, c11a); c11b = av.fma(b1, c11b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
        c4a.intoArray(tile, 4 * NR); c4b.intoArray(tile, 4 * NR + LANES);
        c5a.intoArray(tile, 5 * NR); c5b.intoArray(tile, 5 * NR + LANES);
        c6a.intoArray(tile, 6 * NR); c6b.intoArray(tile, 6 * NR + LANES);
        c7a.intoArray(tile, 7 * NR); c7b.intoArray(tile, 7 * NR + LANES);
        c8a.intoArray(tile, 8 * NR); c8b.intoArray(tile, 8 * NR + LANES);
        c9a.intoArray(tile, 9 * NR); c9b.intoArray(tile, 9 * NR + LANES);
        c10a.intoArray(tile, 10 * NR); c10b.intoArray(tile, 10 * NR + LANES);
        c11a.intoArray(tile, 11 * NR); c11b.intoArray(tile, 11 * NR + LANES);
    }

    private static void kernel8Direct(int kc, float[] ap, int aOff, MemorySegment b, long bIdx, int ldb, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        FloatVector c4a = FloatVector.zero(F), c4b = FloatVector.zero(F);
        FloatVector c5a = FloatVector.zero(F), c5b = FloatVector.zero(F);
        FloatVector c6a = FloatVector.zero(F), c6b = FloatVector.zero(F);
        FloatVector c7a = FloatVector.zero(F), c7b = FloatVector.zero(F);
        int ai = aOff;
        long bAt = bIdx * Float.BYTES, bStep = (long) ldb * Float.BYTES;
        for (int p = 0; p < kc; p++, ai += MR, bAt += bStep) {
            FloatVector b0 = FloatVector.fromMemorySegment(F, b, bAt, Simd.ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(F, b, bAt + LANES * Float.BYTES, Simd.ORDER);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
            av = FloatVector.broadcast(F, ap[ai + 4]); c4a = av.fma(b0, c4a); c4b = av.fma(b1, c4b);
            av = FloatVector.broadcast(F, ap[ai + 5]); c5a = av.fma(b0, c5a); c5b = av.fma(b1, c5b);
            av = FloatVector.broadcast(F, ap[ai + 6]); c6a = av.fma(b0, c6a); c6b = av.fma(b1, c6b);
            av = FloatVector.broadcast(F, ap[ai + 7]); c7a = av.fma(b0, c7a); c7b = av.fma(b1, c7b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
        c4a.intoArray(tile, 4 * NR); c4b.intoArray(tile, 4 * NR + LANES);
        c5a.intoArray(tile, 5 * NR); c5b.intoArray(tile, 5 * NR + LANES);
        c6a.intoArray(tile, 6 * NR); c6b.intoArray(tile, 6 * NR + LANES);
        c7a.intoArray(tile, 7 * NR); c7b.intoArray(tile, 7 * NR + LANES);
    }

    private static void kernel4Direct(int kc, float[] ap, int aOff, MemorySegment b, long bIdx, int ldb, float[] tile) {
        FloatVector c0a = FloatVector.zero(F), c0b = FloatVector.zero(F);
        FloatVector c1a = FloatVector.zero(F), c1b = FloatVector.zero(F);
        FloatVector c2a = FloatVector.zero(F), c2b = FloatVector.zero(F);
        FloatVector c3a = FloatVector.zero(F), c3b = FloatVector.zero(F);
        int ai = aOff;
        long bAt = bIdx * Float.BYTES, bStep = (long) ldb * Float.BYTES;
        for (int p = 0; p < kc; p++, ai += MR, bAt += bStep) {
            FloatVector b0 = FloatVector.fromMemorySegment(F, b, bAt, Simd.ORDER);
            FloatVector b1 = FloatVector.fromMemorySegment(F, b, bAt + LANES * Float.BYTES, Simd.ORDER);
            FloatVector av;
            av = FloatVector.broadcast(F, ap[ai + 0]); c0a = av.fma(b0, c0a); c0b = av.fma(b1, c0b);
            av = FloatVector.broadcast(F, ap[ai + 1]); c1a = av.fma(b0, c1a); c1b = av.fma(b1, c1b);
            av = FloatVector.broadcast(F, ap[ai + 2]); c2a = av.fma(b0, c2a); c2b = av.fma(b1, c2b);
            av = FloatVector.broadcast(F, ap[ai + 3]); c3a = av.fma(b0, c3a); c3b = av.fma(b1, c3b);
        }
        c0a.intoArray(tile, 0 * NR); c0b.intoArray(tile, 0 * NR + LANES);
        c1a.intoArray(tile, 1 * NR); c1b.intoArray(tile, 1 * NR + LANES);
        c2a.intoArray(tile, 2 * NR); c2b.intoArray(tile, 2 * NR + LANES);
        c3a.intoArray(tile, 3 * NR); c3b.intoArray(tile, 3 * NR + LANES);
    }

    /**
     * {@code C = alpha * tile + beta * C} on the first {@code mr} rows and {@code nr} columns of the
     * tile, C starting at element {@code cIdx}. beta 0 never reads C, so NaNs there do not leak.
     * Only arrays and scalars cross the call, so nothing is boxed whether or not C2 inlines it.
     */
    private static void update(float[] tile, int mr, int nr, MemorySegment c, long cIdx, int ldc, float alpha, float beta) {
        if (nr == NR) {
            for (int r = 0; r < mr; r++) {
                long at = (cIdx + (long) r * ldc) * Float.BYTES;
                updateVector(tile, r * NR, c, at, alpha, beta);
                updateVector(tile, r * NR + LANES, c, at + LANES * Float.BYTES, alpha, beta);
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            long row = cIdx + (long) r * ldc;
            for (int j = 0; j < nr; j++) {
                float v = alpha * tile[r * NR + j];
                if (beta != 0) v += beta * Simd.get(c, row + j);
                Simd.set(c, row + j, v);
            }
        }
    }

    private static void updateVector(float[] tile, int t, MemorySegment c, long at, float alpha, float beta) {
        FloatVector acc = FloatVector.fromArray(F, tile, t).mul(alpha);
        if (beta != 0) acc = FloatVector.fromMemorySegment(F, c, at, Simd.ORDER).mul(beta).add(acc);
        acc.intoMemorySegment(c, at, Simd.ORDER);
    }
}
