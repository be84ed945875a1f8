package sonogate.train;

import java.util.SplittableRandom;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Tensor;

/** A model with both optimisers, as a training run holds them; perturbed with fresh random values. */
final class CheckpointFixture implements AutoCloseable {
    final Translator model;
    final Adam gen, disc;
    private final Tensor genParams, genGrads, discParams, discGrads;

    CheckpointFixture(ModelConfig config, long seed) {
        model = new Translator(config, Device.CPU, seed);
        genParams = model.generatorParameters();
        genGrads = model.generatorGradients();
        discParams = model.discriminatorParameters();
        discGrads = model.discriminatorGradients();
        gen = Adam.withSpecDefaults(genParams, genGrads);
        disc = Adam.withSpecDefaults(discParams, discGrads);
    }

    /** Random parameters and buffers, then a few Adam steps on random gradients (different counts per optimiser). */
    CheckpointFixture train(SplittableRandom rng, int genSteps, int discSteps) {
        Checkpoint.upload(onlyParameters(gaussian(rng, model.parameters().slab().numel(), 0.1)), model.parameters().slab());
        Checkpoint.upload(gaussian(rng, model.parameters().bufferSlab().numel(), 1), model.parameters().bufferSlab());
        for (int i = 0; i < Math.max(genSteps, discSteps); i++) {
            Checkpoint.upload(onlyParameters(gaussian(rng, model.parameters().gradSlab().numel(), 1)), model.parameters().gradSlab());
            if (i < genSteps) gen.step();
            if (i < discSteps) disc.step();
        }
        return this;
    }

    /** Zeros the slab's alignment gaps, which hold no parameter (a checkpoint stores parameters only). */
    private float[] onlyParameters(float[] slab) {
        boolean[] used = new boolean[slab.length];
        for (var e : model.parameters().parameters().values()) java.util.Arrays.fill(used, (int) e.offset(), (int) (e.offset() + e.numel()), true);
        for (int i = 0; i < slab.length; i++) if (!used[i]) slab[i] = 0;
        return slab;
    }

    static float[] gaussian(SplittableRandom rng, long n, double scale) {
        float[] f = new float[Math.toIntExact(n)];
        for (int i = 0; i < f.length; i++) f[i] = (float) (scale * rng.nextGaussian());
        return f;
    }

    float[] params() { return Checkpoint.download(model.parameters().slab()); }
    float[] buffers() { return Checkpoint.download(model.parameters().bufferSlab()); }
    float[][] moments() {
        return new float[][] {Checkpoint.download(gen.firstMoment()), Checkpoint.download(gen.secondMoment()),
            Checkpoint.download(disc.firstMoment()), Checkpoint.download(disc.secondMoment())};
    }

    @Override
    public void close() {
        gen.close();
        disc.close();
        genParams.close();
        genGrads.close();
        discParams.close();
        discGrads.close();
        model.close();
    }
}
