package sonogate.nn;

import sonogate.kernels.GateActivation;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * GatedConv(cin, n, k, s, d) of MODEL.md: ONE convolution cin -> n ("same" zero padding
 * d*(k-1)/2), whose first n/2 channels are features and last n/2 gates; output
 * act(features) * sigmoid(gates) with n/2 channels, computed by the fused gate kernel.
 * With {@code upsample} it is the spec's "Up" block: nearest x2 upsampling first.
 */
public final class GatedConv {
    private final ParameterStore.Entry weight, bias;
    private final int inChannels, convOut, kernel, stride, dilation;
    private final boolean upsample;
    private final GateActivation activation;

    public GatedConv(ParameterStore store, String name, int inChannels, int convOut, int kernel, int stride, int dilation,
                     boolean upsample, GateActivation activation) {
        if (convOut % 2 != 0) throw new IllegalArgumentException(name + ": gated conv output width " + convOut + " must be even");
        this.inChannels = inChannels;
        this.convOut = convOut;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.upsample = upsample;
        this.activation = activation;
        int fanIn = inChannels * kernel * kernel;
        this.weight = store.parameter(name + ".conv.weight", ParameterStore.uniformScaled(fanIn, INIT_GAIN), convOut, inChannels, kernel, kernel);
        this.bias = store.parameter(name + ".conv.bias", ParameterStore.zeros(), convOut);
    }

    /**
     * The weight gain that keeps a deep stack of gated convolutions trainable at initialisation:
     * near zero, ELU(f) * sigmoid(g) is f / 2, so with weights of standard deviation
     * 2 / sqrt(fan_in) a layer's input-output Jacobian has unit mean square, and a change of the
     * input reaches the output of the 17-layer networks (and gradients their first layers). Biases
     * start at zero. PyTorch's default (bound 1/sqrt(fan_in), i.e. gain 1/sqrt(3), and random
     * biases) shrinks that mean square about 8-fold per layer and the biases swamp what is left:
     * the untrained coarse network's output does not depend on its input at all (1e-17 of the
     * input's change), L1 training first drags that constant towards the frames' dark median (the
     * black around the imaging sector), and the validation in-mask error rose after ~100 steps.
     * PyTorch, given the same weights and batches, does exactly the same. The one ReLU-featured
     * layer (attention branch) uses the same gain. {@code GatedConvInitTest} checks the property.
     */
    static final double INIT_GAIN = 2;

    /** The layer's output; {@code x} stays the caller's (in inference the layer frees only its own temporaries). */
    public Tensor forward(Tensor x) {
        Tensor in = upsample ? Ops.upsample2x(x) : x;
        // recording: conv2d then gate; inference: one fused pass where the backend has one
        Tensor out = Ops.gatedConv2d(in, weight.tensor(), bias.tensor(), stride, dilation * (kernel - 1) / 2, dilation, activation);
        if (upsample) Tape.discard(in);
        return out;
    }

    /**
     * Runs {@code layers} in order from {@code input}; in inference each intermediate activation is
     * freed as soon as the next layer has consumed it ({@code input} itself is left to the caller).
     */
    static Tensor chain(Iterable<GatedConv> layers, Tensor input) {
        Tensor x = input;
        for (GatedConv g : layers) {
            Tensor next = g.forward(x);
            if (x != input) Tape.discard(x);
            x = next;
        }
        return x;
    }

    public int outChannels() {
        return convOut / 2;
    }

    /** 2 x multiply-adds of the convolution on an h x w input (before upsampling). */
    public double flops(int h, int w) {
        int ih = upsample ? 2 * h : h, iw = upsample ? 2 * w : w;
        int oh = (ih - 1) / stride + 1, ow = (iw - 1) / stride + 1;
        return 2.0 * oh * ow * convOut * inChannels * kernel * kernel;
    }

    /** Output height for input height {@code h}. */
    public int outSize(int h) {
        int ih = upsample ? 2 * h : h;
        return (ih - 1) / stride + 1;
    }
}
