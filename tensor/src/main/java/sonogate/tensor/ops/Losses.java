package sonogate.tensor.ops;

import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Loss functions with fused kernels. */
public final class Losses {
    private Losses() {}

    /** mean |a - b|, a scalar. A non-finite result is an error naming the shapes (it would poison training). */
    public static Tensor l1(Tensor a, Tensor b) {
        Checks.sameShape("l1_loss", a, b);
        Checks.sameBackend("l1_loss", a, b);
        Tensor ac = Views.contiguous(a), bc = Views.contiguous(b);
        double scale = 1.0 / a.numel();
        Tensor y = Tensor.empty(a.device(), a.dtype());
        a.backend().l1(ac, bc, y);
        a.backend().affine(y, scale, 0, y);
        Checks.finite("l1_loss", y, a, b);
        boolean recorded = Tape.needsGrad(ac, bc);
        Views.dropCopy(ac, a, recorded);
        Views.dropCopy(bc, b, recorded);
        if (recorded) {
            Tape.record("l1_loss", y, new Tensor[] {ac, bc}, gy -> ac.backend().l1Backward(gy, scale, ac, bc,
                    ac.requiresGrad() ? ac.gradBuffer() : null, bc.requiresGrad() ? bc.gradBuffer() : null));
        }
        return y;
    }
}
