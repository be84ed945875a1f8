package sonogate.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import sonogate.tensor.DType;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * A frozen VGG-style feature network for the perceptual loss (MODEL.md, Losses): blocks of 3x3
 * convolutions ("same" padding, bias) each followed by ReLU, 2x2 max pooling between blocks.
 * {@link #forward} returns the last ReLU output of every block; for {@link Layout#VGG16} those are
 * relu1_2, relu2_2, relu3_3 and relu4_3 (VGG16 up to conv4_3, ImageNet layout). Layer names are
 * Keras's ({@code block1_conv1} ... {@code block4_conv3}).
 *
 * <p>The weights are plain tensors that never require gradients: the network is never updated,
 * and backward through it computes only the input gradient (no weight gradients).
 *
 * <p>Input: grey frames [N, 1, H, W] in [-1, 1], converted by the layout's {@link InputScaling}.
 */
public final class VggFeatures implements AutoCloseable {

    /**
     * How grey frames in [-1, 1] become the network's input.
     * <ul>
     *   <li>{@link #KERAS_CAFFE}: what Keras's VGG16 weights
     *       ({@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}) were trained on, Keras's
     *       "caffe" preprocessing: pixel values 0..255, channels in BGR order, the ImageNet mean
     *       (B 103.939, G 116.779, R 123.68) subtracted, no division by a standard deviation. A
     *       grey frame is replicated to the three channels, so the channel order only decides which
     *       mean goes with which channel. (PyTorch/torchvision's VGG16 instead expects "torch"
     *       preprocessing: RGB in [0, 1], minus mean (0.485, 0.456, 0.406), divided by std
     *       (0.229, 0.224, 0.225); feeding that to Keras's weights would scale every activation by
     *       roughly 1/60 and break the ReLU pattern, so the scaling is tied to the weights' origin.)</li>
     *   <li>{@link #GREY}: the grey frame as it is (one channel in [-1, 1]); for sonogate's own
     *       fixed random network.</li>
     * </ul>
     */
    public enum InputScaling {
        KERAS_CAFFE(3), GREY(1);

        /** Keras "caffe" means in channel order B, G, R (0..255 scale). */
        static final double[] CAFFE_MEAN_BGR = {103.939, 116.779, 123.68};

        private final int channels;

        InputScaling(int channels) {
            this.channels = channels;
        }

        public int channels() { return channels; }

        Tensor apply(Tensor grey) {
            return switch (this) {
                case GREY -> grey;
                case KERAS_CAFFE -> {
                    Tensor[] bgr = new Tensor[3];
                    for (int c = 0; c < 3; c++) bgr[c] = Ops.affine(grey, 127.5, 127.5 - CAFFE_MEAN_BGR[c]);   // [-1, 1] -> 0..255, minus mean
                    yield Ops.concat(1, bgr);
                }
            };
        }
    }

    /** One 3x3 convolution of the stack: its Keras name, block (1-based) and channel counts. */
    public record Conv(String name, int block, int inChannels, int outChannels) {}

    /** A convolution's weights: {@code weight} [out, in, 3, 3] row-major (PyTorch's OIHW), {@code bias} [out]. */
    public record ConvWeights(double[] weight, double[] bias) {}

    /** The network's shape: convolutions per block, block widths, and the input scaling. */
    public static final class Layout {
        /** VGG16 up to conv4_3 (ImageNet): 2, 2, 3, 3 convolutions of 64, 128, 256, 512 channels; Keras "caffe" input. */
        public static final Layout VGG16 = new Layout("vgg16", new int[] {2, 2, 3, 3}, new int[] {64, 128, 256, 512}, InputScaling.KERAS_CAFFE);
        /**
         * sonogate's default perceptual network: VGG16's layout at a quarter of its width (16, 32,
         * 64, 128 channels) on the grey channel, with fixed random weights ({@link #random}); about
         * 1/16 of VGG16's FLOPs (0.14 GFLOP per 64 x 64 frame).
         */
        public static final Layout FEATURES = new Layout("features", new int[] {2, 2, 3, 3}, new int[] {16, 32, 64, 128}, InputScaling.GREY);

        private final String name;
        private final int[] convsPerBlock, widths;
        private final InputScaling input;

        public Layout(String name, int[] convsPerBlock, int[] widths, InputScaling input) {
            if (convsPerBlock.length == 0 || convsPerBlock.length != widths.length) {
                throw new IllegalArgumentException("VGG layout " + name + ": " + convsPerBlock.length + " blocks but " + widths.length + " widths");
            }
            for (int i = 0; i < widths.length; i++) {
                if (convsPerBlock[i] < 1 || widths[i] < 1) throw new IllegalArgumentException("VGG layout " + name + ": empty block " + (i + 1));
            }
            this.name = name;
            this.convsPerBlock = convsPerBlock.clone();
            this.widths = widths.clone();
            this.input = input;
        }

        public String name() { return name; }
        public InputScaling input() { return input; }
        public int blocks() { return widths.length; }

        /** Every convolution in order, named {@code block<b>_conv<i>} as Keras does. */
        public List<Conv> convs() {
            List<Conv> out = new ArrayList<>();
            int cin = input.channels();
            for (int b = 0; b < widths.length; b++) {
                for (int i = 0; i < convsPerBlock[b]; i++) {
                    out.add(new Conv("block" + (b + 1) + "_conv" + (i + 1), b + 1, cin, widths[b]));
                    cin = widths[b];
                }
            }
            return out;
        }

        /** A copy with every width divided by {@code divisor} (at least 1): small same-layout networks for tests. */
        public Layout narrower(int divisor) {
            int[] w = widths.clone();
            for (int i = 0; i < w.length; i++) w[i] = Math.max(1, w[i] / divisor);
            return new Layout(name + "/" + divisor, convsPerBlock, w, input);
        }

        /** Forward FLOPs (2 x multiply-adds of the convolutions) for one h x w frame. */
        public double flops(int h, int w) {
            double total = 0;
            for (Conv c : convs()) {
                int f = 1 << (c.block() - 1);
                total += 2.0 * (h / f) * (w / f) * c.outChannels() * c.inChannels() * 9;
            }
            return total;
        }

        /** Parameter count (weights and biases). */
        public long parameterCount() {
            long n = 0;
            for (Conv c : convs()) n += (long) c.outChannels() * c.inChannels() * 9 + c.outChannels();
            return n;
        }
    }

    private final Layout layout;
    private final List<Conv> convs;
    private final Tensor[] weights, biases;

    /** A network of {@code layout} whose weights {@code source} provides, one convolution at a time, in {@code dtype}. */
    public VggFeatures(Layout layout, DType dtype, Function<Conv, ConvWeights> source) {
        this.layout = layout;
        this.convs = layout.convs();
        this.weights = new Tensor[convs.size()];
        this.biases = new Tensor[convs.size()];
        try {
            for (int i = 0; i < convs.size(); i++) {
                Conv c = convs.get(i);
                ConvWeights cw = source.apply(c);
                int[] ws = {c.outChannels(), c.inChannels(), 3, 3};
                if (cw.weight().length != Shapes.numel(ws) || cw.bias().length != c.outChannels()) {
                    throw new IllegalArgumentException(layout.name() + " " + c.name() + ": " + cw.weight().length + " weights and "
                            + cw.bias().length + " biases, expected " + Shapes.numel(ws) + " and " + c.outChannels());
                }
                weights[i] = Tensor.of(dtype, cw.weight(), ws).named("vgg." + c.name() + ".weight");
                biases[i] = Tensor.of(dtype, cw.bias(), c.outChannels()).named("vgg." + c.name() + ".bias");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Fixed random weights: He (Kaiming) normal, std sqrt(2 / (9 cin)), so activations keep their
     * scale through the ReLU stack; zero biases. The same seed gives the same network everywhere.
     */
    public static VggFeatures random(Layout layout, DType dtype, long seed) {
        return new VggFeatures(layout, dtype, randomWeights(seed));
    }

    /**
     * The weights of {@link #random}, one convolution per call, drawn in call order: applied to a
     * layout's convolutions in order it gives exactly the network {@code random} builds (the
     * benchmark uses it to hand the same weights to the PyTorch reference).
     */
    public static Function<Conv, ConvWeights> randomWeights(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return c -> {
            double std = Math.sqrt(2.0 / (9.0 * c.inChannels()));
            double[] w = new double[c.outChannels() * c.inChannels() * 9];
            for (int i = 0; i < w.length; i++) w[i] = std * gaussian(rng);
            return new ConvWeights(w, new double[c.outChannels()]);
        };
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller (one of the pair): reproducible from the seed alone, unlike Random's cached pair
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public Layout layout() { return layout; }

    /**
     * The last ReLU output of every block for grey frames [N, 1, H, W] in [-1, 1] (H and W at
     * least 2^(blocks - 1)); block b's features are [N, width_b, H / 2^(b-1), W / 2^(b-1)].
     */
    public List<Tensor> forward(Tensor grey) {
        if (grey.rank() != 4 || grey.dim(1) != 1) {
            throw new IllegalArgumentException("VGG features: input " + Shapes.str(grey.shape()) + ", expected grey frames [N, 1, H, W]");
        }
        int min = 1 << (layout.blocks() - 1);
        if (grey.dim(2) < min || grey.dim(3) < min) {
            throw new IllegalArgumentException("VGG features: frames " + grey.dim(2) + "x" + grey.dim(3) + " are smaller than " + min + "x" + min);
        }
        List<Tensor> features = new ArrayList<>();
        Tensor x = layout.input().apply(grey);
        for (int i = 0; i < convs.size(); i++) {
            x = Ops.relu(Ops.conv2d(x, weights[i], biases[i], 1, 1, 1));
            boolean blockEnd = i + 1 == convs.size() || convs.get(i + 1).block() != convs.get(i).block();
            if (blockEnd) {
                features.add(x);
                if (i + 1 < convs.size()) x = Ops.maxPool2x2(x);
            }
        }
        return features;
    }

    @Override
    public void close() {
        for (Tensor t : weights) if (t != null) t.close();
        for (Tensor t : biases) if (t != null) t.close();
    }
}
