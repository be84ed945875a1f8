package sonogate.tensor.ops;

import sonogate.kernels.ConvGeometry;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** 2-D convolution with zero padding, stride and dilation; weights [Cout, Cin, k, k], bias [Cout]. */
public final class Conv2dOp {
    private Conv2dOp() {}

    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation) {
        ConvGeometry g = geometry(x, w, bias, stride, padding, dilation);
        Tensor xc = Views.contiguous(x), wc = Views.contiguous(w);
        Tensor y = Tensor.empty(x.device(), x.dtype(), g.batch(), g.outChannels(), g.outH(), g.outW());
        x.backend().conv2d(g, xc, wc, bias, y);
        boolean recorded = Tape.needsGrad(xc, wc, bias);
        if (recorded) {
            Tape.record("conv2d", y, new Tensor[] {xc, wc, bias}, gy -> backward(g, xc, wc, bias, gy));
        }
        Views.dropCopy(xc, x, recorded);
        Views.dropCopy(wc, w, recorded);
        return y;
    }

    private static void backward(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor gy) {
        if (x.requiresGrad()) x.backend().conv2dBackwardData(g, gy, w, x.gradBuffer());
        boolean needBias = bias != null && bias.requiresGrad();
        if (w.requiresGrad()) {
            x.backend().conv2dBackwardWeight(g, x, gy, w.gradBuffer(), needBias ? bias.gradBuffer() : null);
        } else if (needBias) {
            try (Tensor scratch = Tensor.zerosLike(w)) {
                x.backend().conv2dBackwardWeight(g, x, gy, scratch, bias.gradBuffer());
            }
        }
    }

    /** Validates the operands and derives the kernel geometry. */
    public static ConvGeometry geometry(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation) {
        Checks.rank("conv2d", x, 4, "input");
        Checks.rank("conv2d", w, 4, "weight");
        Checks.sameBackend("conv2d", x, w, bias);
        int[] xs = x.shape(), ws = w.shape();
        if (ws[1] != xs[1] || ws[2] != ws[3]) {
            throw new IllegalArgumentException("conv2d: weight " + Shapes.str(ws) + " does not fit input " + Shapes.str(xs)
                    + " (need [Cout, " + xs[1] + ", k, k])");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != ws[0])) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape()) + " for " + ws[0] + " output channels");
        }
        if (bias != null && !bias.isContiguous()) throw new IllegalArgumentException("conv2d: bias must be contiguous");
        try {
            return new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], stride, padding, dilation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (input " + Shapes.str(xs) + ", weight " + Shapes.str(ws) + ")", e);
        }
    }
}
