package sonogate.train.metrics;

/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004): Gaussian window of 11
 * taps with sigma 1.5 (separable, normalised), K1 = 0.01, K2 = 0.03, population (co)variances,
 * data range 1. Grey frames in [-1, 1] are mapped to [0, 1] first.
 *
 * <p>The SSIM map is computed at every pixel with the image extended by half-sample symmetric
 * reflection ({@code d c b a | a b c d}, scipy's "reflect"). {@link #mean} averages it over the
 * pixels whose window lies wholly inside the image (the border of 5 pixels is left out), which is
 * Wang et al.'s "valid" mean and what scikit-image's {@code structural_similarity(...,
 * gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)} returns;
 * {@link #meanInMask} averages the full map over the mask's pixels (border pixels included, with
 * the reflected window), equal to averaging scikit-image's {@code full=True} map over the mask.
 * Images smaller than the window in either dimension are rejected.
 */
public final class Ssim {
    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    public static final double K1 = 0.01, K2 = 0.03;
    private static final int RADIUS = WINDOW / 2;
    private static final double[] KERNEL = kernel();

    private Ssim() {}

    private static double[] kernel() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            int x = i - RADIUS;
            k[i] = Math.exp(-0.5 * x * x / (SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) k[i] /= sum;
        return k;
    }

    /** The per-pixel SSIM map (H x W, row-major) of two [-1, 1] frames. */
    public static double[] map(float[] a, float[] b, int height, int width) {
        Metrics.checkPair(a, b, height, width);
        if (height < WINDOW || width < WINDOW) {
            throw new IllegalArgumentException("image " + width + "x" + height + " is smaller than the " + WINDOW + "x"
                    + WINDOW + " SSIM window; SSIM needs at least " + WINDOW + " pixels in each dimension");
        }
        int n = height * width;
        double[] x = new double[n], y = new double[n], xx = new double[n], yy = new double[n], xy = new double[n];
        for (int i = 0; i < n; i++) {
            double u = ((double) a[i] + 1) * 0.5, v = ((double) b[i] + 1) * 0.5;
            x[i] = u;
            y[i] = v;
            xx[i] = u * u;
            yy[i] = v * v;
            xy[i] = u * v;
        }
        double[] mx = blur(x, height, width), my = blur(y, height, width);
        double[] mxx = blur(xx, height, width), myy = blur(yy, height, width), mxy = blur(xy, height, width);
        double c1 = K1 * K1, c2 = K2 * K2; // data range 1
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double ux = mx[i], uy = my[i];
            double vx = mxx[i] - ux * ux, vy = myy[i] - uy * uy, cxy = mxy[i] - ux * uy;
            s[i] = (2 * ux * uy + c1) * (2 * cxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
        return s;
    }

    /** Mean SSIM over the frame (pixels at least 5 from every edge; see the class comment). */
    public static double mean(float[] a, float[] b, int height, int width) {
        double[] s = map(a, b, height, width);
        double sum = 0;
        for (int yy = RADIUS; yy < height - RADIUS; yy++) {
            for (int xx = RADIUS; xx < width - RADIUS; xx++) sum += s[yy * width + xx];
        }
        return sum / ((double) (height - 2 * RADIUS) * (width - 2 * RADIUS));
    }

    /** Mean of the SSIM map over the pixels where {@code mask > 0.5}; NaN when the mask is empty. */
    public static double meanInMask(float[] a, float[] b, float[] mask, int height, int width) {
        double[] s = map(a, b, height, width);
        Metrics.checkMask(mask, height, width);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < s.length; i++) {
            if (mask[i] > 0.5f) {
                sum += s[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Separable Gaussian with half-sample symmetric extension. */
    private static double[] blur(double[] img, int h, int w) {
        double[] tmp = new double[img.length], out = new double[img.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = 0; k < WINDOW; k++) acc += KERNEL[k] * img[row + reflect(x + k - RADIUS, w)];
                tmp[row + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int k = 0; k < WINDOW; k++) acc += KERNEL[k] * tmp[reflect(y + k - RADIUS, h) * w + x];
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    /** d c b a | a b c d | d c b a, for any offset (n >= 1). */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
