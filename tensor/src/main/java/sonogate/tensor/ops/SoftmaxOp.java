package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Softmax over one axis (contextual attention's scores). */
public final class SoftmaxOp {
    private SoftmaxOp() {}

    public static Tensor softmax(Tensor x, int axis) {
        int a = Shapes.axis("softmax", axis, x.rank());
        int[] s = x.shape();
        int outer = Shapes.product(s, 0, a), len = s[a], inner = Shapes.product(s, a + 1, s.length);
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.emptyLike(xc);
        x.backend().softmax(outer, len, inner, xc, y);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record("softmax", y, new Tensor[] {xc}, gy -> xc.backend().softmaxBackward(outer, len, inner, y, gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return y;
    }
}
