package sonogate.nn;

import sonogate.tensor.Device;

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

    public ModelConfig config() { return config; }
    public Generator generator() { return generator; }
    public Discriminator discriminator() { return discriminator; }
    public ParameterStore parameters() { return store; }

    @Override
    public void close() {
        store.close();
    }
}
