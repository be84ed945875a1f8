package sonogate.tensor.ops;

import sonogate.kernels.GateActivation;
import sonogate.tensor.Tensor;

/**
 * Every differentiable op in one place, for model code: {@code import static sonogate.tensor.ops.Ops.*}.
 * Each op's forward and backward live together in the class named in its comment.
 */
public final class Ops {
    private Ops() {}

    // Conv2dOp, GateOp, UpsampleOp, MaxPoolOp, UnfoldOp
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation) { return Conv2dOp.conv2d(x, w, b, stride, padding, dilation); }
    public static Tensor gate(Tensor x, GateActivation act) { return GateOp.gate(x, act); }
    /** gate(conv2d(x, w, b), act), fused in inference where the backend can. */
    public static Tensor gatedConv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int dilation, GateActivation act) { return GatedConv2dOp.gatedConv2d(x, w, b, stride, padding, dilation, act); }
    public static Tensor upsample2x(Tensor x) { return UpsampleOp.upsample2x(x); }
    public static Tensor maxPool2x2(Tensor x) { return MaxPoolOp.maxPool2x2(x); }
    public static Tensor unfold(Tensor x, int k, int stride, int padding, int dilation) { return UnfoldOp.unfold(x, k, stride, padding, dilation); }
    public static Tensor fold(Tensor cols, int h, int w, int k, int stride, int padding, int dilation) { return UnfoldOp.fold(cols, h, w, k, stride, padding, dilation); }

    // Activations
    public static Tensor elu(Tensor x) { return Activations.elu(x); }
    public static Tensor sigmoid(Tensor x) { return Activations.sigmoid(x); }
    public static Tensor tanh(Tensor x) { return Activations.tanh(x); }
    public static Tensor relu(Tensor x) { return Activations.relu(x); }
    public static Tensor leakyRelu(Tensor x, double slope) { return Activations.leakyRelu(x, slope); }
    public static Tensor abs(Tensor x) { return Activations.abs(x); }
    public static Tensor neg(Tensor x) { return Activations.neg(x); }
    public static Tensor square(Tensor x) { return Activations.square(x); }
    public static Tensor sqrt(Tensor x) { return Activations.sqrt(x); }
    public static Tensor exp(Tensor x) { return Activations.exp(x); }
    public static Tensor log(Tensor x) { return Activations.log(x); }

    // Arithmetic
    public static Tensor add(Tensor a, Tensor b) { return Arithmetic.add(a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return Arithmetic.sub(a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return Arithmetic.mul(a, b); }
    public static Tensor div(Tensor a, Tensor b) { return Arithmetic.div(a, b); }
    public static Tensor mulScalar(Tensor x, double c) { return Arithmetic.mulScalar(x, c); }
    public static Tensor addScalar(Tensor x, double c) { return Arithmetic.addScalar(x, c); }
    public static Tensor affine(Tensor x, double scale, double shift) { return Arithmetic.affine(x, scale, shift); }

    // Reductions, Losses, SoftmaxOp, MatmulOp
    public static Tensor sum(Tensor x) { return Reductions.sum(x); }
    public static Tensor mean(Tensor x) { return Reductions.mean(x); }
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) { return Reductions.sum(x, keepDims, axes); }
    public static Tensor mean(Tensor x, boolean keepDims, int... axes) { return Reductions.mean(x, keepDims, axes); }
    public static Tensor l1Loss(Tensor a, Tensor b) { return Losses.l1(a, b); }
    public static Tensor softmax(Tensor x, int axis) { return SoftmaxOp.softmax(x, axis); }
    public static Tensor matmul(Tensor a, Tensor b) { return MatmulOp.matmul(a, b); }
    public static Tensor spectralNorm(Tensor w, Tensor u, Tensor v, boolean powerIteration) { return SpectralNormOp.spectralNorm(w, u, v, powerIteration); }

    // Views, ConcatOp
    public static Tensor concat(int axis, Tensor... xs) { return ConcatOp.concat(axis, xs); }
    public static Tensor narrow(Tensor x, int axis, int start, int length) { return Views.narrow(x, axis, start, length); }
    public static Tensor[] split(Tensor x, int axis, int... sizes) { return Views.split(x, axis, sizes); }
    public static Tensor reshape(Tensor x, int... shape) { return Views.reshape(x, shape); }
    public static Tensor permute(Tensor x, int... order) { return Views.permute(x, order); }
    public static Tensor transpose(Tensor x, int a, int b) { return Views.transpose(x, a, b); }
    public static Tensor contiguous(Tensor x) { return Views.contiguous(x); }
    /** The same values, cut off from autodiff: gradients do not flow back through it (no copy). */
    public static Tensor detach(Tensor x) { return x.view(x.offset(), x.shape(), x.strides()); }
    public static Tensor subsample(Tensor x, int factor) { return Views.subsample(x, factor); }
}
