package sonogate.tensor.ops;

import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Nearest-neighbour x2 upsampling of NCHW; backward sums each 2x2 block of the gradient. */
public final class UpsampleOp {
    private UpsampleOp() {}

    public static Tensor upsample2x(Tensor x) {
        Checks.rank("upsample2x", x, 4, "input");
        int[] s = x.shape();
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.empty(x.device(), x.dtype(), s[0], s[1], 2 * s[2], 2 * s[3]);
        int planes = s[0] * s[1];
        x.backend().upsample2x(planes, s[2], s[3], xc, y);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record("upsample2x", y, new Tensor[] {xc}, gy -> xc.backend().upsample2xBackward(planes, s[2], s[3], gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return y;
    }
}
