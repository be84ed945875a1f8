package sonogate.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tensor;

/**
 * All of a model's parameters in one slab, with named views into it (llm.c's layout): the
 * optimiser is one pass over the slab and its gradient slab, and a checkpoint is one write.
 * Non-trainable state (spectral-norm vectors) lives in a second slab of buffers.
 *
 * <p>Layers declare their tensors while the model is built ({@link #parameter}, {@link #buffer}),
 * then {@link #allocate} creates the slabs, initialises every entry and hands out the views.
 */
public final class ParameterStore implements AutoCloseable {

    /** How an entry is initialised. */
    public interface Init {
        void fill(double[] values, SplittableRandom rng);
    }

    /** A declared tensor; {@link #tensor()} is valid after {@link ParameterStore#allocate}. */
    public static final class Entry {
        private final String name;
        private final int[] shape;
        private final Init init;
        private final long offset;
        private Tensor tensor;

        private Entry(String name, int[] shape, Init init, long offset) {
            this.name = name;
            this.shape = shape.clone();
            this.init = init;
            this.offset = offset;
        }

        public String name() { return name; }
        public int[] shape() { return shape.clone(); }
        /** Position of the first element in its slab (parameters or buffers). */
        public long offset() { return offset; }
        public long numel() { long n = 1; for (int d : shape) n *= d; return n; }

        public Tensor tensor() {
            if (tensor == null) throw new IllegalStateException("parameter " + name + " used before the store was allocated");
            return tensor;
        }
    }

    private final Map<String, Entry> parameters = new LinkedHashMap<>();
    private final Map<String, Entry> buffers = new LinkedHashMap<>();
    /**
     * Every parameter starts at a multiple of this many floats (256 bytes) in the slab: cuDNN keeps
     * its fast (tensor-core) convolution algorithms for aligned filters, and on an H100 a 96->192
     * 3x3 layer whose weights sat at an odd offset ran 4x slower. The gaps hold zeros, whose
     * gradients are zero, so the optimiser leaves them at zero.
     */
    public static final int ALIGNMENT = 64;

    private long parameterCount, slabLength, bufferCount;
    private Device device;
    private Tensor slab, gradSlab, bufferSlab;

    public Entry parameter(String name, Init init, int... shape) {
        Entry e = new Entry(name, shape, init, aligned(slabLength));
        declare(parameters, e);
        parameterCount += e.numel();
        slabLength = e.offset + e.numel();
        return e;
    }

    public Entry buffer(String name, Init init, int... shape) {
        Entry e = new Entry(name, shape, init, bufferCount);
        declare(buffers, e);
        bufferCount += e.numel();
        return e;
    }

    private void declare(Map<String, Entry> into, Entry e) {
        if (slab != null) throw new IllegalStateException("store already allocated; cannot declare " + e.name);
        if (parameters.containsKey(e.name) || buffers.containsKey(e.name)) throw new IllegalArgumentException("duplicate parameter name " + e.name);
        into.put(e.name, e);
    }

    /** Creates the slabs, initialises every entry in declaration order from {@code seed}, and binds the views. */
    public ParameterStore allocate(Device device, long seed) {
        if (slab != null) throw new IllegalStateException("store already allocated");
        SplittableRandom rng = new SplittableRandom(seed);
        this.device = device;
        slab = Tensor.zeros(device, DType.F32, Math.toIntExact(aligned(slabLength)));
        bufferSlab = Tensor.zeros(device, DType.F32, (int) Math.max(1, bufferCount));
        bind(parameters, slab, rng, true);
        bind(buffers, bufferSlab, rng, false);
        return this;
    }

    private void bind(Map<String, Entry> entries, Tensor into, SplittableRandom rng, boolean trainable) {
        for (Entry e : entries.values()) {
            e.tensor = into.view(e.offset, e.shape, sonogate.tensor.Shapes.contiguousStrides(e.shape));
            double[] values = new double[(int) e.numel()];
            e.init.fill(values, rng);
            try (Tensor init = Tensor.of(DType.F32, values, e.shape)) {
                e.tensor.backend().copy(init, e.tensor, false);
            }
            if (trainable) {
                e.tensor.requiresGrad(true).named(e.name);
            } else {
                e.tensor.named(e.name);
            }
        }
    }

