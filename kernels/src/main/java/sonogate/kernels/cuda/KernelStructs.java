package sonogate.kernels.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sonogate.kernels.ConvGeometry;

/**
 * The by-value struct arguments of the CUDA kernels, packed as the C compiler lays them out on
 * x86-64 and on the GPU (little-endian, natural alignment): {@code sg_dims4}, {@code sg_conv},
 * {@code sg_layout}. The host-harness test passes these same bytes to the same C structs.
 */
public final class KernelStructs {
    private KernelStructs() {}

    /** {@code struct sg_dims4 { long long v[4]; }}: a rank <= 4 shape or strides, padded in front (shape with 1, strides with 0). */
    public static byte[] dims4(long[] values, long pad) {
        if (values.length > 4) throw new IllegalArgumentException("dims4: rank " + values.length + " > 4");
        ByteBuffer b = buffer(32);
        for (int i = 0; i < 4 - values.length; i++) b.putLong(pad);
        for (long v : values) b.putLong(v);
        return b.array();
    }

    /** {@code struct sg_conv { int n, c, h, w, k, stride, pad, dil, oh, ow; }}. */
    public static byte[] conv(ConvGeometry g) {
        ByteBuffer b = buffer(40);
        for (int v : new int[] {g.batch(), g.inChannels(), g.inH(), g.inW(), g.kernel(), g.stride(), g.padding(), g.dilation(), g.outH(), g.outW()}) {
            b.putInt(v);
        }
        return b.array();
    }

    /** {@code struct sg_layout { int rank, pad; long long size[8], src[8], dst[8]; }} (200 bytes). */
    public static byte[] layout(long[] size, long[] src, long[] dst) {
        int rank = size.length;
        if (rank > CudaKernel.MAX_RANK) throw new IllegalArgumentException("strided copy: rank " + rank + " > " + CudaKernel.MAX_RANK);
        ByteBuffer b = buffer(8 + 3 * 8 * CudaKernel.MAX_RANK);
        b.putInt(rank).putInt(0);
        for (long[] a : new long[][] {size, src, dst}) {
            for (int i = 0; i < CudaKernel.MAX_RANK; i++) b.putLong(i < rank ? a[i] : 0);
        }
        return b.array();
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
