package sonogate.kernels;

/**
 * Shape of a 2-D convolution over NCHW input with square kernel, stride, zero padding and
 * dilation. Weights are [outChannels, inChannels, kernel, kernel] (PyTorch's layout).
 */
public record ConvGeometry(int batch, int inChannels, int inH, int inW, int outChannels,
                           int kernel, int stride, int padding, int dilation) {
    public ConvGeometry {
        if (batch <= 0 || inChannels <= 0 || inH <= 0 || inW <= 0 || outChannels <= 0 || kernel <= 0
                || stride <= 0 || padding < 0 || dilation <= 0) {
            throw new IllegalArgumentException("conv2d: invalid geometry " + describe(batch, inChannels, inH, inW,
                    outChannels, kernel, stride, padding, dilation));
        }
        int effective = dilation * (kernel - 1) + 1;
        if (inH + 2 * padding < effective || inW + 2 * padding < effective) {
            throw new IllegalArgumentException("conv2d: kernel " + kernel + " (dilation " + dilation
                    + ") larger than padded input " + inH + "x" + inW + " (padding " + padding + ")");
        }
    }

    public int outH() { return (inH + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1; }
    public int outW() { return (inW + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1; }
    public long inputSize() { return (long) batch * inChannels * inH * inW; }
    public long outputSize() { return (long) batch * outChannels * outH() * outW(); }
    public long weightSize() { return (long) outChannels * inChannels * kernel * kernel; }
    /** Rows of the im2col matrix: inChannels * kernel * kernel. */
    public int patchSize() { return inChannels * kernel * kernel; }
    /** Multiply-adds of the forward pass times two. */
    public double flops() { return 2.0 * outputSize() * patchSize(); }

    @Override
    public String toString() {
        return describe(batch, inChannels, inH, inW, outChannels, kernel, stride, padding, dilation);
    }

    private static String describe(int n, int c, int h, int w, int co, int k, int s, int p, int d) {
        return "[" + n + "," + c + "," + h + "," + w + "] -> " + co + " k" + k + " s" + s + " p" + p + " d" + d;
    }
}
