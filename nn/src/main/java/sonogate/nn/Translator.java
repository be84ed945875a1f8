package sonogate.nn;

import sonogate.tensor.Device;
import sonogate.tensor.Tensor;

/**
 * The whole model of one configuration: generator and discriminator over one parameter store
 * (names {@code coarse.*}, {@code refine.*}, {@code disc.*}). {@link #forInference} builds the
 * generator alone.
 */
public final class Translator implements AutoCloseable {
    private final ModelConfig config;
    private final ParameterStore store = new ParameterStore();
    private final Generator generator;
    private final Discriminator discriminator;   // null for an inference-only model

    public Translator(ModelConfig config, Device device, long seed) {
        this(config, device, seed, true);
    }

    private Translator(ModelConfig config, Device device, long seed, boolean withDiscriminator) {
        this.config = config;
        this.generator = new Generator(store, config);
        this.discriminator = withDiscriminator ? new Discriminator(store, config) : null;
        store.allocate(device, seed);
    }

    /**
     * The generator alone, for inference: no discriminator weights (a quarter to a half of the
     * model's), and, as long as nothing asks for gradients, no gradient memory. The generator's
     * initial weights equal those of {@code new Translator(config, device, seed)}: it is declared first.
     */
    public static Translator forInference(ModelConfig config, Device device, long seed) {
        return new Translator(config, device, seed, false);
    }

    /** False for a model built by {@link #forInference}. */
    public boolean hasDiscriminator() {
        return discriminator != null;
    }

    /** Number of generator parameters: they come first in the slab (the generator is declared first). */
    /** How many parameters the generator has. */
    public long generatorParameterCount() {
        return store.count("coarse.") + store.count("refine.");
    }

    /**
     * The generator's part of the slab, which comes first: its parameters and their alignment gaps,
     * up to where the discriminator's start (the whole slab for an inference-only model).
     */
    public long generatorSlabLength() {
        return store.firstOffset("disc.");
    }

    /** The generator's parameters as one contiguous view of the slab (what its optimiser updates). */
    public Tensor generatorParameters() {
        return ParameterStore.range(store.slab(), 0, generatorSlabLength());
    }

    public Tensor generatorGradients() {
        return ParameterStore.range(store.gradSlab(), 0, generatorSlabLength());
    }

    /** The discriminator's parameters: the rest of the slab. */
    public Tensor discriminatorParameters() {
        return ParameterStore.range(store.slab(), generatorSlabLength(), discriminatorSlabLength());
    }

    public Tensor discriminatorGradients() {
        return ParameterStore.range(store.gradSlab(), generatorSlabLength(), discriminatorSlabLength());
    }

    private long discriminatorSlabLength() {
        discriminator();   // fails clearly for an inference-only model
        return store.slabLength() - generatorSlabLength();
    }

    /**
     * Whether the discriminator's parameters take part in autodiff (default true). The generator step
     * turns it off around its backward: that step needs the gradient through D to its input, and
     * computing D's own weight gradients there (to discard them) costs a third of D's backward.
     */
    public void discriminatorRequiresGrad(boolean on) {
        discriminator();
        store.requiresGrad("disc.", on);
    }

    public ModelConfig config() { return config; }
    /** Where the parameters live (inputs must be on the same device). */
    public Device device() { return store.slab().device(); }
    public Generator generator() { return generator; }
    public Discriminator discriminator() {
        if (discriminator == null) throw new IllegalStateException("config " + config.name() + ": built for inference, without a discriminator");
        return discriminator;
    }
    public ParameterStore parameters() { return store; }

    @Override
    public void close() {
        store.close();
    }
}
