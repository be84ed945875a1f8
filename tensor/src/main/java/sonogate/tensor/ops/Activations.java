package sonogate.tensor.ops;

import sonogate.kernels.UnaryOp;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Element-wise functions (ELU, sigmoid, tanh, ReLU, LeakyReLU, abs, ...): forward and backward are one kernel each. */
public final class Activations {
    private Activations() {}

    public static Tensor elu(Tensor x, double alpha) { return apply(UnaryOp.ELU, alpha, x); }
    public static Tensor elu(Tensor x) { return apply(UnaryOp.ELU, 1.0, x); }
    public static Tensor sigmoid(Tensor x) { return apply(UnaryOp.SIGMOID, 0, x); }
    public static Tensor tanh(Tensor x) { return apply(UnaryOp.TANH, 0, x); }
    public static Tensor relu(Tensor x) { return apply(UnaryOp.RELU, 0, x); }
    public static Tensor leakyRelu(Tensor x, double slope) { return apply(UnaryOp.LEAKY_RELU, slope, x); }
    public static Tensor abs(Tensor x) { return apply(UnaryOp.ABS, 0, x); }
    public static Tensor neg(Tensor x) { return apply(UnaryOp.NEG, 0, x); }
    public static Tensor square(Tensor x) { return apply(UnaryOp.SQUARE, 0, x); }
    public static Tensor sqrt(Tensor x) { return apply(UnaryOp.SQRT, 0, x); }
    public static Tensor exp(Tensor x) { return apply(UnaryOp.EXP, 0, x); }
    public static Tensor log(Tensor x) { return apply(UnaryOp.LOG, 0, x); }

    public static Tensor apply(UnaryOp op, double alpha, Tensor x) {
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.emptyLike(xc);
        x.backend().unary(op, alpha, xc, y);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record(op.name().toLowerCase(), y, new Tensor[] {xc},
                    gy -> xc.backend().unaryBackward(op, alpha, xc, y, gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return y;
    }
}
