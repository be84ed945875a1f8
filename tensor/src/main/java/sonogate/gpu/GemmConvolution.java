package sonogate.gpu;

import sonogate.kernels.ConvGeometry;
import sonogate.kernels.cuda.CudaKernel;
import sonogate.kernels.cuda.KernelStructs;

/**
 * A convolution's two gradients by unfolding and cuBLAS GEMMs: the alternative to cuDNN's algorithms
 * that a plan keeps where it is faster (timed once per shape beside cuDNN's choice). cuDNN's
 * deterministic backward algorithms are slow for some of the model's shapes (on an H100, the dilated
 * 3x3 backward-data ran at 3.7 TFLOP/s and the 3-channel 5x5 input layer's weight gradient at 2),
 * while one GEMM per sample over the unfolded input runs near cuBLAS's rate and stays deterministic:
 * col2im gathers without atomics and the weight gradient accumulates sample after sample in stream
 * order. Buffers are device addresses of contiguous NCHW data; both passes ADD into their output,
 * as the Backend contract says.
 */
final class GemmConvolution {
    /** The unfolded columns of at most this many bytes at a time: samples go in chunks. */
    static final long COLUMN_BYTES = 64L << 20;

    private final Cublas blas;
    private final KernelLauncher kernels;
    private final DeviceAllocator allocator;
    private final long columnBytes;

    GemmConvolution(Cublas blas, KernelLauncher kernels, DeviceAllocator allocator, long columnBytes) {
        this.blas = blas;
        this.kernels = kernels;
        this.allocator = allocator;
        this.columnBytes = columnBytes;
    }

    /** dx += the gradient of the convolution's input: per sample, cols = W^T dy, then col2im. */
    void backwardData(ConvGeometry g, long dy, long w, long dx) {
        int patch = g.patchSize(), ohw = g.outH() * g.outW(), cout = g.outChannels();
        int chunk = samplesPerChunk(g, columnBytes);
        DeviceAllocator.Block cols = allocator.allocate((long) chunk * patch * ohw * Float.BYTES);
        try {
            for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
                int n = Math.min(chunk, g.batch() - n0);
                for (int i = 0; i < n; i++) {
                    blas.sgemm(true, false, patch, ohw, cout, 1f, w, patch, dy + bytes((long) (n0 + i) * cout * ohw), ohw,
                            0f, cols.address() + bytes((long) i * patch * ohw), ohw);
                }
                ConvGeometry part = withBatch(g, n);
                kernels.elements(CudaKernel.COL2IM, part.inputSize(), KernelStructs.conv(part), new KernelArgs.Ptr(cols.address()),
                        new KernelArgs.Ptr(dx + bytes((long) n0 * g.inChannels() * g.inH() * g.inW())));
            }
        } finally {
            allocator.free(cols);
        }
    }

    /** dw += the gradient of the weights: per sample, dw += dy cols^T with cols = im2col(x). */
    void backwardWeight(ConvGeometry g, long x, long dy, long dw) {
        int patch = g.patchSize(), ohw = g.outH() * g.outW(), cout = g.outChannels();
        int chunk = samplesPerChunk(g, columnBytes);
        DeviceAllocator.Block cols = allocator.allocate((long) chunk * patch * ohw * Float.BYTES);
        try {
            for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
                int n = Math.min(chunk, g.batch() - n0);
                ConvGeometry part = withBatch(g, n);
                kernels.elements(CudaKernel.IM2COL, (long) n * patch * ohw, KernelStructs.conv(part),
                        new KernelArgs.Ptr(x + bytes((long) n0 * g.inChannels() * g.inH() * g.inW())), new KernelArgs.Ptr(cols.address()));
                for (int i = 0; i < n; i++) {
                    blas.sgemm(false, true, cout, patch, ohw, 1f, dy + bytes((long) (n0 + i) * cout * ohw), ohw,
                            cols.address() + bytes((long) i * patch * ohw), ohw, 1f, dw, patch);
                }
            }
        } finally {
            allocator.free(cols);
        }
    }

    static int samplesPerChunk(ConvGeometry g, long columnBytes) {
        long perSample = (long) g.patchSize() * g.outH() * g.outW() * Float.BYTES;
        return (int) Math.max(1, Math.min(g.batch(), columnBytes / perSample));
    }

    private static ConvGeometry withBatch(ConvGeometry g, int batch) {
        return new ConvGeometry(batch, g.inChannels(), g.inH(), g.inW(), g.outChannels(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    private static long bytes(long floats) {
        return floats * Float.BYTES;
    }
}
