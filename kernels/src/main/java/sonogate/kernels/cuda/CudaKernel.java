package sonogate.kernels.cuda;

import java.util.Locale;

/**
 * The CUDA kernels of {@code kernels/src/main/cuda}, compiled into {@link KernelImage}'s fatbin.
 * Each constant's symbol is {@code "sg_" + name in lower case}, the kernel's {@code extern "C"} name.
 * FatbinTest checks that this list, the sources and every entry of the shipped fatbin agree.
 */
public enum CudaKernel {
    GATE_FORWARD, GATE_BACKWARD,
    UNARY_FORWARD, UNARY_BACKWARD, AFFINE, AXPY, FILL, BINARY4, BIAS_ACT, BIAS_GRAD,
    STRIDED_COPY,
    REDUCE_PARTIALS, REDUCE_FINAL, L1_BACKWARD, NORMALIZE,
    SOFTMAX_FORWARD, SOFTMAX_BACKWARD,
    UPSAMPLE2X_FORWARD, UPSAMPLE2X_BACKWARD,
    IM2COL, COL2IM,
    ADAM;

    /** The kernel's symbol in the fatbin. */
    public String symbol() {
        return "sg_" + name().toLowerCase(Locale.ROOT);
    }

    /** Threads per block of the two-pass reductions (SG_REDUCE_THREADS in common.cuh). */
    public static final int REDUCE_THREADS = 256;
    /** Elements per block of the first reduction pass (SG_REDUCE_CHUNK in common.cuh). */
    public static final int REDUCE_CHUNK = 4096;
    /** Largest rank of a strided copy (SG_MAX_RANK in common.cuh). */
    public static final int MAX_RANK = 8;

    /** Reduction kinds (SG_REDUCE_* in reduce.cuh). */
    public static final int REDUCE_SUM = 0, REDUCE_L1 = 1, REDUCE_DOT = 2, REDUCE_HINGE = 3;
    /** "No activation" for {@link #BIAS_ACT} (SG_UNARY_NONE); activations are UnaryOp ordinals. */
    public static final int ACTIVATION_NONE = -1;

    /** Blocks of the first reduction pass over n elements (sg_reduce_blocks). */
    public static long reduceBlocks(long n) {
        return n == 0 ? 1 : (n + REDUCE_CHUNK - 1) / REDUCE_CHUNK;
    }
}
