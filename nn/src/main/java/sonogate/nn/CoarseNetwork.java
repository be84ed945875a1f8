package sonogate.nn;

import java.util.ArrayList;
import java.util.List;
import sonogate.kernels.GateActivation;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Stage 1 (MODEL.md "Coarse network"): 16 gated convolutions and an output convolution,
 * named {@code coarse.1} to {@code coarse.17} after the rows of the spec's table. Two stride-2
 * layers take it to H/4, where dilations 2, 4, 8, 16 widen the receptive field; two Up blocks
 * return to H.
 */
public final class CoarseNetwork {
    private final List<GatedConv> layers = new ArrayList<>();
    private final OutputConv out;

    public CoarseNetwork(ParameterStore store, ModelConfig cfg) {
        int c = cfg.width();
        int ch = add(store, 1, cfg.inputChannels(), c, 5, 1, 1, false);
        ch = add(store, 2, ch, 2 * c, 3, 2, 1, false);
        ch = add(store, 3, ch, 2 * c, 3, 1, 1, false);
        ch = add(store, 4, ch, 4 * c, 3, 2, 1, false);
        ch = add(store, 5, ch, 4 * c, 3, 1, 1, false);
        ch = add(store, 6, ch, 4 * c, 3, 1, 1, false);
        int[] dilations = {2, 4, 8, 16};
        for (int i = 0; i < 4; i++) ch = add(store, 7 + i, ch, 4 * c, 3, 1, dilations[i], false);
        ch = add(store, 11, ch, 4 * c, 3, 1, 1, false);
        ch = add(store, 12, ch, 4 * c, 3, 1, 1, false);
        ch = add(store, 13, ch, 2 * c, 3, 1, 1, true);
        ch = add(store, 14, ch, 2 * c, 3, 1, 1, false);
        ch = add(store, 15, ch, c, 3, 1, 1, true);
        ch = add(store, 16, ch, c / 2, 3, 1, 1, false);
        out = new OutputConv(store, "coarse.17", ch, cfg.prefill());
    }

    private int add(ParameterStore store, int index, int cin, int n, int k, int s, int d, boolean up) {
        GatedConv g = new GatedConv(store, "coarse." + index, cin, n, k, s, d, up, GateActivation.ELU);
        layers.add(g);
        return g.outChannels();
    }

    /** The coarse frame x1 in [-1, 1], [N, 1, H, W], from the stage input [N, 3 (or 9), H, W]. */
    public Tensor forward(Tensor input) {
        Tensor x = GatedConv.chain(layers, input);
        Tensor y = out.forward(x);
        if (x != input) Tape.discard(x);
        return y;
    }

    public double flops(int h, int w) {
        double total = 0;
        for (GatedConv g : layers) {
            total += g.flops(h, w);
            h = g.outSize(h);
            w = g.outSize(w);
        }
        return total + out.flops(h, w);
    }
}
