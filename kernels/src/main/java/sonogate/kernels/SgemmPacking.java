package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static sonogate.kernels.SgemmMicroKernel.MR;
import static sonogate.kernels.SgemmMicroKernel.NR;

/**
 * Copies blocks of op(A) and op(B) into the contiguous layouts {@link SgemmMicroKernel} streams,
 * whatever the transposition and leading dimension. Ragged slivers and panels are zero padded to
 * full tile size, so the kernel never needs a tail loop; only the C update of edge tiles differs.
 *
 * <ul>
 *   <li>A block (mc x kc) -> slivers of MR rows; sliver s holds {@code ap[s*kc*MR + p*MR + r]}.
 *   <li>B block (kc x nc) -> micro-panels of NR columns; panel s holds {@code bp[s*kc*NR + p*NR + j]}.
 * </ul>
 */
final class SgemmPacking {
    private SgemmPacking() {}

    private static final VectorSpecies<Float> F = SgemmMicroKernel.F;
    private static final int LANES = SgemmMicroKernel.LANES;

    /** Packs rows {@code [i0, i0+mc)}, columns {@code [p0, p0+kc)} of op(A) into {@code ap} from {@code apOff}. */
    static void packA(boolean transA, MemorySegment a, long aOff, int lda,
                      int i0, int mc, int p0, int kc, float[] ap, int apOff) {
        for (int s = 0, is = 0; is < mc; s++, is += MR) {
            int rows = Math.min(MR, mc - is);
            int base = apOff + s * kc * MR;
            if (transA) {
                // op(A)[i, p] = A[p, i]: each p holds the sliver's rows contiguously.
                for (int p = 0; p < kc; p++) {
                    long src = aOff + (long) (p0 + p) * lda + i0 + is;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = Simd.get(a, src + r);
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            } else {
                stridedRows(a, aOff + (long) (i0 + is) * lda + p0, lda, rows, kc, ap, base, MR);
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /** Packs rows {@code [p0, p0+kc)}, columns {@code [j0, j0+nc)} of op(B). */
    static void packB(boolean transB, MemorySegment b, long bOff, int ldb,
                      int p0, int kc, int j0, int nc, float[] bp) {
        if (!transB) {
            packRows(b, bOff, ldb, p0, kc, j0, nc, bp);
            return;
        }
        for (int s = 0, js = 0; js < nc; s++, js += NR) {
            int cols = Math.min(NR, nc - js);
            int base = s * kc * NR;
            // op(B)[p, j] = B[j, p]: the panel's columns are stored rows.
            stridedRows(b, bOff + (long) (j0 + js) * ldb + p0, ldb, cols, kc, bp, base, NR);
            for (int j = cols; j < NR; j++) {
                for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
            }
        }
    }

    /** Source columns per pass of {@link #stridedRows}. */
    private static final int STRIPE = 64;
    /** Gather offsets picking lane t from row t of a LANES x STRIPE staging block. */
    private static final int[] GATHER = new int[LANES];
    private static final ThreadLocal<float[]> STAGING = ThreadLocal.withInitial(() -> new float[LANES * STRIPE]);

    static {
        for (int t = 0; t < LANES; t++) GATHER[t] = t * STRIPE;
    }

    /**
     * Transposing copy: stored row {@code t} ({@code count} rows {@code ld} apart from {@code first})
     * becomes column {@code t} of {@code dst} (row stride {@code width}) from {@code dstOff}.
     * LANES rows at a time are bulk-copied into a small staging array, then each destination row
     * piece is one gather and one contiguous store; per-element strided stores cost several times more.
     */
    private static void stridedRows(MemorySegment src, long first, int ld, int count, int kc,
                                    float[] dst, int dstOff, int width) {
        float[] staging = STAGING.get();
        for (int p0 = 0; p0 < kc; p0 += STRIPE) {
            int pn = Math.min(STRIPE, kc - p0);
            for (int t = 0; t < count; t += LANES) {
                int rows = Math.min(LANES, count - t);
                VectorMask<Float> live = F.indexInRange(0, rows);
                for (int u = 0; u < rows; u++) {
                    MemorySegment.copy(src, Simd.FLOAT, (first + (long) (t + u) * ld + p0) * Float.BYTES,
                            staging, u * STRIPE, pn);
                }
                int to = dstOff + p0 * width + t;
                if (rows == LANES) {
                    for (int p = 0; p < pn; p++, to += width) {
                        FloatVector.fromArray(F, staging, p, GATHER, 0).intoArray(dst, to);
                    }
                } else {
                    // Masked, so a 12-wide A sliver or a ragged panel is not overrun.
                    for (int p = 0; p < pn; p++, to += width) {
                        FloatVector.fromArray(F, staging, p, GATHER, 0, live).intoArray(dst, to, live);
                    }
                }
            }
        }
    }

    /**
     * Non-transposed B: sweeps each source row left to right (what hardware prefetchers follow;
     * walking down a 32-column strip jumps a whole row per step), dealing NR-wide pieces out to
     * the panels.
     */
    private static void packRows(MemorySegment b, long bOff, int ldb, int p0, int kc, int j0, int nc, float[] bp) {
        int full = nc / NR * NR;
        int panelSize = kc * NR;
        for (int p = 0; p < kc; p++) {
            long src = (bOff + (long) (p0 + p) * ldb + j0) * Float.BYTES;
            int dst = p * NR;
            for (int js = 0; js < full; js += NR, dst += panelSize, src += NR * Float.BYTES) {
                FloatVector.fromMemorySegment(F, b, src, Simd.ORDER).intoArray(bp, dst);
                FloatVector.fromMemorySegment(F, b, src + LANES * Float.BYTES, Simd.ORDER).intoArray(bp, dst + LANES);
            }
            if (full < nc) {
                long at = src / Float.BYTES;
                for (int j = 0; j < nc - full; j++) bp[dst + j] = Simd.get(b, at + j);
                for (int j = nc - full; j < NR; j++) bp[dst + j] = 0f;
            }
        }
    }
}