    private static long aligned(long position) {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** How many parameters there are (the gaps of the alignment not counted). */
    public long parameterCount() { return parameterCount; }

    /** The slab's length: every parameter and the alignment gaps, a multiple of {@link #ALIGNMENT}. */
    public long slabLength() { return aligned(slabLength); }

    /** Where in the slab the first parameter named {@code prefix}... starts ({@link #slabLength()} if none does). */
    public long firstOffset(String prefix) {
        for (Entry e : parameters.values()) if (e.name.startsWith(prefix)) return e.offset;
        return slabLength();
    }
    public Map<String, Entry> parameters() { return Collections.unmodifiableMap(parameters); }
    public Map<String, Entry> buffers() { return Collections.unmodifiableMap(buffers); }
    /** Every trainable value, in declaration order. */
    public Tensor slab() { return slab; }
    /**
     * The gradients of {@link #slab()}, element for element; from this call on every parameter's
     * gradient buffer is its view into it. Created on first use (what an optimiser asks for), so a model
     * used only for inference holds no gradient memory; gradients a backward pass left in per-tensor
     * buffers before then are carried over.
     */
    public Tensor gradSlab() {
        if (gradSlab == null) {
            if (slab == null) throw new IllegalStateException("gradient slab requested before the store was allocated");
            // the store's, not a scope's that happens to be open
            gradSlab = Scope.unowned(Tensor.zeros(device, DType.F32, Math.toIntExact(slabLength())));
            for (Entry e : parameters.values()) {
                Tensor view = Scope.unowned(gradSlab.view(e.offset, e.shape, sonogate.tensor.Shapes.contiguousStrides(e.shape)));
                Tensor earlier = e.tensor.grad();
                if (earlier != null) view.backend().copy(earlier, view, false);
                e.tensor.useGradBuffer(view);
            }
        }
        return gradSlab;
    }
    public Tensor bufferSlab() { return bufferSlab; }

    /** Parameter count of the entries whose name starts with {@code prefix}. */
    public long count(String prefix) {
        long n = 0;
        for (Entry e : parameters.values()) if (e.name.startsWith(prefix)) n += e.numel();
        return n;
    }

    /** A contiguous view of {@code length} elements of {@code slab} starting at {@code offset}. */
    public static Tensor range(Tensor slab, long offset, long length) {
        return slab.view(slab.offset() + offset, new int[] {Math.toIntExact(length)}, new long[] {1});
    }

    /**
     * Turns gradient tracking of the parameters whose name starts with {@code prefix} on or off. Off,
     * they are constants to autodiff: ops on them record only what their other inputs need (a GAN's
     * generator step needs the gradient through the discriminator, not of its weights).
     */
    public void requiresGrad(String prefix, boolean on) {
        for (Entry e : parameters.values()) if (e.name.startsWith(prefix)) e.tensor().requiresGrad(on);
    }

    public void zeroGrad() {
        Tensor g = gradSlab();
        g.backend().fill(g, 0);
    }

    public List<String> names() {
        return new ArrayList<>(parameters.keySet());
    }

    @Override
    public void close() {
        for (Entry e : parameters.values()) if (e.tensor != null) e.tensor.close();
        for (Entry e : buffers.values()) if (e.tensor != null) e.tensor.close();
        if (slab != null) {
            slab.close();
            if (gradSlab != null) gradSlab.close();
            bufferSlab.close();
        }
    }

    /** PyTorch's default for convolutions: weights and biases uniform in +-1/sqrt(fan_in). */
    public static Init uniformFanIn(int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return (v, rng) -> { for (int i = 0; i < v.length; i++) v[i] = bound * (2 * rng.nextDouble() - 1); };
    }

    /**
     * Weights uniform with standard deviation {@code gain / sqrt(fanIn)} (bound {@code sqrt(3)} times
     * that): He-style scaling with the gain that suits the layer's non-linearity.
     */
    public static Init uniformScaled(int fanIn, double gain) {
        double bound = Math.sqrt(3.0) * gain / Math.sqrt(fanIn);
        return (v, rng) -> { for (int i = 0; i < v.length; i++) v[i] = bound * (2 * rng.nextDouble() - 1); };
    }

    /** All zeros (biases of the generator's layers). */
    public static Init zeros() {
        return (v, rng) -> java.util.Arrays.fill(v, 0.0);
    }

    /** A random unit vector (spectral-norm power-iteration state). */
    public static Init unitVector() {
        return (v, rng) -> {
            double norm = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextGaussian();
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < v.length; i++) v[i] /= norm;
        };
    }
}
