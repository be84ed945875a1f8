package sonogate.tensor.ops;

import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * 2x2 max pooling with stride 2 of NCHW (VGG's pooling): [N, C, H, W] -> [N, C, H/2, W/2], an odd
 * last row or column dropped. Backward routes each output gradient to its window's maximum (the
 * first of equal maxima, PyTorch's rule), recomputed from the input.
 */
public final class MaxPoolOp {
    private MaxPoolOp() {}

    public static Tensor maxPool2x2(Tensor x) {
        Checks.rank("maxPool2x2", x, 4, "input");
        int[] s = x.shape();
        if (s[2] < 2 || s[3] < 2) throw new IllegalArgumentException("maxPool2x2: input " + sonogate.tensor.Shapes.str(s) + " is smaller than 2x2");
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.empty(x.device(), x.dtype(), s[0], s[1], s[2] / 2, s[3] / 2);
        int planes = s[0] * s[1];
        x.backend().maxPool2x2(planes, s[2], s[3], xc, y);
        if (Tape.needsGrad(xc)) {
            Tape.record("maxPool2x2", y, new Tensor[] {xc}, gy -> xc.backend().maxPool2x2Backward(planes, s[2], s[3], xc, gy, xc.gradBuffer()));
        }
        return y;
    }
}
