package sonogate.nn;

import sonogate.tensor.Device;
import sonogate.tensor.Tensor;

/**
 * The whole model of one configuration: generator and discriminator over one parameter store
 * (names {@code coarse.*}, {@code refine.*}, {@code disc.*}).
 */
public final class Translator implements AutoCloseable {
    private final ModelConfig config;
    private final ParameterStore store = new ParameterStore();
    private final Generator generator;
    private final Discriminator discriminator;

    public Translator(ModelConfig config, Device device, long seed) {
        this.config = config;
        this.generator = new Generator(store, config);
        this.discriminator = new Discriminator(store, config);
        store.allocate(device, seed);
    }

    /** Number of generator parameters: they come first in the slab (the generator is declared first). */
    public long generatorParameterCount() {
        return store.count("coarse.") + store.count("refine.");
    }

    /** The generator's parameters as one contiguous view of the slab (what its optimiser updates). */
    public Tensor generatorParameters() {
        return ParameterStore.range(store.slab(), 0, generatorParameterCount());
    }

    public Tensor generatorGradients() {
        return ParameterStore.range(store.gradSlab(), 0, generatorParameterCount());
    }

    /** The discriminator's parameters: the rest of the slab. */
    public Tensor discriminatorParameters() {
        return ParameterStore.range(store.slab(), generatorParameterCount(), store.parameterCount() - generatorParameterCount());
    }

    public Tensor discriminatorGradients() {
        return ParameterStore.range(store.gradSlab(), generatorParameterCount(), store.parameterCount() - generatorParameterCount());
    }

    /**
     * Whether the discriminator's parameters take part in autodiff (default true). The generator step
     * turns it off around its backward: that step needs the gradient through D to its input, and
     * computing D's own weight gradients there (to discard them) costs a third of D's backward.
     */
    public void discriminatorRequiresGrad(boolean on) {
        store.requiresGrad("disc.", on);
    }

    public ModelConfig config() { return config; }
    public Generator generator() { return generator; }
    public Discriminator discriminator() { return discriminator; }
    public ParameterStore parameters() { return store; }

    @Override
    public void close() {
        store.close();
    }
}
