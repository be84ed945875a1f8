package sonogate.kernels.cuda;

import java.util.Locale;

/**
 * The CUDA kernels of {@code kernels/src/main/cuda}, compiled into {@link KernelImage}'s fatbin.
 * Each constant's symbol is {@code "sg_" + name in lower case}, the kernel's {@code extern "C"} name,
 * and its signature lists the C parameter types in order, one code each: {@code i} int, {@code l}
 * sg_index (long long), {@code f} float, {@code d} double, {@code p} a device pointer, {@code sN} a
 * struct of N bytes passed by value. FatbinTest checks that this list, the sources and every entry of
 * the shipped fatbin agree; KernelSignatureTest that each signature is the source's; the GPU
 * backend's launcher checks every launch's arguments against it.
 */
public enum CudaKernel {
    GATE_FORWARD("i i i l p p"),
    GATE_BACKWARD("i i i l p p p"),
    UNARY_FORWARD("i f l p p"),
    UNARY_BACKWARD("i f l p p p p"),
    AFFINE("l f f p p"),
    AXPY("l f p p"),
    FILL("l f p"),
    BINARY4("i s32 p l s32 p l s32 p"),
    BIAS_ACT("i i l p i f p"),
    BIAS_GRAD("i i l p p"),
    STRIDED_COPY("s200 s200 p l p l i"),
    REDUCE_PARTIALS("i f l p p p"),
    REDUCE_FINAL("l p p p"),
    L1_BACKWARD("l d p p p p p"),
    NORMALIZE("l d p"),
    SOFTMAX_FORWARD("i i l p p p"),
    SOFTMAX_BACKWARD("i i l p p p"),
    UPSAMPLE2X_FORWARD("i i i p p"),
    UPSAMPLE2X_BACKWARD("i i i p p"),
    IM2COL("s40 p p"),
    COL2IM("s40 p p"),
    ADAM("l f f f f f p p p p");

    private final String[] signature;

    CudaKernel(String signature) {
        this.signature = signature.split(" ");
    }

    /** The kernel's symbol in the fatbin. */
    public String symbol() {
        return "sg_" + name().toLowerCase(Locale.ROOT);
    }

    /** Parameter type codes in order (see the class comment). */
    public String[] signature() {
        return signature.clone();
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
