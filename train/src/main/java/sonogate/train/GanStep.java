package sonogate.train;

import sonogate.nn.Discriminator;
import sonogate.nn.Generator;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;
import sonogate.train.perceptual.PerceptualLoss;

/**
 * One GAN training step of MODEL.md: one discriminator step, then one generator step, with
 * exactly one spectral-norm power iteration. For frames y and hole masks m ([N, 1, H, W]):
 * <ol>
 *   <li>generator forward: x1, x2, x2' = G(y, m);</li>
 *   <li>D step: scores = D([y; detach(x2')], [m; m], training) in ONE call (one power
 *       iteration); d_real, d_fake = its first and last N rows;
 *       d_loss = 0.5 mean(relu(1 - d_real)) + 0.5 mean(relu(1 + d_fake)); zero D's gradients,
 *       backward, Adam on D;</li>
 *   <li>G step: g_scores = D(x2', m) with the updated D weights and the stored u, v (no
 *       iteration); g_loss = w1 L1(x1, y) + w2 L1(x2, y) - w_adv mean(g_scores)
 *       [+ w_p perceptual(x2', y) when a {@link PerceptualLoss} is given]; zero G's
 *       gradients, backward, Adam on G. D's parameters are constants in this pass
 *       ({@link Translator#discriminatorRequiresGrad}): the backward goes through D to x2' but
 *       computes no D weight gradients (PyTorch computes them and leaves them unused).</li>
 * </ol>
 * Every tensor of the step lives in one {@link Scope}; parameters, gradients and optimiser state
 * live in the model's slabs and the optimisers. The PyTorch reference of exactly this step is
 * {@code scripts/reference/translator_reference.py} ({@code gan_step}); PyTorchParityTest
 * compares the two.
 */
public final class GanStep implements AutoCloseable {

    /** Weights of the generator's loss terms (MODEL.md: pixel 1 and 1, adversarial 0.1). */
    public record LossWeights(double pixelCoarse, double pixelRefined, double adversarial) {
        public static final LossWeights DEFAULT = new LossWeights(1.0, 1.0, 0.1);
    }

    /** The values of one step's loss terms (the losses before the Adam updates); {@code perceptual} 0 when the term is off. */
    public record Losses(double dLoss, double l1Coarse, double l1Refined, double gAdv, double gLoss, double perceptual) {
        public boolean allFinite() {
            return Double.isFinite(dLoss) && Double.isFinite(l1Coarse) && Double.isFinite(l1Refined)
                    && Double.isFinite(gAdv) && Double.isFinite(gLoss) && Double.isFinite(perceptual);
        }
    }

    /**
     * A look inside a step, for tests and diagnostics. The tensors handed over are valid only
     * during the call (they belong to the step's scope).
     */
    public interface Probe {
        Probe NONE = new Probe() {};

        /** After the generator forward and the D step's discriminator forward. */
        default void forward(Generator.Output out, Tensor dReal, Tensor dFake) {}

        /** After the D backward, before D's Adam step: D's gradients hold d(d_loss)/dD. */
        default void discriminatorBackward() {}

        /** After the G backward, before G's Adam step: G's gradients hold d(g_loss)/dG. */
        default void generatorBackward(Tensor gScores) {}

        /**
         * Right before D's Adam step, with the D loss. Throwing here aborts the step with nothing
         * applied (the trainer's non-finite guard does this).
         */
        default void beforeDiscriminatorUpdate(Tensor dLoss) {}

        /**
         * Right before G's Adam step, with the G loss. Throwing here aborts the step; D's update of
         * this step has already been applied (the trainer rolls back to its last good state).
         */
        default void beforeGeneratorUpdate(Tensor gLoss) {}
    }

    private final Translator model;
    private final LossWeights weights;
    private final Adam generatorOptimizer, discriminatorOptimizer;
    private final PerceptualLoss perceptual;
    private final double perceptualWeight;

    /** The step owns the two optimisers (over the model's generator and discriminator slab views) and closes them. */
    public GanStep(Translator model, LossWeights weights, Adam generatorOptimizer, Adam discriminatorOptimizer) {
        this(model, weights, generatorOptimizer, discriminatorOptimizer, null, 0);
    }

    /**
     * With a perceptual term: the G loss adds {@code perceptualWeight * perceptual.loss(x2', y)}
     * ({@code perceptual} may be null: no term). The step also owns and closes {@code perceptual}.
     */
    public GanStep(Translator model, LossWeights weights, Adam generatorOptimizer, Adam discriminatorOptimizer,
                   PerceptualLoss perceptual, double perceptualWeight) {
        this.model = model;
        this.weights = weights;
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.perceptual = perceptual;
        this.perceptualWeight = perceptualWeight;
    }

