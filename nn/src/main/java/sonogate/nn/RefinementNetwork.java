package sonogate.nn;

import java.util.ArrayList;
import java.util.List;
import sonogate.kernels.GateActivation;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Stage 2 (MODEL.md "Refinement network"): a dilated branch ({@code refine.dilated.1-10}) and a
 * contextual-attention branch ({@code refine.attention.1-8}) on the same input, concatenated at
 * H/4 and merged ({@code refine.merge.1-6}, {@code refine.out}). With attention off the merge takes
 * the dilated branch alone.
 */
public final class RefinementNetwork {
    private final List<GatedConv> dilated = new ArrayList<>();
    private final List<GatedConv> beforeAttention = new ArrayList<>();
    private final List<GatedConv> afterAttention = new ArrayList<>();
    private final List<GatedConv> merge = new ArrayList<>();
    private final OutputConv out;
    private final boolean attention;
    private final ModelConfig config;
    private final int attentionChannels;

    public RefinementNetwork(ParameterStore store, ModelConfig cfg) {
        int c = cfg.width(), in = cfg.inputChannels();
        attention = cfg.attention();
        config = cfg;

        String d = "refine.dilated.";
        int ch = add(dilated, store, d + 1, in, c, 5, 1, 1, false, GateActivation.ELU);
        ch = add(dilated, store, d + 2, ch, c, 3, 2, 1, false, GateActivation.ELU);
        ch = add(dilated, store, d + 3, ch, 2 * c, 3, 1, 1, false, GateActivation.ELU);
        ch = add(dilated, store, d + 4, ch, 2 * c, 3, 2, 1, false, GateActivation.ELU);
        ch = add(dilated, store, d + 5, ch, 4 * c, 3, 1, 1, false, GateActivation.ELU);
        ch = add(dilated, store, d + 6, ch, 4 * c, 3, 1, 1, false, GateActivation.ELU);
        int[] dilations = {2, 4, 8, 16};
        for (int i = 0; i < 4; i++) ch = add(dilated, store, d + (7 + i), ch, 4 * c, 3, 1, dilations[i], false, GateActivation.ELU);
        int mergeIn = ch;

        if (attention) {
            String a = "refine.attention.";
            int ah = add(beforeAttention, store, a + 1, in, c, 5, 1, 1, false, GateActivation.ELU);
            ah = add(beforeAttention, store, a + 2, ah, c, 3, 2, 1, false, GateActivation.ELU);
            ah = add(beforeAttention, store, a + 3, ah, 2 * c, 3, 1, 1, false, GateActivation.ELU);
            ah = add(beforeAttention, store, a + 4, ah, 4 * c, 3, 2, 1, false, GateActivation.ELU);
            ah = add(beforeAttention, store, a + 5, ah, 4 * c, 3, 1, 1, false, GateActivation.ELU);
            ah = add(beforeAttention, store, a + 6, ah, 4 * c, 3, 1, 1, false, GateActivation.RELU);
            attentionChannels = ah;
            ah = add(afterAttention, store, a + 7, ah, 4 * c, 3, 1, 1, false, GateActivation.ELU);
            ah = add(afterAttention, store, a + 8, ah, 4 * c, 3, 1, 1, false, GateActivation.ELU);
            mergeIn += ah;
        } else {
            attentionChannels = 0;
        }

        String m = "refine.merge.";
        ch = add(merge, store, m + 1, mergeIn, 4 * c, 3, 1, 1, false, GateActivation.ELU);
        ch = add(merge, store, m + 2, ch, 4 * c, 3, 1, 1, false, GateActivation.ELU);
        ch = add(merge, store, m + 3, ch, 2 * c, 3, 1, 1, true, GateActivation.ELU);
        ch = add(merge, store, m + 4, ch, 2 * c, 3, 1, 1, false, GateActivation.ELU);
        ch = add(merge, store, m + 5, ch, c, 3, 1, 1, true, GateActivation.ELU);
        ch = add(merge, store, m + 6, ch, c / 2, 3, 1, 1, false, GateActivation.ELU);
        out = new OutputConv(store, "refine.out", ch, cfg.prefill());
    }

    private static int add(List<GatedConv> into, ParameterStore store, String name, int cin, int n, int k, int s, int d,
                           boolean up, GateActivation act) {
        GatedConv g = new GatedConv(store, name, cin, n, k, s, d, up, act);
        into.add(g);
        return g.outChannels();
    }

    /** The refined frame x2 [N, 1, H, W] from the stage input and the hole mask [N, 1, H, W]. */
    public Tensor forward(Tensor input, Tensor hole) {
        // In inference every intermediate is freed once consumed (Tape.discard; no-op while recording).
        Tensor x;
        if (attention && ConcurrentInference.branchesEnabled() && ConcurrentInference.suits(input, config)) {
            // small frames: the two branches (about equal work) at once, one per thread
            Tensor[][] branches = ConcurrentInference.run(2, b -> new Tensor[] {b == 0 ? GatedConv.chain(dilated, input) : attentionBranch(input, hole)});
            x = Ops.concat(1, branches[0][0], branches[1][0]);
            ConcurrentInference.close(branches);
        } else if (attention) {
            Tensor d = GatedConv.chain(dilated, input);
            Tensor a = attentionBranch(input, hole);
            x = Ops.concat(1, d, a);
            Tape.discard(d);
            Tape.discard(a);
        } else {
            x = GatedConv.chain(dilated, input);
        }
        Tensor merged = GatedConv.chain(merge, x);
        Tape.discard(x);
        Tensor y = out.forward(merged);
        Tape.discard(merged);
        return y;
    }

    private Tensor attentionBranch(Tensor input, Tensor hole) {
        Tensor features = GatedConv.chain(beforeAttention, input);
        Tensor attended = ContextualAttention.apply(features, hole);
        Tape.discard(features);
        Tensor a = GatedConv.chain(afterAttention, attended);
        Tape.discard(attended);
        return a;
    }

    public double flops(int h, int w) {
        double total = 0;
        int dh = h, dw = w;
        for (GatedConv g : dilated) {
            total += g.flops(dh, dw);
            dh = g.outSize(dh);
            dw = g.outSize(dw);
        }
        if (attention) {
            int ah = h, aw = w;
            for (GatedConv g : beforeAttention) {
                total += g.flops(ah, aw);
                ah = g.outSize(ah);
                aw = g.outSize(aw);
            }
            total += ContextualAttention.flops(attentionChannels, ah, aw);
            for (GatedConv g : afterAttention) total += g.flops(ah, aw);
        }
        for (GatedConv g : merge) {
            total += g.flops(dh, dw);
            dh = g.outSize(dh);
            dw = g.outSize(dw);
        }
        return total + out.flops(dh, dw);
    }
}
