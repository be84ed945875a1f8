package sonogate.tensor.ops;

import sonogate.kernels.BinaryOp;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * add, sub, mul, div with numpy broadcasting (rank <= 4: bias-like [1,C,1,1] operands, masks
 * [N,1,H,W], scalars), and scalar affine ops. Gradients of broadcast operands are summed over
 * the broadcast dimensions by accumulating through a zero-stride view of the gradient.
 */
public final class Arithmetic {
    private Arithmetic() {}

    public static Tensor add(Tensor a, Tensor b) { return binary(BinaryOp.ADD, a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return binary(BinaryOp.SUB, a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return binary(BinaryOp.MUL, a, b); }
    public static Tensor div(Tensor a, Tensor b) { return binary(BinaryOp.DIV, a, b); }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        Checks.sameBackend(name, a, b);
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        if (shape.length > 4) throw new IllegalArgumentException(name + ": rank > 4 not supported: " + Shapes.str(a.shape()) + ", " + Shapes.str(b.shape()));
        Tensor y = Tensor.empty(a.device(), a.dtype(), shape);
        try (Tensor av = expand(a, shape); Tensor bv = expand(b, shape)) {
            a.backend().binary(op, av, bv, y);
        }
        if (Tape.needsGrad(a, b)) {
            Tape.record(name, y, new Tensor[] {a, b}, gy -> backward(op, a, b, y, gy, shape));
        }
        return y;
    }

    private static void backward(BinaryOp op, Tensor a, Tensor b, Tensor y, Tensor gy, int[] shape) {
        switch (op) {
            case ADD -> {
                if (a.requiresGrad()) accumulate(gy, a);
                if (b.requiresGrad()) accumulate(gy, b);
            }
            case SUB -> {
                if (a.requiresGrad()) accumulate(gy, a);
                if (b.requiresGrad()) {
                    try (Tensor negative = Tensor.emptyLike(gy)) {
                        gy.backend().affine(gy, -1.0, 0.0, negative);
                        accumulate(negative, b);
                    }
                }
            }
            case MUL -> {
                if (a.requiresGrad()) accumulateProduct(BinaryOp.MUL, gy, b, a, shape);
                if (b.requiresGrad()) accumulateProduct(BinaryOp.MUL, gy, a, b, shape);
            }
            case DIV -> {
                if (a.requiresGrad()) accumulateProduct(BinaryOp.DIV, gy, b, a, shape);
                if (b.requiresGrad()) {
                    // d(a/b)/db = -y/b
                    try (Tensor yOverB = Tensor.empty(y.device(), y.dtype(), shape); Tensor bv = expand(b, shape)) {
                        y.backend().binary(BinaryOp.DIV, y, bv, yOverB);
                        y.backend().affine(yOverB, -1.0, 0.0, yOverB);
                        accumulateProduct(BinaryOp.MUL, gy, yOverB, b, shape);
                    }
                }
            }
        }
    }

    /** target.grad += sum over broadcast dims of (gy (op) factor). */
    private static void accumulateProduct(BinaryOp op, Tensor gy, Tensor factor, Tensor target, int[] shape) {
        try (Tensor f = expand(factor, shape); Tensor t = Tensor.empty(gy.device(), gy.dtype(), shape)) {
            gy.backend().binary(op, gy, f, t);
            accumulate(t, target);
        }
    }

    /** target.grad += g summed over the dimensions where target was broadcast. */
    static void accumulate(Tensor g, Tensor target) {
        Tensor grad = target.gradBuffer();
        int[] shape = g.shape();
        try (Tensor gv = grad.view(grad.offset(), shape, Shapes.broadcastStrides(grad.shape(), grad.strides(), shape))) {
            g.backend().copy(g, gv, true);
        }
    }

    /** A view of t with the broadcast shape (zero strides where t is broadcast). */
    static Tensor expand(Tensor t, int[] shape) {
        return t.view(t.offset(), shape, Shapes.broadcastStrides(t.shape(), t.strides(), shape));
    }

    /** y = scale * x + shift. */
    public static Tensor affine(Tensor x, double scale, double shift) {
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.emptyLike(xc);
        x.backend().affine(xc, scale, shift, y);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record("affine", y, new Tensor[] {xc}, gy -> xc.backend().axpy(scale, gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return y;
    }

    public static Tensor mulScalar(Tensor x, double c) { return affine(x, c, 0); }
    public static Tensor addScalar(Tensor x, double c) { return affine(x, 1, c); }
}
