package sonogate.train.data;

import java.util.Objects;
import sonogate.train.Rng;

/**
 * Training-time augmentation of a clip sample: a small rotation about the frame centre (bilinear
 * for grey frames, nearest for masks; pixels from outside the frame take {@code borderValue},
 * masks 0 there), horizontal and optionally vertical flips, then gain and gamma on the [0, 1]
 * intensity and additive plus multiplicative (speckle-like) Gaussian noise. One {@link Params}
 * draw is applied to every frame of the sample and the same geometric transform to every mask
 * (the CFD masks, the sector), so the clip stays consistent. Noise fields are drawn per frame
 * (with the shared sigmas), as real noise changes from frame to frame. Values stay in [-1, 1]
 * (clamped after the intensity changes). Inputs are not modified.
 *
 * <p>Vertical flips are off by default: depth runs down in every ultrasound image and the
 * near-field/far-field look differs, so an upside-down frame is not a plausible input.
 */
public final class Augmentation {

    /**
     * @param maxRotationDegrees         rotation drawn uniformly in [-max, max]; default 5
     * @param flipHorizontalProbability  default 0.5 (probe orientation marker left or right)
     * @param flipVerticalProbability    default 0 (see class comment)
     * @param gainMin                    intensity gain range, default [0.85, 1.15]
     * @param gainMax                    see gainMin
     * @param gammaMin                   gamma range (log-uniform), default [0.8, 1.25]
     * @param gammaMax                   see gammaMin
     * @param additiveNoiseMax           sigma of additive noise drawn in [0, max] (on [0, 1]); default 0.02
     * @param speckleNoiseMax            sigma of multiplicative noise drawn in [0, max]; default 0.1
     * @param borderValue                grey value for pixels rotated in from outside; default -1 (black,
     *                                   like the background around an imaging sector)
     */
    public record Config(double maxRotationDegrees, double flipHorizontalProbability, double flipVerticalProbability,
            double gainMin, double gainMax, double gammaMin, double gammaMax, double additiveNoiseMax,
            double speckleNoiseMax, float borderValue) {
        public Config {
            if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 45)) throw new IllegalArgumentException("maxRotationDegrees");
            if (!(flipHorizontalProbability >= 0 && flipHorizontalProbability <= 1
                    && flipVerticalProbability >= 0 && flipVerticalProbability <= 1)) {
                throw new IllegalArgumentException("flip probabilities must be in [0, 1]");
            }
            if (!(gainMin > 0 && gainMin <= gainMax)) throw new IllegalArgumentException("gain range");
            if (!(gammaMin > 0 && gammaMin <= gammaMax)) throw new IllegalArgumentException("gamma range");
            if (!(additiveNoiseMax >= 0 && speckleNoiseMax >= 0)) throw new IllegalArgumentException("noise must be >= 0");
            if (!(borderValue >= -1 && borderValue <= 1)) throw new IllegalArgumentException("borderValue outside [-1, 1]");
        }

        public static Config defaults() {
            return new Config(5, 0.5, 0, 0.85, 1.15, 0.8, 1.25, 0.02, 0.1, -1f);
        }

        /** No change at all (identity); a base for tests and for switching augmentation off. */
        public static Config none() {
            return new Config(0, 0, 0, 1, 1, 1, 1, 0, 0, -1f);
        }
    }

    /** One draw of the augmentation, shared by all frames and masks of a sample. */
    public record Params(double angleRadians, boolean flipHorizontal, boolean flipVertical, double gain, double gamma,
            double additiveSigma, double speckleSigma, long noiseSeed) {}

    /** Augmented copies of the frames and masks. */
    public record Result(float[][] frames, float[][] masks) {}

    private final Config config;

    public Augmentation(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Config config() {
        return config;
    }

    /** Draws the parameters of one sample. */
    public Params sample(Rng rng) {
        double angle = Math.toRadians(rng.uniform(-config.maxRotationDegrees(), config.maxRotationDegrees()));
        boolean fh = rng.nextDouble() < config.flipHorizontalProbability();
        boolean fv = rng.nextDouble() < config.flipVerticalProbability();
        double gain = rng.uniform(config.gainMin(), config.gainMax());
        double gamma = Math.exp(rng.uniform(Math.log(config.gammaMin()), Math.log(config.gammaMax())));
        double add = rng.uniform(0, config.additiveNoiseMax());
        double speckle = rng.uniform(0, config.speckleNoiseMax());
        return new Params(angle, fh, fv, gain, gamma, add, speckle, rng.nextLong());
    }

    /** Draws parameters and applies them: {@code apply(sample(rng), ...)}. */
    public Result apply(Rng rng, float[][] frames, float[][] masks, int height, int width) {
        return apply(sample(rng), frames, masks, height, width);
    }

    /**
     * Applies {@code p} to every frame (grey, [-1, 1]) and every mask (0/1) of a sample; either
     * array may be empty. All images are H x W row-major.
     */
    public Result apply(Params p, float[][] frames, float[][] masks, int height, int width) {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(masks, "masks");
        int n = height * width;
        for (float[] f : frames) check(f, n);
        for (float[] m : masks) check(m, n);
        // Inverse map: output pixel -> source coordinate (undo the flips, then the rotation).
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        double c = Math.cos(p.angleRadians()), s = Math.sin(p.angleRadians());
        float[] srcX = new float[n], srcY = new float[n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double ux = p.flipHorizontal() ? width - 1 - x : x;
                double uy = p.flipVertical() ? height - 1 - y : y;
                double dx = ux - cx, dy = uy - cy;
                srcX[y * width + x] = (float) (cx + c * dx + s * dy);
                srcY[y * width + x] = (float) (cy - s * dx + c * dy);
            }
        }
        float[][] outFrames = new float[frames.length][];
        Rng noise = new Rng(p.noiseSeed());
        boolean identityIntensity = p.gain() == 1 && p.gamma() == 1 && p.additiveSigma() == 0 && p.speckleSigma() == 0;
        for (int f = 0; f < frames.length; f++) {
            float[] out = bilinear(frames[f], srcX, srcY, height, width, config.borderValue());
            if (!identityIntensity) {
                for (int i = 0; i < n; i++) {
                    double v = (out[i] + 1) * 0.5;
                    v = p.gain() * Math.pow(Math.max(0, v), p.gamma());
                    if (p.speckleSigma() > 0) v *= 1 + p.speckleSigma() * noise.nextGaussian();
                    if (p.additiveSigma() > 0) v += p.additiveSigma() * noise.nextGaussian();
                    v = Math.max(0, Math.min(1, v));
                    out[i] = (float) (2 * v - 1);
                }
            } else {
                for (int i = 0; i < n; i++) out[i] = Math.max(-1f, Math.min(1f, out[i]));
            }
            outFrames[f] = out;
        }
        float[][] outMasks = new float[masks.length][];
        for (int m = 0; m < masks.length; m++) outMasks[m] = nearest(masks[m], srcX, srcY, height, width);
        return new Result(outFrames, outMasks);
    }

    private static void check(float[] a, int n) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException("image has " + (a == null ? "null" : a.length) + " values, expected " + n);
        }
    }

    private static float[] bilinear(float[] img, float[] sx, float[] sy, int h, int w, float border) {
        float[] out = new float[img.length];
        for (int i = 0; i < out.length; i++) {
            double x = sx[i], y = sy[i];
            int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
            double fx = x - x0, fy = y - y0;
            double v00 = at(img, x0, y0, h, w, border), v10 = at(img, x0 + 1, y0, h, w, border);
            double v01 = at(img, x0, y0 + 1, h, w, border), v11 = at(img, x0 + 1, y0 + 1, h, w, border);
            out[i] = (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
        }
        return out;
    }

    private static float at(float[] img, int x, int y, int h, int w, float border) {
        return x < 0 || y < 0 || x >= w || y >= h ? border : img[y * w + x];
    }

    private static float[] nearest(float[] mask, float[] sx, float[] sy, int h, int w) {
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            int x = (int) Math.floor(sx[i] + 0.5), y = (int) Math.floor(sy[i] + 0.5);
            out[i] = x < 0 || y < 0 || x >= w || y >= h ? 0f : mask[y * w + x];
        }
        return out;
    }
}
