package sonogate.train.perceptual;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sonogate.nn.VggFeatures;
import sonogate.tensor.DType;
import sonogate.train.Hdf5Arrays;

/**
 * Reads VGG16 weights from a Keras-format HDF5 file (for example Keras's
 * {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}, which the user supplies: sonogate
 * downloads nothing) into a {@link VggFeatures} network.
 *
 * <p>Accepted layouts, found by layer name ({@code block1_conv1} ... {@code block4_conv3}; later
 * layers such as block5 and a classifier head are ignored):
 * <ul>
 *   <li>{@code model.save_weights(...)} / the Keras applications files: one group per layer at the
 *       root, e.g. {@code /block1_conv1/block1_conv1/kernel:0} (Keras 2) or
 *       {@code /block1_conv1/block1_conv1_W_1:0} (older Keras);</li>
 *   <li>{@code model.save(...)} (whole model, Keras 2): the same groups under {@code /model_weights}.</li>
 * </ul>
 * In each layer group the rank-4 dataset is the kernel, TensorFlow's HWIO [3, 3, in, out]
 * (converted here to OIHW), and the rank-1 dataset the bias [out]. Channels-first (Theano-ordered,
 * flipped) kernels [out, in, 3, 3] are refused rather than guessed at. Keras 3's
 * {@code .weights.h5} (layers/conv2d/vars/0) and {@code .keras} zip files are not read.
 */
public final class KerasVggWeights {
    private KerasVggWeights() {}

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** VGG16 up to conv4_3 from {@code file}, float32, with Keras's "caffe" input scaling. */
    public static VggFeatures loadVgg16(Path file) {
        return load(file, VggFeatures.Layout.VGG16, DType.F32);
    }

    /**
     * The network of {@code layout} (its layer names and shapes) from {@code file}; every problem
     * is a {@link FeatureWeightsException} with a one-line message naming the file.
     */
    public static VggFeatures load(Path file, VggFeatures.Layout layout, DType dtype) {
        Map<String, VggFeatures.ConvWeights> weights = read(file, layout);
        return new VggFeatures(layout, dtype, c -> weights.get(c.name()));
    }

    private static Map<String, VggFeatures.ConvWeights> read(Path file, VggFeatures.Layout layout) {
        precheck(file);
        try (HdfFile h5 = new HdfFile(file)) {
            Group root = h5;
            if (h5.getChildren().get("model_weights") instanceof Group g) root = g;
            Map<String, VggFeatures.ConvWeights> out = new LinkedHashMap<>();
            for (VggFeatures.Conv c : layout.convs()) out.put(c.name(), layer(file, root, c));
            return out;
        } catch (FeatureWeightsException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new FeatureWeightsException(file, "corrupt or unreadable HDF5 file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    private static VggFeatures.ConvWeights layer(Path file, Group root, VggFeatures.Conv c) {
        String hint = " (not a Keras VGG16 weights file?)";
        if (!(root.getChildren().get(c.name()) instanceof Group g)) {
            throw new FeatureWeightsException(file, "no layer " + c.name() + hint);
        }
        List<Dataset> datasets = new ArrayList<>();
        collect(g, datasets);
        Dataset kernel = null, bias = null;
        for (Dataset d : datasets) {
            int rank = d.getDimensions().length;
            if (rank == 4 && kernel == null) kernel = d;
            else if (rank == 1 && bias == null) bias = d;
            else throw new FeatureWeightsException(file, "layer " + c.name() + " holds an unexpected dataset " + d.getPath()
                    + " of shape " + Arrays.toString(d.getDimensions()) + hint);
        }
        if (kernel == null || bias == null) {
            throw new FeatureWeightsException(file, "layer " + c.name() + " has no " + (kernel == null ? "kernel (rank-4 dataset)" : "bias (rank-1 dataset)") + hint);
        }
        int cin = c.inChannels(), cout = c.outChannels();
        int[] ks = kernel.getDimensions();
        if (Arrays.equals(ks, new int[] {cout, cin, 3, 3}) && !Arrays.equals(ks, new int[] {3, 3, cin, cout})) {
            throw new FeatureWeightsException(file, "layer " + c.name() + " kernel " + Arrays.toString(ks)
                    + " is channels-first (Theano ordering); use the TensorFlow-ordered (tf_dim_ordering) file");
        }
        if (!Arrays.equals(ks, new int[] {3, 3, cin, cout})) {
            throw new FeatureWeightsException(file, "layer " + c.name() + " kernel " + kernel.getPath() + " has shape " + Arrays.toString(ks)
                    + ", VGG16 needs [3, 3, " + cin + ", " + cout + "]" + hint);
        }
        if (!Arrays.equals(bias.getDimensions(), new int[] {cout})) {
            throw new FeatureWeightsException(file, "layer " + c.name() + " bias " + bias.getPath() + " has shape "
                    + Arrays.toString(bias.getDimensions()) + ", VGG16 needs [" + cout + "]" + hint);
        }
        float[] hwio = Hdf5Arrays.read(kernel.getHdfFile(), kernel.getPath()).data();
        float[] b = Hdf5Arrays.read(bias.getHdfFile(), bias.getPath()).data();
        double[] oihw = new double[hwio.length];
        for (int kh = 0; kh < 3; kh++)
            for (int kw = 0; kw < 3; kw++)
                for (int i = 0; i < cin; i++)
                    for (int o = 0; o < cout; o++)
                        oihw[((o * cin + i) * 3 + kh) * 3 + kw] = hwio[((kh * 3 + kw) * cin + i) * cout + o];
        double[] bd = new double[b.length];
        for (int i = 0; i < b.length; i++) bd[i] = b[i];
        for (double v : oihw) if (!Double.isFinite(v)) throw new FeatureWeightsException(file, "layer " + c.name() + " kernel holds non-finite values");
        for (double v : bd) if (!Double.isFinite(v)) throw new FeatureWeightsException(file, "layer " + c.name() + " bias holds non-finite values");
        return new VggFeatures.ConvWeights(oihw, bd);
    }

    /** Every dataset below {@code g}, in name order (Keras nests them one or two levels deep). */
    private static void collect(Group g, List<Dataset> out) {
        for (Node n : new java.util.TreeMap<>(g.getChildren()).values()) {
            if (n instanceof Group sub) collect(sub, out);
            else if (n instanceof Dataset d) out.add(d);
        }
    }

    private static void precheck(Path file) {
        if (!Files.exists(file)) throw new FeatureWeightsException(file, "no such file");
        if (!Files.isRegularFile(file)) throw new FeatureWeightsException(file, "not a regular file");
        byte[] head = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, 8);
        } catch (IOException e) {
            throw new FeatureWeightsException(file, "cannot read: " + e.getMessage(), e);
        }
        if (got < 8 || !Arrays.equals(head, HDF5_SIGNATURE)) {
            throw new FeatureWeightsException(file, "not an HDF5 file (Keras weights files are HDF5 .h5)");
        }
    }
}
