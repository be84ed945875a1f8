package sonogate.tensor.ops;

import sonogate.kernels.GateActivation;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * The fused gate of a gated convolution: input [N, 2C, H, W] (features then gates) to
 * act(features) * sigmoid(gates), [N, C, H, W]. One kernel each way, no intermediate tensors.
 */
public final class GateOp {
    private GateOp() {}

    public static Tensor gate(Tensor x, GateActivation act) {
        Checks.rank("gate", x, 4, "input");
        int[] s = x.shape();
        if (s[1] % 2 != 0) throw new IllegalArgumentException("gate: channel count must be even, got " + Shapes.str(s));
        int c = s[1] / 2, hw = s[2] * s[3];
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.empty(x.device(), x.dtype(), s[0], c, s[2], s[3]);
        x.backend().gate(act, s[0], c, hw, xc, y);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record("gate", y, new Tensor[] {xc}, gy -> xc.backend().gateBackward(act, s[0], c, hw, xc, gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return y;
    }
}
