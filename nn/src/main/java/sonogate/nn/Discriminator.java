package sonogate.nn;

import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * SN-PatchGAN (MODEL.md): six 5x5 stride-2 convolutions with spectrally normalised weights and
 * LeakyReLU(0.2), on concat[frame, m]. Every element of the flattened H/64 x W/64 x C output
 * scores one patch. Each layer's power-iteration vectors are buffers {@code disc.i.conv.weight_u}
 * and {@code weight_v}; a training forward refines them by one iteration (so run the real and fake
 * frames through one call to get exactly one iteration per step).
 */
public final class Discriminator {
    private final ParameterStore.Entry[] weights, biases, us, vs;
    private final int[] channels;

    public Discriminator(ParameterStore store, ModelConfig cfg) {
        channels = cfg.discriminatorChannels();
        int n = channels.length;
        weights = new ParameterStore.Entry[n];
        biases = new ParameterStore.Entry[n];
        us = new ParameterStore.Entry[n];
        vs = new ParameterStore.Entry[n];
        int cin = 2;
        for (int i = 0; i < n; i++) {
            String name = "disc." + (i + 1) + ".conv.";
            int fanIn = cin * 25;
            weights[i] = store.parameter(name + "weight", ParameterStore.uniformFanIn(fanIn), channels[i], cin, 5, 5);
            biases[i] = store.parameter(name + "bias", ParameterStore.uniformFanIn(fanIn), channels[i]);
            us[i] = store.buffer(name + "weight_u", ParameterStore.unitVector(), channels[i]);
            vs[i] = store.buffer(name + "weight_v", ParameterStore.unitVector(), fanIn);
            cin = channels[i];
        }
    }

    /** Patch scores [N, (H/64)(W/64)C] for frames and masks [N, 1, H, W]. */
    public Tensor forward(Tensor frame, Tensor m, boolean training) {
        Tensor x = Ops.concat(1, frame, m);
        for (int i = 0; i < weights.length; i++) {
            Tensor w = Ops.spectralNorm(weights[i].tensor(), us[i].tensor(), vs[i].tensor(), training);
            x = Ops.leakyRelu(Ops.conv2d(x, w, biases[i].tensor(), 2, 2, 1), 0.2);
        }
        return Ops.reshape(x, x.dim(0), -1);
    }

    public double flops(int h, int w) {
        double total = 0;
        int cin = 2;
        for (int c : channels) {
            h /= 2;
            w /= 2;
            total += 2.0 * h * w * c * cin * 25;
            cin = c;
        }
        return total;
    }
}
