package sonogate.nn;

import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Out(cin) of MODEL.md: a plain 3x3 convolution cin -> 1, then tanh (grey values in [-1, 1]). When
 * the stage predicts a correction of a prefilled hole ({@link Generator}'s prefill option) its
 * weights start {@link #CORRECTION_GAIN} times smaller, so the untrained correction is a fraction of
 * a grey level. (Not zero: with zero output weights no gradient reaches the layers below, and
 * Adam's first steps only jitter the output weights around zero; a 500-step run, before the
 * correction was masked to the hole, learned nothing.)
 */
public final class OutputConv {
    private final ParameterStore.Entry weight, bias;
    private final int inChannels;

    /** The prefill option's output weights relative to MODEL.md's (gain 1). */
    public static final double CORRECTION_GAIN = 0.01;

    public OutputConv(ParameterStore store, String name, int inChannels, boolean correction) {
        this.inChannels = inChannels;
        int fanIn = inChannels * 9;
        // gain 1 into tanh (linear near 0), zero bias: the untrained output is near 0 (mid grey) and follows its input
        ParameterStore.Init init = ParameterStore.uniformScaled(fanIn, correction ? CORRECTION_GAIN : 1);
        this.weight = store.parameter(name + ".conv.weight", init, 1, inChannels, 3, 3);
        this.bias = store.parameter(name + ".conv.bias", ParameterStore.zeros(), 1);
    }

    public Tensor forward(Tensor x) {
        Tensor y = Ops.conv2d(x, weight.tensor(), bias.tensor(), 1, 1, 1);
        Tensor out = Ops.tanh(y);
        Tape.discard(y);
        return out;
    }

    public double flops(int h, int w) {
        return 2.0 * h * w * inChannels * 9;
    }
}
