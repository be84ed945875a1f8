package sonogate.tensor.ops;

import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * A gated convolution's convolution and gate, {@code gate(conv2d(x, w, bias), act)}. While recording
 * it is exactly those two ops (backward needs the pre-gate output). In inference the backend may
 * fuse them ({@link sonogate.tensor.Backend#conv2dGated}): the CPU gates each band of output rows
 * while it is still in cache, so the pre-gate tensor (twice the output) is never stored, and the
 * gate costs no pass over memory and no thread hand-off of its own. Same values either way.
 */
public final class GatedConv2dOp {
    private GatedConv2dOp() {}

    public static Tensor gatedConv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, GateActivation act) {
        if (Tape.needsGrad(x, w, bias)) {
            Tensor y = Conv2dOp.conv2d(x, w, bias, stride, padding, dilation);
            return GateOp.gate(y, act);
        }
        ConvGeometry g = Conv2dOp.geometry(x, w, bias, stride, padding, dilation);
        if (g.outChannels() % 2 != 0) {
            throw new IllegalArgumentException("gated conv2d: " + g.outChannels() + " output channels, need an even count (features, gates)");
        }
        Tensor xc = Views.contiguous(x), wc = Views.contiguous(w);
        try {
            Tensor out = Tensor.empty(x.device(), x.dtype(), g.batch(), g.outChannels() / 2, g.outH(), g.outW());
            if (!x.backend().conv2dGated(g, act, xc, wc, bias, out)) {
                try (Tensor y = Tensor.empty(x.device(), x.dtype(), g.batch(), g.outChannels(), g.outH(), g.outW())) {
                    x.backend().conv2d(g, xc, wc, bias, y);
                    x.backend().gate(act, g.batch(), g.outChannels() / 2, g.outH() * g.outW(), y, out);
                }
            }
            return out;
        } finally {
            Views.dropCopy(xc, x, false);
            Views.dropCopy(wc, w, false);
        }
    }
}
