package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
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
                for (int r = 0; r < rows; r++) {
                    long src = aOff + (long) (i0 + is + r) * lda + p0;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = Simd.get(a, src + p);
                }
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
            // op(B)[p, j] = B[j, p]: read each stored row contiguously, scatter into the panel.
            for (int j = 0; j < cols; j++) {
                long src = bOff + (long) (j0 + js + j) * ldb + p0;
                for (int p = 0; p < kc; p++) bp[base + p * NR + j] = Simd.get(b, src + p);
            }
            for (int j = cols; j < NR; j++) {
                for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
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
