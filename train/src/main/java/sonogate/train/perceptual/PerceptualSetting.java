package sonogate.train.perceptual;

import java.nio.file.Path;
import sonogate.nn.VggFeatures;
import sonogate.tensor.DType;

/**
 * Which perceptual term a training run uses ({@code --perceptual}) and its weight
 * ({@code --perceptual-weight}):
 * <ul>
 *   <li>{@code none}: no perceptual term;</li>
 *   <li>{@code features} (the default): sonogate's fixed random feature network
 *       ({@link VggFeatures.Layout#FEATURES}, weights drawn from {@link #FEATURES_SEED}); needs no
 *       file and is the same on every machine;</li>
 *   <li>{@code vgg16:PATH}: VGG16 up to conv4_3 with ImageNet weights from a Keras-format .h5 the
 *       user supplies ({@link KerasVggWeights}).</li>
 * </ul>
 */
public record PerceptualSetting(Kind kind, Path vggFile, double weight) {

    public enum Kind { NONE, FEATURES, VGG16 }

    /** The default weight of the term (see the README's "Perceptual loss" for how it was chosen). */
    public static final double DEFAULT_WEIGHT = 10;
    /** The seed of the default network's random weights: a constant, so runs and resumes agree. */
    public static final long FEATURES_SEED = 0x5E4F_EA70L;
    public static final PerceptualSetting DEFAULT = new PerceptualSetting(Kind.FEATURES, null, DEFAULT_WEIGHT);
    public static final PerceptualSetting NONE = new PerceptualSetting(Kind.NONE, null, 0);

    public PerceptualSetting {
        if (!(weight >= 0 && Double.isFinite(weight))) throw new IllegalArgumentException("perceptual weight must be finite and >= 0, not " + weight);
        if ((kind == Kind.VGG16) != (vggFile != null)) throw new IllegalArgumentException("a VGG16 weights file goes with vgg16 and only with it");
    }

    /** Parses {@code none}, {@code features} or {@code vgg16:PATH}; anything else is an IllegalArgumentException. */
    public static PerceptualSetting parse(String spec, double weight) {
        if (spec.equals("none")) return new PerceptualSetting(Kind.NONE, null, weight);
        if (spec.equals("features")) return new PerceptualSetting(Kind.FEATURES, null, weight);
        if (spec.startsWith("vgg16:") && spec.length() > "vgg16:".length()) {
            return new PerceptualSetting(Kind.VGG16, Path.of(spec.substring("vgg16:".length())), weight);
        }
        throw new IllegalArgumentException("--perceptual must be none, features or vgg16:PATH, not '" + spec + "'");
    }

    /** The spec string {@link #parse} reads back ({@code vgg16:} with the file's absolute path). */
    public String spec() {
        return switch (kind) {
            case NONE -> "none";
            case FEATURES -> "features";
            case VGG16 -> "vgg16:" + vggFile.toAbsolutePath();
        };
    }

    /** Whether the term is computed at all. */
    public boolean enabled() {
        return kind != Kind.NONE && weight > 0;
    }

    /** The loss (owning its network), or null when {@link #enabled()} is false. Loading VGG16 may throw {@link FeatureWeightsException}. */
    public PerceptualLoss create() {
        if (!enabled()) return null;
        VggFeatures net = switch (kind) {
            case FEATURES -> VggFeatures.random(VggFeatures.Layout.FEATURES, DType.F32, FEATURES_SEED);
            case VGG16 -> KerasVggWeights.loadVgg16(vggFile);
            case NONE -> throw new AssertionError();
        };
        return new PerceptualLoss(net);
    }
}
