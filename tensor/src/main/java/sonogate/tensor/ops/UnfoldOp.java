package sonogate.tensor.ops;

import sonogate.kernels.ConvGeometry;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Patch extraction (unfold, im2col) and its adjoint (fold, col2im): x [N,C,H,W] to
 * [N, C*k*k, L] with L output positions, and back (overlapping patches add up). Contextual
 * attention uses them to turn background patches into convolution kernels and to paste them back.
 */
public final class UnfoldOp {
    private UnfoldOp() {}

    public static Tensor unfold(Tensor x, int kernel, int stride, int padding, int dilation) {
        Checks.rank("unfold", x, 4, "input");
        int[] s = x.shape();
        ConvGeometry g = geometry("unfold", s[0], s[1], s[2], s[3], kernel, stride, padding, dilation);
        Tensor xc = Views.contiguous(x);
        Tensor cols = Tensor.empty(x.device(), x.dtype(), s[0], g.patchSize(), g.outH() * g.outW());
        x.backend().unfold(g, xc, cols);
        boolean recorded = Tape.needsGrad(xc);
        if (recorded) {
            Tape.record("unfold", cols, new Tensor[] {xc}, gy -> xc.backend().fold(g, gy, xc.gradBuffer()));
        }
        Views.dropCopy(xc, x, recorded);
        return cols;
    }

    /** The adjoint of {@link #unfold}: cols [N, C*k*k, L] summed into an [N, C, h, w] image. */
    public static Tensor fold(Tensor cols, int h, int w, int kernel, int stride, int padding, int dilation) {
        Checks.rank("fold", cols, 3, "input");
        int[] s = cols.shape();
        if (s[1] % (kernel * kernel) != 0) {
            throw new IllegalArgumentException("fold: " + Shapes.str(s) + " has " + s[1] + " rows, not a multiple of k*k = " + kernel * kernel);
        }
        ConvGeometry g = geometry("fold", s[0], s[1] / (kernel * kernel), h, w, kernel, stride, padding, dilation);
        if (g.outH() * g.outW() != s[2]) {
            throw new IllegalArgumentException("fold: " + Shapes.str(s) + " has " + s[2] + " positions, but a " + h + "x" + w
                    + " image has " + g.outH() * g.outW() + " for kernel " + kernel + " stride " + stride);
        }
        Tensor cc = Views.contiguous(cols);
        Tensor y = Tensor.zeros(cols.device(), cols.dtype(), s[0], g.inChannels(), h, w);
        cols.backend().fold(g, cc, y);
        boolean recorded = Tape.needsGrad(cc);
        Views.dropCopy(cc, cols, recorded);
        if (recorded) {
            Tape.record("fold", y, new Tensor[] {cc}, gy -> {
                try (Tensor tmp = Tensor.emptyLike(cc)) {
                    cc.backend().unfold(g, gy, tmp);
                    cc.backend().axpy(1.0, tmp, cc.gradBuffer());
                }
            });
        }
        return y;
    }

    private static ConvGeometry geometry(String op, int n, int c, int h, int w, int k, int stride, int pad, int dil) {
        try {
            return new ConvGeometry(n, c, h, w, 1, k, stride, pad, dil);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }
}
