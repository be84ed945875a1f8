package sonogate.tensor;

import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.UnaryOp;

/**
 * The compute a device provides to the differentiable ops. Ops validate shapes and handle
 * autodiff; a backend only runs kernels on tensors it owns. Conventions, as in the kernels:
 * forward calls overwrite their output, backward calls ADD into gradients. Unless a method says
 * otherwise, tensors are contiguous. Scalars that feed backward passes (loss gradients) arrive as
 * one-element tensors, so a device backend never has to copy them to the host inside a step.
 */
public interface Backend {

    /** The backend for tensors of this device and element type. */
    static Backend of(Device device, DType dtype) {
        if (device == Device.CPU) return KernelTrace.wrap(dtype == DType.F32 ? (OpProfile.ENABLED ? OpProfile.TIMED_CPU : CpuBackend.INSTANCE) : ReferenceBackend.INSTANCE);
        return Backends.accelerator(device, dtype);
    }

    Storage allocate(long elements);

    /** Waits until every call made so far has finished: an accelerator queues its work; the CPU backends return at once. */
    default void synchronize() {}

    // convolution family
    void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y);
    void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx);
    void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias);
    void unfold(ConvGeometry g, Tensor x, Tensor cols);
    void fold(ConvGeometry g, Tensor cols, Tensor x);
    void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y);
    void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx);
    /**
     * Inference's gated convolution in one call: out [N, Cout/2, oh, ow] = act(features) * sigmoid(gates)
     * of the convolution's output (features its first Cout/2 channels), nothing kept for backward.
     * Returns false, touching nothing, where this backend has no fused path for {@code g}; the op then
     * convolves and gates in two calls.
     */
    default boolean conv2dGated(ConvGeometry g, GateActivation act, Tensor x, Tensor w, Tensor bias, Tensor out) {
        return false;
    }
    void upsample2x(int planes, int h, int w, Tensor x, Tensor y);
    void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx);
    /** 2x2 max pooling, stride 2, of {@code planes} planes of h x w into floor(h/2) x floor(w/2). */
    void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y);
    /** dx (the input's shape) += dy at each window's maximum, recomputed from x (first maximum wins). */
    void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx);

    // element-wise
    void unary(UnaryOp op, double alpha, Tensor x, Tensor y);
    void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx);
    /** y = a (op) b where a and b may be broadcast views (zero strides) with y's shape (rank <= 4). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor y);
    /**
     * dst (=|+=) src over src's shape; both may be strided, dst may have zero strides when accumulating.
     * An accelerator's backend also copies between its device and float32 CPU tensors (either
     * direction; {@link Tensor#to} relies on it).
     */
    void copy(Tensor src, Tensor dst, boolean accumulate);
    /** y = scale * x + shift. */
    void affine(Tensor x, double scale, double shift, Tensor y);
    /** y += a * x. */
    void axpy(double a, Tensor x, Tensor y);
    /** Fills every element of y (contiguous) with value. */
    void fill(Tensor y, double value);

    // reductions into one-element outputs
    void sum(Tensor x, Tensor out);
    /** out = sum |a - b|. */
    void l1(Tensor a, Tensor b, Tensor out);
    /** da += scale * g * sign(a - b), db -= the same; g is a one-element tensor; da or db may be null. */
    void l1Backward(Tensor g, double scale, Tensor a, Tensor b, Tensor da, Tensor db);
    /** Host-side dot product (small vectors: spectral-norm power iteration). */
    double dot(Tensor a, Tensor b);

    /**
     * t = t / max(||t||, eps) in place, the scale rounded to float once (spectral norm's power
     * iteration). The default computes the norm on the host; a device backend overrides it so the
     * vector never leaves the device.
     */
    default void normalize(Tensor t, double eps) {
        double norm = Math.sqrt(dot(t, t));
        affine(t, 1.0 / Math.max(norm, eps), 0.0, t);
    }

    void softmax(int outer, int axis, int inner, Tensor x, Tensor y);
    void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx);

    /** One fused Adam step (1-based {@code step}) over contiguous parameters p with gradients g and moments m, v. */
    void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps);

    /** Row-major GEMM on sub-matrices of contiguous tensors; offsets relative to each tensor's first element. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Tensor a, long aOff, int lda, Tensor b, long bOff, int ldb,
              double beta, Tensor c, long cOff, int ldc);
}
