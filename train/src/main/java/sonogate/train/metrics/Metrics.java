package sonogate.train.metrics;

/**
 * Reconstruction metrics on grey frames in [-1, 1] (H x W, row-major), all computed on the [0, 1]
 * intensity ((v + 1) / 2) so that they read like the literature's: PSNR with data range 1, L1 and
 * flicker in [0, 1] units (half the [-1, 1] difference). SSIM is in {@link Ssim}. A metric
 * restricted to a mask uses the pixels where {@code mask > 0.5} and is NaN when there are none
 * (average such values with a NaN-skipping mean, or count them separately).
 */
public final class Metrics {
    private Metrics() {}

    /**
     * Peak signal-to-noise ratio in dB, 10 log10(1 / MSE) on the [0, 1] intensity (the same as
     * scikit-image's {@code peak_signal_noise_ratio(..., data_range=1)}); +Infinity for identical frames.
     */
    public static double psnr(float[] a, float[] b, int height, int width) {
        checkPair(a, b, height, width);
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = 0.5 * ((double) a[i] - b[i]);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }

    /** PSNR over the mask's pixels only; NaN for an empty mask, +Infinity when equal there. */
    public static double psnrInMask(float[] a, float[] b, float[] mask, int height, int width) {
        checkPair(a, b, height, width);
        checkMask(mask, height, width);
        double se = 0;
        long count = 0;
        for (int i = 0; i < a.length; i++) {
            if (mask[i] > 0.5f) {
                double d = 0.5 * ((double) a[i] - b[i]);
                se += d * d;
                count++;
            }
        }
        if (count == 0) return Double.NaN;
        return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(count / se);
    }

    /** Mean absolute difference over the mask's pixels, in [0, 1] units; NaN for an empty mask. */
    public static double l1InMask(float[] a, float[] b, float[] mask, int height, int width) {
        checkPair(a, b, height, width);
        checkMask(mask, height, width);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < a.length; i++) {
            if (mask[i] > 0.5f) {
                sum += Math.abs((double) a[i] - b[i]);
                count++;
            }
        }
        return count == 0 ? Double.NaN : 0.5 * sum / count;
    }

    /**
     * Temporal flicker: the mean absolute frame-to-frame change |x[t] - x[t-1]| in [0, 1] units,
     * over the pixels masked in frame t or t-1 (pass {@code masks == null} for the whole frame),
     * pooled over all consecutive pairs. NaN with fewer than two frames or no masked pixel.
     */
    public static double flicker(float[][] frames, float[][] masks, int height, int width) {
        return temporal(frames, null, masks, height, width);
    }

    /**
     * Flicker relative to the truth: mean |(p[t] - p[t-1]) - (y[t] - y[t-1])| in [0, 1] units over the
     * same pixels as {@link #flicker}; 0 when the prediction changes exactly as the truth does.
     */
    public static double flickerError(float[][] predicted, float[][] truth, float[][] masks, int height, int width) {
        if (truth == null || truth.length != predicted.length) {
            throw new IllegalArgumentException("prediction and truth need the same number of frames");
        }
        return temporal(predicted, truth, masks, height, width);
    }

    private static double temporal(float[][] p, float[][] y, float[][] masks, int height, int width) {
        if (masks != null && masks.length != p.length) {
            throw new IllegalArgumentException(masks.length + " masks for " + p.length + " frames");
        }
        int n = height * width;
        for (int t = 0; t < p.length; t++) {
            checkPair(p[t], y == null ? p[t] : y[t], height, width);
            if (masks != null) checkMask(masks[t], height, width);
        }
        double sum = 0;
        long count = 0;
        for (int t = 1; t < p.length; t++) {
            for (int i = 0; i < n; i++) {
                if (masks != null && masks[t][i] <= 0.5f && masks[t - 1][i] <= 0.5f) continue;
                double d = (double) p[t][i] - p[t - 1][i];
                if (y != null) d -= (double) y[t][i] - y[t - 1][i];
                sum += Math.abs(d);
                count++;
            }
        }
        return count == 0 ? Double.NaN : 0.5 * sum / count;
    }

    static void checkPair(float[] a, float[] b, int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
        long n = (long) height * width;
        if (a == null || b == null) throw new IllegalArgumentException("null image");
        if (a.length != n || b.length != n) {
            throw new IllegalArgumentException("images have " + a.length + " and " + b.length + " values, expected "
                    + width + "x" + height + " = " + n);
        }
    }

    static void checkMask(float[] mask, int height, int width) {
        if (mask == null || mask.length != (long) height * width) {
            throw new IllegalArgumentException("mask has " + (mask == null ? "null" : mask.length) + " values, expected "
                    + (long) height * width);
        }
    }
}