    /** MODEL.md's settings: the default loss weights, Adam lr 1e-4, betas (0.5, 0.999) for G and D. */
    public static GanStep withSpecDefaults(Translator model) {
        return withSpecDefaults(model, LossWeights.DEFAULT);
    }

    public static GanStep withSpecDefaults(Translator model, LossWeights weights) {
        return new GanStep(model, weights,
                Adam.withSpecDefaults(model.generatorParameters(), model.generatorGradients()),
                Adam.withSpecDefaults(model.discriminatorParameters(), model.discriminatorGradients()));
    }

    public Losses step(Tensor frames, Tensor masks) {
        return step(frames, masks, Probe.NONE);
    }

    public Losses step(Tensor frames, Tensor masks, Probe probe) {
        return step(frames, masks, null, probe);
    }

    /**
     * A step of a temporal model: the generator also sees each frame's {@code neighbours} (null for
     * a model without the option). The discriminator and the losses see the frame alone, as always.
     */
    public Losses step(Tensor frames, Tensor masks, Neighbours neighbours, Probe probe) {
        Generator generator = model.generator();
        Discriminator discriminator = model.discriminator();
        int n = frames.dim(0);
        try (Scope step = Scope.open()) {
            // 1. generator forward; recorded, and kept on the tape for the G step's backward
            Generator.Output out = generator.forward(frames, masks, neighbours);

            // 2. D step: real and fake through ONE call, so exactly one power iteration per step
            Tensor scores = discriminator.forward(Ops.concat(0, frames, Ops.detach(out.composite())), Ops.concat(0, masks, masks), true);
            Tensor dReal = Ops.narrow(scores, 0, 0, n);
            Tensor dFake = Ops.narrow(scores, 0, n, n);
            Tensor dLoss = GanLosses.discriminatorHinge(dReal, dFake);
            probe.forward(out, dReal, dFake);
            zero(model.discriminatorGradients());
            Tape.backward(dLoss, true);                      // retain: the generator's forward is still needed
            probe.discriminatorBackward();
            probe.beforeDiscriminatorUpdate(dLoss);
            discriminatorOptimizer.step();

            // 3. G step against the updated discriminator (stored u, v: no power iteration), whose
            // parameters are constants until this backward is done
            Tensor gScores, gAdv, l1Coarse, l1Refined, gLoss, perceptualLoss;
            model.discriminatorRequiresGrad(false);
            try {
                gScores = discriminator.forward(out.composite(), masks, false);
                gAdv = GanLosses.generatorAdversarial(gScores);
                l1Coarse = Ops.l1Loss(out.coarse(), frames);
                l1Refined = Ops.l1Loss(out.refined(), frames);
                gLoss = Ops.add(Ops.add(Ops.mulScalar(l1Coarse, weights.pixelCoarse()), Ops.mulScalar(l1Refined, weights.pixelRefined())),
                        Ops.mulScalar(gAdv, weights.adversarial()));
                perceptualLoss = perceptual == null ? null : perceptual.loss(out.composite(), frames);
                if (perceptualLoss != null) gLoss = Ops.add(gLoss, Ops.mulScalar(perceptualLoss, perceptualWeight));
                zero(model.generatorGradients());
                Tape.backward(gLoss);
            } finally {
                model.discriminatorRequiresGrad(true);
            }
            probe.generatorBackward(gScores);
            probe.beforeGeneratorUpdate(gLoss);
            generatorOptimizer.step();

            return new Losses(dLoss.item(), l1Coarse.item(), l1Refined.item(), gAdv.item(), gLoss.item(),
                    perceptualLoss == null ? 0 : perceptualLoss.item());
        }
    }

    public Adam generatorOptimizer() { return generatorOptimizer; }
    public Adam discriminatorOptimizer() { return discriminatorOptimizer; }
    public LossWeights weights() { return weights; }
    /** The perceptual term, or null when there is none. */
    public PerceptualLoss perceptual() { return perceptual; }

    private static void zero(Tensor gradients) {
        gradients.backend().fill(gradients, 0);
    }

    @Override
    public void close() {
        generatorOptimizer.close();
        discriminatorOptimizer.close();
        if (perceptual != null) perceptual.close();
    }
}
