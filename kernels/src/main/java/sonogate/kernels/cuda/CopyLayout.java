package sonogate.kernels.cuda;

import java.util.Arrays;

/**
 * How {@code sg_strided_copy} runs a strided copy: size-1 dims dropped, the rest split into
 * "kept" dims (dst stride != 0; one GPU thread per dst element) and "reduced" dims (dst stride 0:
 * the broadcast dims a gradient sums over, walked in row-major order by that thread). So no two
 * threads write one element and accumulation needs no atomics. Valid when distinct kept indices
 * address distinct dst elements, as for every view the engine makes (checked where cheap: no two
 * kept dims may have equal dst strides unless one has size 1, which are dropped).
 */
public record CopyLayout(long[] keptSize, long[] keptSrc, long[] keptDst, long[] reducedSize, long[] reducedSrc) {

    public static CopyLayout of(int[] shape, long[] srcStrides, long[] dstStrides) {
        if (shape.length != srcStrides.length || shape.length != dstStrides.length) {
            throw new IllegalArgumentException("strided copy: shape " + Arrays.toString(shape) + " and strides differ in rank");
        }
        int kept = 0, reduced = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (dstStrides[d] == 0) reduced++;
            else kept++;
        }
        long[] ks = new long[kept], kSrc = new long[kept], kDst = new long[kept];
        long[] rs = new long[reduced], rSrc = new long[reduced];
        int k = 0, r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (dstStrides[d] == 0) {
                rs[r] = shape[d];
                rSrc[r++] = srcStrides[d];
            } else {
                ks[k] = shape[d];
                kSrc[k] = srcStrides[d];
                kDst[k++] = dstStrides[d];
            }
        }
        for (int a = 0; a < kept; a++) {
            for (int b = a + 1; b < kept; b++) {
                if (Math.abs(kDst[a]) == Math.abs(kDst[b])) {
                    throw new IllegalArgumentException("strided copy: dst strides " + Arrays.toString(dstStrides)
                            + " overlap; the GPU copy needs distinct dst elements outside zero-stride dims");
                }
            }
        }
        return new CopyLayout(ks, kSrc, kDst, rs, rSrc);
    }

    /** dst elements written (threads launched): the product of the kept sizes (1 for none). */
    public long keptCount() {
        long n = 1;
        for (long s : keptSize) n *= s;
        return n;
    }

    public byte[] keptStruct() {
        return KernelStructs.layout(keptSize, keptSrc, keptDst);
    }

    public byte[] reducedStruct() {
        return KernelStructs.layout(reducedSize, reducedSrc, new long[reducedSize.length]);
    }
}
