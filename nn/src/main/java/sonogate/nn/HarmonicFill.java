package sonogate.nn;

/**
 * Diffusion fill: the hole takes the harmonic function (Laplace's equation, 4-neighbour stencil)
 * whose values on the hole's border are the known pixels around it, the steady state of heat
 * diffusion from the border. Frame edges inside a hole are insulating (Neumann). Solved by
 * conjugate gradients on the hole's pixels (the stencil restricted to them is symmetric positive
 * definite when every connected part of the hole touches a known pixel; a part that touches none
 * takes the mean of all known pixels). Linear functions are harmonic, so a linear ramp is
 * reproduced exactly (up to the solver's tolerance).
 */
public final class HarmonicFill {
    /** Relative residual at which the solver stops: far below one grey level. */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    private HarmonicFill() {}

    /**
     * The hole of a model mask: 1 where {@code mask[from + p] >= 0.5} (1 = colour to fill) for the
     * {@code n} pixels from {@code from}, the one rule the model and its full-size fill share.
     */
    public static byte[] holeOf(float[] mask, int from, int n) {
        byte[] hole = new byte[n];
        for (int p = 0; p < n; p++) hole[p] = (byte) (mask[from + p] >= 0.5f ? 1 : 0);
        return hole;
    }

    public static float[] fill(float[] image, byte[] hole, int width, int height) {
        return fill(image, hole, width, height, DEFAULT_TOLERANCE);
    }

    /** Fills the pixels where {@code hole != 0}; returns a new image (the others unchanged). */
    public static float[] fill(float[] image, byte[] hole, int width, int height, double tolerance) {
        return fill(image, hole, width, height, tolerance, null);
    }

    /**
     * As {@link #fill(float[], byte[], int, int, double)}, the solver starting from {@code guess}'s
     * values in the hole (e.g. a fill at lower resolution scaled up: far fewer iterations on large
     * frames); {@code guess} null starts from each pixel's known neighbours' mean.
     */
    public static float[] fill(float[] image, byte[] hole, int width, int height, double tolerance, float[] guess) {
        int n = width * height;
        if (guess != null && guess.length != n) throw new IllegalArgumentException("guess must be " + width + "x" + height);
        if (image.length != n || hole.length != n) throw new IllegalArgumentException("image and hole must be " + width + "x" + height);
        float[] out = image.clone();
        byte[] unknown = hole.clone();
        isolatedPartsToMean(out, unknown, width, height);
        // Number the unknowns; build b (known neighbours' sum) and the diagonal (neighbours in the frame).
        int[] index = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) index[i] = unknown[i] != 0 ? m++ : -1;
        if (m == 0) return out;
        int[] pixel = new int[m];
        double[] b = new double[m], diag = new double[m];
        for (int i = 0; i < n; i++) {
            int k = index[i];
            if (k < 0) continue;
            pixel[k] = i;
            int x = i % width, y = i / width;
            for (int q : neighbours(i, x, y, width, height)) {
                if (q < 0) continue;
                diag[k]++;
                if (index[q] < 0) b[k] += out[q];
            }
        }
        double[] u = new double[m];
        for (int k = 0; k < m; k++) u[k] = guess != null ? guess[pixel[k]] : b[k] / diag[k];   // default start: the known neighbours' mean (0 if none)
        conjugateGradients(u, b, diag, index, pixel, width, height, tolerance);
        for (int k = 0; k < m; k++) out[pixel[k]] = (float) u[k];
        return out;
    }

    /** Solves A u = b, A = the Laplacian stencil on the unknowns (diag minus unknown neighbours). */
    private static void conjugateGradients(double[] u, double[] b, double[] diag, int[] index, int[] pixel, int w, int h,
                                           double tolerance) {
        int m = u.length;
        double[] r = new double[m], p = new double[m], ap = new double[m];
        apply(u, ap, diag, index, pixel, w, h);
        double rr = 0, bb = 0;
        for (int k = 0; k < m; k++) {
            r[k] = b[k] - ap[k];
            p[k] = r[k];
            rr += r[k] * r[k];
            bb += b[k] * b[k];
        }
        double stop = tolerance * tolerance * Math.max(bb, 1e-300);
        for (int iter = 0; iter < 10 * m + 10 && rr > stop; iter++) {
            apply(p, ap, diag, index, pixel, w, h);
            double pap = 0;
            for (int k = 0; k < m; k++) pap += p[k] * ap[k];
            double alpha = rr / pap, next = 0;
            for (int k = 0; k < m; k++) {
                u[k] += alpha * p[k];
                r[k] -= alpha * ap[k];
                next += r[k] * r[k];
            }
            double beta = next / rr;
            for (int k = 0; k < m; k++) p[k] = r[k] + beta * p[k];
            rr = next;
        }
    }

    private static void apply(double[] v, double[] out, double[] diag, int[] index, int[] pixel, int w, int h) {
        for (int k = 0; k < v.length; k++) {
            int i = pixel[k], x = i % w, y = i / w;
            double s = diag[k] * v[k];
            if (x > 0 && index[i - 1] >= 0) s -= v[index[i - 1]];
            if (x < w - 1 && index[i + 1] >= 0) s -= v[index[i + 1]];
            if (y > 0 && index[i - w] >= 0) s -= v[index[i - w]];
            if (y < h - 1 && index[i + w] >= 0) s -= v[index[i + w]];
            out[k] = s;
        }
    }

    private static int[] neighbours(int i, int x, int y, int w, int h) {
        return new int[] {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
    }

    /** Connected parts of the hole with no known 4-neighbour: set to the known pixels' mean and made known. */
    private static void isolatedPartsToMean(float[] img, byte[] unknown, int w, int h) {
        int n = w * h;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (unknown[i] == 0) {
                sum += img[i];
                count++;
            }
        }
        float mean = count == 0 ? 0f : (float) (sum / count);
        byte[] seen = new byte[n];
        int[] queue = new int[n];
        for (int s = 0; s < n; s++) {
            if (unknown[s] == 0 || seen[s] != 0) continue;
            int tail = 0;
            queue[tail++] = s;
            seen[s] = 1;
            boolean touchesKnown = false;
            for (int head = 0; head < tail; head++) {
                int i = queue[head];
                for (int q : neighbours(i, i % w, i / w, w, h)) {
                    if (q < 0) continue;
                    if (unknown[q] == 0) {
                        touchesKnown = true;
                    } else if (seen[q] == 0) {
                        seen[q] = 1;
                        queue[tail++] = q;
                    }
                }
            }
            if (touchesKnown) continue;
            for (int k = 0; k < tail; k++) {
                img[queue[k]] = mean;
                unknown[queue[k]] = 0;
            }
        }
    }
}
