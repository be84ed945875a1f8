package sonogate.train.perceptual;

import java.util.List;
import sonogate.nn.VggFeatures;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * The perceptual term of MODEL.md: L1 between the feature maps of a fixed network on the composite
 * x2' and on the truth y. For each block output l of the {@link VggFeatures} network,
 * <pre>  term_l = mean|phi_l(x2') - phi_l(y)| / (mean|phi_l(y)| + 1e-6)</pre>
 * and the loss is the mean of the terms over the blocks: a relative feature error. Dividing by
 * the truth's own feature magnitude (a constant for autodiff, like phi(y) itself) puts every
 * block, and networks with very different activation scales (Keras VGG16 on 0..255 input versus
 * sonogate's random network on [-1, 1]), on one footing, so one weight means the same for both.
 *
 * <p>The network is frozen: its weights never require gradients and are never updated; the
 * truth's features are computed without recording; gradients flow only into x2'.
 */
public final class PerceptualLoss implements AutoCloseable {
    static final double EPS = 1e-6;

    private final VggFeatures network;

    /** Takes ownership of {@code network} (closed with this loss). */
    public PerceptualLoss(VggFeatures network) {
        this.network = network;
    }

    public VggFeatures network() { return network; }

    /** The relative feature error (a one-element tensor) of {@code composite} against {@code truth}, both [N, 1, H, W]. */
    public Tensor loss(Tensor composite, Tensor truth) {
        List<Tensor> target, scales = new java.util.ArrayList<>();
        try (var ng = Tape.noGrad()) {
            target = network.forward(truth);
            for (Tensor t : target) scales.add(Ops.addScalar(Ops.mean(Ops.abs(t)), EPS));
        }
        List<Tensor> ours = network.forward(composite);
        Tensor total = null;
        for (int l = 0; l < ours.size(); l++) {
            Tensor term = Ops.div(Ops.l1Loss(ours.get(l), target.get(l)), scales.get(l));
            total = total == null ? term : Ops.add(total, term);
        }
        return Ops.mulScalar(total, 1.0 / ours.size());
    }

    @Override
    public void close() {
        network.close();
    }
}
