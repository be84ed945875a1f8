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
 * With the config's prefill option (a sonogate deviation from MODEL.md, README "Deviations") the hole
 * enters filled instead of zeroed, by the diffusion fill p = {@link HarmonicFill}(x, m) of each
 * frame (p = x outside the hole; a constant: no gradient flows into it), and both stages predict a
 * correction of it, their output convolutions starting at zero ({@link OutputConv}) so that the
 * untrained model returns exactly p:
 * <pre>
 *   x1  = p + coarse(concat[p, 1, m])                 x2  = p + refine(concat[x1', 1, m], m)
 * </pre>
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
        if (cfg.temporal()) {
            throw new IllegalArgumentException("config " + cfg.name() + ": the temporal option is not built yet (it needs neighbouring frames)");
        }
        this.config = cfg;
        this.coarse = new CoarseNetwork(store, cfg);
        this.refine = new RefinementNetwork(store, cfg);
    }

    public Output forward(Tensor x, Tensor m) {
        checkInputs(x, m);
        Tensor keep = Ops.addScalar(Ops.neg(m), 1.0);                     // 1 - m
        Tensor known = Ops.mul(x, keep);
        Tensor ones = Tensor.full(x.device(), x.dtype(), 1.0, m.shape());
        Tensor prefill = config.prefill() ? diffusionFill(x, m) : null;
        Tensor coarseIn = Ops.concat(1, prefill == null ? known : prefill, ones, m);
        Tensor x1 = plus(coarse.forward(coarseIn), prefill);
        Tape.discard(coarseIn);                                             // inference: free once consumed
        Tensor x1Composite = Ops.add(Ops.mul(x1, m), known);
        Tensor refineIn = Ops.concat(1, x1Composite, ones, m);
        Tensor x2 = plus(refine.forward(refineIn, m), prefill);
        Tape.discard(refineIn);
        Tensor x2Composite = Ops.add(Ops.mul(x2, m), known);
        return new Output(x1, x2, x2Composite, prefill);
    }

    /** {@code correction + prefill}, or the correction itself when there is no prefill. */
    private static Tensor plus(Tensor correction, Tensor prefill) {
        if (prefill == null) return correction;
        Tensor sum = Ops.add(correction, prefill);
        Tape.discard(correction);
        return sum;
    }

    /** Each frame's hole filled by {@link HarmonicFill} from the pixels around it (the hole is where m >= 0.5). */
    static Tensor diffusionFill(Tensor x, Tensor m) {
        int n = x.dim(0), h = x.dim(2), w = x.dim(3), plane = h * w;
        float[] xs = x.toFloatArray(), ms = m.toFloatArray();
        double[] out = new double[xs.length];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            float[] image = java.util.Arrays.copyOfRange(xs, i * plane, (i + 1) * plane);
            byte[] hole = new byte[plane];
            for (int p = 0; p < plane; p++) hole[p] = (byte) (ms[i * plane + p] >= 0.5f ? 1 : 0);
            float[] filled = HarmonicFill.fill(image, hole, w, h, PREFILL_TOLERANCE);
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
