package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Dot products of every row of A [m x len] with every row of B [n x len], both contiguous along
 * len: the shape of a convolution's weight gradient, dW = dy col^T, where dy's rows (output channels)
 * and the column matrix's rows run along the pixels. A GEMM must first repack both operands across
 * that dimension (a transposing gather); here both are read in place.
 *
 * <p>Products accumulate lane-wise into {@code acc} (L floats per (i, j), lane = k mod L) over as
 * many calls as there are bands and samples; {@link #finish} adds each pair's lanes, in lane order,
 * to C. So every element's sum has an order fixed by the data layout alone, whatever the threads.
 * Blocks of 4 x 4 pairs keep 16 accumulators in registers: 8 loads per 16 FMAs.
 *
 * <p>Vector loads and stores here call {@code FloatVector.fromMemorySegment} / {@code intoMemorySegment}
 * (force-inlined by the JDK) directly, not the {@link Simd#load} helper: in the whole model's training
 * step C2 sometimes declined to inline the helper into these register-heavy loops ("callee uses too
 * much stack", seen with -XX:+PrintInlining), leaving every load un-intrinsified and the kernel ~10x
 * slower (small train step: conv weight gradients at 5 GFLOP/s instead of 50-60).
 */
final class RowDots {
    private RowDots() {}

    private static final int L = Simd.LANES;

    /** Floats of {@code acc} for an m x n block. */
    static int accSize(int m, int n) {
        return m * n * L;
    }

    /**
     * acc[(i * n + j) * L + (k mod L)] += A[i, k] * B[j, k] for k in [0, len), with A's rows lda
     * floats apart from aOff and B's ldb apart from bOff.
     */
    static void accumulate(int m, int n, int len, MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb, float[] acc) {
        int body = len / L * L;
        int rs = n * L;   // acc floats per row i
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                block4x4(body, a, aOff + (long) i * lda, lda, b, bOff + (long) j * ldb, ldb, acc, i * rs + j * L, rs);
            }
            for (; j < n; j++) {
                for (int r = i; r < i + 4; r++) block1x1(body, a, aOff + (long) r * lda, b, bOff + (long) j * ldb, acc, r * rs + j * L);
            }
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 4 <= n; j += 4) block1x4(body, a, aOff + (long) i * lda, b, bOff + (long) j * ldb, ldb, acc, i * rs + j * L);
            for (; j < n; j++) block1x1(body, a, aOff + (long) i * lda, b, bOff + (long) j * ldb, acc, i * rs + j * L);
        }
        if (body < len) {
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    int at = r * rs + c * L;
                    for (int k = body; k < len; k++) {
                        acc[at + k % L] += Simd.get(a, aOff + (long) r * lda + k) * Simd.get(b, bOff + (long) c * ldb + k);
                    }
                }
            }
        }
    }

    /** C[i, j] (row i at cOff + i * ldc) += the sum of pair (i, j)'s lanes, added in lane order. */
    static void finish(int m, int n, float[] acc, MemorySegment c, long cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = (i * n + j) * L;
                float s = 0f;
                for (int lane = 0; lane < L; lane++) s += acc[at + lane];
                long ci = cOff + (long) i * ldc + j;
                Simd.set(c, ci, Simd.get(c, ci) + s);
            }
        }
    }

    private static void block4x4(int body, MemorySegment a, long a0, int lda, MemorySegment b, long b0, int ldb,
                                 float[] acc, int at, int rs) {
        FloatVector c00 = FloatVector.fromArray(Simd.F, acc, at), c01 = FloatVector.fromArray(Simd.F, acc, at + L);
        FloatVector c02 = FloatVector.fromArray(Simd.F, acc, at + 2 * L), c03 = FloatVector.fromArray(Simd.F, acc, at + 3 * L);
        FloatVector c10 = FloatVector.fromArray(Simd.F, acc, at + rs), c11 = FloatVector.fromArray(Simd.F, acc, at + rs + L);
        FloatVector c12 = FloatVector.fromArray(Simd.F, acc, at + rs + 2 * L), c13 = FloatVector.fromArray(Simd.F, acc, at + rs + 3 * L);
        FloatVector c20 = FloatVector.fromArray(Simd.F, acc, at + 2 * rs), c21 = FloatVector.fromArray(Simd.F, acc, at + 2 * rs + L);
        FloatVector c22 = FloatVector.fromArray(Simd.F, acc, at + 2 * rs + 2 * L), c23 = FloatVector.fromArray(Simd.F, acc, at + 2 * rs + 3 * L);
        FloatVector c30 = FloatVector.fromArray(Simd.F, acc, at + 3 * rs), c31 = FloatVector.fromArray(Simd.F, acc, at + 3 * rs + L);
        FloatVector c32 = FloatVector.fromArray(Simd.F, acc, at + 3 * rs + 2 * L), c33 = FloatVector.fromArray(Simd.F, acc, at + 3 * rs + 3 * L);
        long a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        for (int k = 0; k < body; k += L) {
            FloatVector x0 = FloatVector.fromMemorySegment(Simd.F, a, (a0 + k) * Float.BYTES, Simd.ORDER), x1 = FloatVector.fromMemorySegment(Simd.F, a, (a1 + k) * Float.BYTES, Simd.ORDER), x2 = FloatVector.fromMemorySegment(Simd.F, a, (a2 + k) * Float.BYTES, Simd.ORDER), x3 = FloatVector.fromMemorySegment(Simd.F, a, (a3 + k) * Float.BYTES, Simd.ORDER);
            FloatVector y0 = FloatVector.fromMemorySegment(Simd.F, b, (b0 + k) * Float.BYTES, Simd.ORDER), y1 = FloatVector.fromMemorySegment(Simd.F, b, (b1 + k) * Float.BYTES, Simd.ORDER), y2 = FloatVector.fromMemorySegment(Simd.F, b, (b2 + k) * Float.BYTES, Simd.ORDER), y3 = FloatVector.fromMemorySegment(Simd.F, b, (b3 + k) * Float.BYTES, Simd.ORDER);
            c00 = x0.fma(y0, c00); c01 = x0.fma(y1, c01); c02 = x0.fma(y2, c02); c03 = x0.fma(y3, c03);
            c10 = x1.fma(y0, c10); c11 = x1.fma(y1, c11); c12 = x1.fma(y2, c12); c13 = x1.fma(y3, c13);
            c20 = x2.fma(y0, c20); c21 = x2.fma(y1, c21); c22 = x2.fma(y2, c22); c23 = x2.fma(y3, c23);
            c30 = x3.fma(y0, c30); c31 = x3.fma(y1, c31); c32 = x3.fma(y2, c32); c33 = x3.fma(y3, c33);
        }
        c00.intoArray(acc, at); c01.intoArray(acc, at + L); c02.intoArray(acc, at + 2 * L); c03.intoArray(acc, at + 3 * L);
        c10.intoArray(acc, at + rs); c11.intoArray(acc, at + rs + L); c12.intoArray(acc, at + rs + 2 * L); c13.intoArray(acc, at + rs + 3 * L);
        c20.intoArray(acc, at + 2 * rs); c21.intoArray(acc, at + 2 * rs + L);
        c22.intoArray(acc, at + 2 * rs + 2 * L); c23.intoArray(acc, at + 2 * rs + 3 * L);
        c30.intoArray(acc, at + 3 * rs); c31.intoArray(acc, at + 3 * rs + L);
        c32.intoArray(acc, at + 3 * rs + 2 * L); c33.intoArray(acc, at + 3 * rs + 3 * L);
    }

    private static void block1x4(int body, MemorySegment a, long a0, MemorySegment b, long b0, int ldb, float[] acc, int at) {
        FloatVector c0 = FloatVector.fromArray(Simd.F, acc, at), c1 = FloatVector.fromArray(Simd.F, acc, at + L);
        FloatVector c2 = FloatVector.fromArray(Simd.F, acc, at + 2 * L), c3 = FloatVector.fromArray(Simd.F, acc, at + 3 * L);
        long b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        for (int k = 0; k < body; k += L) {
            FloatVector x = FloatVector.fromMemorySegment(Simd.F, a, (a0 + k) * Float.BYTES, Simd.ORDER);
            c0 = x.fma(FloatVector.fromMemorySegment(Simd.F, b, (b0 + k) * Float.BYTES, Simd.ORDER), c0);
            c1 = x.fma(FloatVector.fromMemorySegment(Simd.F, b, (b1 + k) * Float.BYTES, Simd.ORDER), c1);
            c2 = x.fma(FloatVector.fromMemorySegment(Simd.F, b, (b2 + k) * Float.BYTES, Simd.ORDER), c2);
            c3 = x.fma(FloatVector.fromMemorySegment(Simd.F, b, (b3 + k) * Float.BYTES, Simd.ORDER), c3);
        }
        c0.intoArray(acc, at); c1.intoArray(acc, at + L); c2.intoArray(acc, at + 2 * L); c3.intoArray(acc, at + 3 * L);
    }

    private static void block1x1(int body, MemorySegment a, long a0, MemorySegment b, long b0, float[] acc, int at) {
        FloatVector c = FloatVector.fromArray(Simd.F, acc, at);
        for (int k = 0; k < body; k += L) c = FloatVector.fromMemorySegment(Simd.F, a, (a0 + k) * Float.BYTES, Simd.ORDER).fma(FloatVector.fromMemorySegment(Simd.F, b, (b0 + k) * Float.BYTES, Simd.ORDER), c);
        c.intoArray(acc, at);
    }

    /** The definition, in double: C[i, j] += sum over k of A[i, k] * B[j, k]. */
    static void reference(int m, int n, int len, double[] a, int lda, double[] b, int ldb, double[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < len; k++) s += a[i * lda + k] * b[j * ldb + k];
                c[i * ldc + j] += s;
            }
        }
    }
}
