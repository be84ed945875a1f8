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
 *
 * <p><b>Prefill option</b> ({@link ModelConfig#prefill()}, a sonogate deviation from MODEL.md,
 * README "The prefill option"): the hole
 * enters filled instead of zeroed, by the diffusion fill d = {@link HarmonicFill}(x, m) of each
 * frame (d = x outside the hole; a constant: no gradient flows into it), and both stages predict a
 * correction of it inside the hole, their output convolutions starting 100x smaller than MODEL.md's
 * ({@link OutputConv#CORRECTION_GAIN}) so that the untrained model returns nearly d:
 * <pre>
 *   x1  = d + m * coarse(concat[d, 1, m])             x2  = d + m * refine(concat[x1', 1, m], m)
 * </pre>
 * The correction is masked because outside the hole d already is the truth: there MODEL.md's
 * whole-frame L1 would only pull the correction towards zero, and that pull (most of the frame)
 * drowned the hole's signal: unmasked, the model could not even fit a single training image.
 *
 * <p><b>Temporal option</b> ({@link ModelConfig#temporal()}, MODEL.md "Video": input channels
 * 3 -> 9): both stages also see the previous and next frames p, q of the clip and their masks
 * mp, mq ({@link Neighbours}), as one more (masked frame, ones, mask) triple each:
 * <pre>
 *   coarse input = concat[x * (1 - m), 1, m,  p * (1 - mp), 1, mp,  q * (1 - mq), 1, mq]
 *   refine input = concat[x1',          1, m,  p * (1 - mp), 1, mp,  q * (1 - mq), 1, mq]
 * </pre>
 * The spec gives every stage the same "input channels", so the refinement's first convolutions
 * (both branches) take 9 channels too; only those three first convolutions change shape.
 */
public final class Generator {

    /**
     * The coarse and refined raw outputs, the translated frame (known pixels kept), and the
     * diffusion fill the stages corrected (null without the prefill option).
     */
    public record Output(Tensor coarse, Tensor refined, Tensor composite, Tensor prefill) {}

    private final CoarseNetwork coarse;
    private final RefinementNetwork refine;
    private final ModelConfig config;

    public Generator(ParameterStore store, ModelConfig cfg) {
        this.config = cfg;
        this.coarse = new CoarseNetwork(store, cfg);
        this.refine = new RefinementNetwork(store, cfg);
    }

    public Output forward(Tensor x, Tensor m) {
        return forward(x, m, null);
    }

    /**
     * As {@link #forward(Tensor, Tensor)}, with each frame's neighbours: required for a temporal
     * config, null for any other.
     */
    public Output forward(Tensor x, Tensor m, Neighbours neighbours) {
        checkInputs(x, m);
        checkNeighbours(x, neighbours);
        if (SampleSplit.suits(x, config)) return SampleSplit.forward(x, m, neighbours, this::forwardWhole);
        return forwardWhole(x, m, neighbours);
    }

    /** The forward on the whole batch at once, each op split over the threads by itself. */
    private Output forwardWhole(Tensor x, Tensor m, Neighbours neighbours) {
        Tensor keep = Ops.addScalar(Ops.neg(m), 1.0);                     // 1 - m
        Tensor known = Ops.mul(x, keep);
        Tensor ones = Tensor.full(x.device(), x.dtype(), 1.0, m.shape());
        Tensor extra = neighbours == null ? null : neighbours.channels();
        Tensor prefill = config.prefill() ? diffusionFill(x, m) : null;
        Tensor coarseIn = stageInput(prefill == null ? known : prefill, ones, m, extra);
        Tensor x1 = plus(coarse.forward(coarseIn), m, prefill);
        Tape.discard(coarseIn);                                             // inference: free once consumed
        Tensor x1Composite = Ops.add(Ops.mul(x1, m), known);
        Tensor refineIn = stageInput(x1Composite, ones, m, extra);
        Tensor x2 = plus(refine.forward(refineIn, m), m, prefill);
        Tape.discard(refineIn);
        Tape.discard(extra);
        Tensor x2Composite = Ops.add(Ops.mul(x2, m), known);
        return new Output(x1, x2, x2Composite, prefill);
    }

    /** {@code prefill + m * correction}, or the correction itself when there is no prefill. */
    private static Tensor plus(Tensor correction, Tensor m, Tensor prefill) {
        if (prefill == null) return correction;
        Tensor inHole = Ops.mul(correction, m);
        Tape.discard(correction);
        Tensor sum = Ops.add(inHole, prefill);
        Tape.discard(inHole);
        return sum;
    }

    /** Each frame's hole filled by {@link HarmonicFill} from the pixels around it (the hole is where m >= 0.5). */
    static Tensor diffusionFill(Tensor x, Tensor m) {
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), plane = h * w;
        float[] xs = x.toFloatArray(), ms = m.toFloatArray();
        double[] out = new double[xs.length];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            float[] image = java.util.Arrays.copyOfRange(xs, i * plane, (i + 1) * plane);
            float[] filled = HarmonicFill.fill(image, HarmonicFill.holeOf(ms, i * plane, plane), w, h, PREFILL_TOLERANCE);
            for (int p = 0; p < plane; p++) out[i * plane + p] = filled[p];
        });
        Tensor host = Tensor.of(x.dtype(), out, x.shape());
        if (x.device() == host.device()) return host;
        try (host) {
            return host.to(x.device());
        }
    }

    /** The prefill's solver stops at a relative residual far below one grey level of [-1, 1]. */
    private static final double PREFILL_TOLERANCE = 1e-5;

    /** concat[x_in, 1, m], followed by the neighbours' six channels when there are any. */
    private static Tensor stageInput(Tensor in, Tensor ones, Tensor m, Tensor neighbourChannels) {
        return neighbourChannels == null ? Ops.concat(1, in, ones, m) : Ops.concat(1, in, ones, m, neighbourChannels);
    }

    private void checkNeighbours(Tensor x, Neighbours neighbours) {
        if (config.temporal() && neighbours == null) {
            throw new IllegalArgumentException("config " + config.name() + " is temporal: it needs each frame's previous and next frames and masks");
        }
        if (!config.temporal() && neighbours != null) {
            throw new IllegalArgumentException("config " + config.name() + " is not temporal: it takes no neighbouring frames");
        }
        if (neighbours == null) return;
        String[] roles = {"previous frames", "previous masks", "next frames", "next masks"};
        Tensor[] all = neighbours.all();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null || !all[i].sameShape(x)) {
                throw new IllegalArgumentException("generator: " + roles[i] + " " + (all[i] == null ? "missing" : sonogate.tensor.Shapes.str(all[i].shape()))
                        + " must have the frames' shape " + sonogate.tensor.Shapes.str(x.shape()));
            }
        }
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

    CoarseNetwork coarse() { return coarse; }
    RefinementNetwork refinement() { return refine; }
}
