package sonogate.nn;

import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * The two-stage generator. Inputs: grey frames x in [-1, 1] and hole masks m (1 = colour pixel to
 * reconstruct), both [N, 1, H, W] with H, W multiples of 8.
 * <pre>
 *   x1  = coarse(concat[x * (1 - m), 1, m])          x1' = x1 * m + x * (1 - m)
 *   x2  = refine(concat[x1', 1, m], m)                x2' = x2 * m + x * (1 - m)   (the translated frame)
 * </pre>
 */
public final class Generator {

    /** The coarse and refined raw outputs, and the translated frame (known pixels kept). */
    public record Output(Tensor coarse, Tensor refined, Tensor composite) {}

    private final CoarseNetwork coarse;
    private final RefinementNetwork refine;
    private final ModelConfig config;

    public Generator(ParameterStore store, ModelConfig cfg) {
        if (cfg.temporal()) {
            throw new IllegalArgumentException("config " + cfg.name() + ": the temporal option is not built yet (it needs neighbouring frames)");
        }
        this.config = cfg;
        this.coarse = new CoarseNetwork(store, cfg);
        this.refine = new RefinementNetwork(store, cfg);
    }

    public Output forward(Tensor x, Tensor m) {
        checkInputs(x, m);
        if (SampleSplit.suits(x, config)) return SampleSplit.forward(x, m, this::forwardWhole);
        return forwardWhole(x, m);
    }

    /** The forward on the whole batch at once, each op split over the threads by itself. */
    private Output forwardWhole(Tensor x, Tensor m) {
        Tensor keep = Ops.addScalar(Ops.neg(m), 1.0);                     // 1 - m
        Tensor known = Ops.mul(x, keep);
        Tensor ones = Tensor.full(x.device(), x.dtype(), 1.0, m.shape());
        Tensor coarseIn = Ops.concat(1, known, ones, m);
        Tensor x1 = coarse.forward(coarseIn);
        Tape.discard(coarseIn);                                             // inference: free once consumed
        Tensor x1Composite = Ops.add(Ops.mul(x1, m), known);
        Tensor refineIn = Ops.concat(1, x1Composite, ones, m);
        Tensor x2 = refine.forward(refineIn, m);
        Tape.discard(refineIn);
        Tensor x2Composite = Ops.add(Ops.mul(x2, m), known);
        return new Output(x1, x2, x2Composite);
    }

    private static void checkInputs(Tensor x, Tensor m) {
        if (x.rank() != 4 || x.dim(1) != 1 || !x.sameShape(m)) {
            throw new IllegalArgumentException("generator: frames " + sonogate.tensor.Shapes.str(x.shape()) + " and masks "
                    + sonogate.tensor.Shapes.str(m.shape()) + " must both be [N, 1, H, W]");
        }
        if (x.dim(2) % 8 != 0 || x.dim(3) % 8 != 0) {
            throw new IllegalArgumentException("generator: frame size " + x.dim(2) + "x" + x.dim(3) + " must be a multiple of 8 (pad or resize first)");
        }
    }

    /** Forward FLOPs per frame of size h x w (convolutions and the two attention products). */
    public double flops(int h, int w) {
        return coarse.flops(h, w) + refine.flops(h, w);
    }

    public ModelConfig config() {
        return config;
    }
}
