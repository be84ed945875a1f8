package sonogate.eval;

/**
 * Telea's inpainting (A. Telea, "An image inpainting technique based on the fast marching method",
 * Journal of Graphics Tools 9(1), 2004): the hole is filled from its border inwards in the order of
 * the fast marching method ({@link FastMarching}); each hole pixel p, when the front reaches it,
 * becomes a weighted mean of the known (or already filled) pixels q within {@code radius}:
 *
 * <pre>
 *   I(p) = sum_q w(p,q) [I(q) + grad I(q) . (p - q)] / sum_q w(p,q)
 *   w = dir * dst * lev,  dir = |(p - q) . N(p)| / |p - q|,  dst = 1 / |p - q|^2,  lev = 1 / (1 + |T(p) - T(q)|)
 * </pre>
 *
 * with N = grad T the front's normal: pixels along the normal, close by and near the same level
 * line weigh most. T outside the hole is the (negative) distance to the hole's border, so that
 * {@code lev} also favours known pixels close to the border. The first-order term
 * {@code grad I(q) . (p - q)} (central differences over usable pixels; a pixel whose gradient cannot
 * be measured on both axes is left out of that sum) is the paper's; a zero-order variant (the
 * weighted mean only, which is also the fallback when no pixel has a gradient) is available for comparison.
 */
public final class TeleaInpainting {
    /** OpenCV's customary inpainting radius for frames of a few hundred pixels. */
    public static final int DEFAULT_RADIUS = 5;

    private TeleaInpainting() {}

    /**
     * {@link #fill(float[], byte[], int, int, int, boolean)} with the zero-order estimate, the
     * evaluation's baseline: on real B-mode frames it agrees with OpenCV's {@code INPAINT_TELEA} to
     * 1.4-2.2 grey levels (38-43 dB), while the first-order term extrapolates speckle gradients
     * and compounds them pixel after pixel (15-44 grey levels off; {@code TeleaOpenCvTest}).
     */
    public static float[] fill(float[] image, byte[] hole, int width, int height, int radius) {
        return fill(image, hole, width, height, radius, false);
    }

    /**
     * Fills the pixels where {@code hole != 0}; returns a new image (the others unchanged).
     * A hole with no known pixel anywhere is left as it is.
     */
    public static float[] fill(float[] image, byte[] hole, int width, int height, int radius, boolean firstOrder) {
        int n = width * height;
        if (image.length != n || hole.length != n) throw new IllegalArgumentException("image and hole must be " + width + "x" + height);
        if (radius < 1) throw new IllegalArgumentException("radius " + radius);
        float[] out = image.clone();
        double[] t = new double[n];
        byte[] flag = new byte[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (hole[i] != 0) {
                t[i] = Double.POSITIVE_INFINITY;
                flag[i] = FastMarching.FAR;
                any = true;
            } else {
                flag[i] = borders(hole, i, width, height) ? FastMarching.BAND : FastMarching.BLOCKED;
            }
        }
        if (!any) return out;
        outsideDistances(hole, t, width, height, radius + 1);
        byte[] usable = new byte[n];   // 1 where I is known or already filled
        for (int i = 0; i < n; i++) usable[i] = (byte) (hole[i] == 0 ? 1 : 0);
        FastMarching fm = new FastMarching(width, height, t, flag);
        for (int p = fm.next(); p >= 0; p = fm.next()) {
            int x = p % width, y = p / width;
            int[] nbs = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1};
            for (int q : nbs) {
                if (q < 0 || flag[q] == FastMarching.ACCEPTED || flag[q] == FastMarching.BLOCKED) continue;
                if (fm.update(q)) {
                    out[q] = estimate(out, usable, t, flag, q, width, height, radius, firstOrder);
                    usable[q] = 1;
                }
            }
        }
        return out;
    }

    /** The weighted estimate of hole pixel p from the usable pixels around it. */
    private static float estimate(float[] img, byte[] usable, double[] t, byte[] flag, int p, int w, int h, int radius,
                                  boolean firstOrder) {
        int px = p % w, py = p / w;
        double nx = gradient(t, usable, flag, p, 1, px > 0, px < w - 1), ny = gradient(t, usable, flag, p, w, py > 0, py < h - 1);
        double sum = 0, weights = 0, sum1 = 0, weights1 = 0;
        for (int qy = Math.max(0, py - radius); qy <= Math.min(h - 1, py + radius); qy++) {
            for (int qx = Math.max(0, px - radius); qx <= Math.min(w - 1, px + radius); qx++) {
                int q = qy * w + qx;
                if (usable[q] == 0) continue;
                double rx = px - qx, ry = py - qy, r2 = rx * rx + ry * ry;
                if (r2 == 0 || r2 > (double) radius * radius) continue;
                double r = Math.sqrt(r2);
                double dir = Math.abs(rx * nx + ry * ny) / r;
                if (dir < 1e-6) dir = 1e-6;    // a pixel square to the normal still counts a little
                double lev = 1 / (1 + Math.abs(t[p] - t[q]));
                double wq = dir * lev / r2;
                sum += wq * img[q];
                weights += wq;
                if (firstOrder) {
                    // Only pixels whose gradient is measurable on both axes extrapolate.
                    double gx = gradientOf(img, usable, q, 1, qx > 0, qx < w - 1), gy = gradientOf(img, usable, q, w, qy > 0, qy < h - 1);
                    if (Double.isNaN(gx) || Double.isNaN(gy)) continue;
                    sum1 += wq * (img[q] + gx * rx + gy * ry);
                    weights1 += wq;
                }
            }
        }
        if (weights1 > 0) return (float) (sum1 / weights1);
        return weights == 0 ? img[p] : (float) (sum / weights);
    }

    /** d T / d (x or y) at p from neighbours whose T is final or set (central, else one-sided, else 0). */
    private static double gradient(double[] t, byte[] usable, byte[] flag, int p, int step, boolean hasPrev, boolean hasNext) {
        boolean a = hasPrev && Double.isFinite(t[p - step]) && (usable[p - step] != 0 || flag[p - step] != FastMarching.FAR);
        boolean b = hasNext && Double.isFinite(t[p + step]) && (usable[p + step] != 0 || flag[p + step] != FastMarching.FAR);
        if (a && b) return 0.5 * (t[p + step] - t[p - step]);
        if (b) return t[p + step] - t[p];
        if (a) return t[p] - t[p - step];
        return 0;
    }

    /** d I / d (x or y) at q over usable pixels (central, else one-sided, else NaN). */
    private static double gradientOf(float[] img, byte[] usable, int q, int step, boolean hasPrev, boolean hasNext) {
        boolean a = hasPrev && usable[q - step] != 0, b = hasNext && usable[q + step] != 0;
        if (a && b) return 0.5 * ((double) img[q + step] - img[q - step]);
        if (b) return (double) img[q + step] - img[q];
        if (a) return (double) img[q] - img[q - step];
        return Double.NaN;
    }

    /** A known pixel with a hole pixel among its 4-neighbours. */
    private static boolean borders(byte[] hole, int i, int w, int h) {
        int x = i % w, y = i / w;
        return (x > 0 && hole[i - 1] != 0) || (x < w - 1 && hole[i + 1] != 0) || (y > 0 && hole[i - w] != 0)
                || (y < h - 1 && hole[i + w] != 0);
    }

    /** T of known pixels: minus their marching distance from the hole's border, up to {@code limit} (beyond: -limit). */
    private static void outsideDistances(byte[] hole, double[] t, int w, int h, int limit) {
        int n = w * h;
        double[] d = new double[n];
        byte[] flag = new byte[n];
        for (int i = 0; i < n; i++) {
            if (hole[i] != 0) {
                flag[i] = FastMarching.BLOCKED;
            } else if (borders(hole, i, w, h)) {
                flag[i] = FastMarching.BAND;
            } else {
                d[i] = Double.POSITIVE_INFINITY;
            }
        }
        FastMarching fm = new FastMarching(w, h, d, flag);
        for (int p = fm.next(); p >= 0 && d[p] <= limit; p = fm.next()) {
            int x = p % w, y = p / w;
            if (x > 0 && flag[p - 1] != FastMarching.ACCEPTED && flag[p - 1] != FastMarching.BLOCKED) fm.update(p - 1);
            if (x < w - 1 && flag[p + 1] != FastMarching.ACCEPTED && flag[p + 1] != FastMarching.BLOCKED) fm.update(p + 1);
            if (y > 0 && flag[p - w] != FastMarching.ACCEPTED && flag[p - w] != FastMarching.BLOCKED) fm.update(p - w);
            if (y < h - 1 && flag[p + w] != FastMarching.ACCEPTED && flag[p + w] != FastMarching.BLOCKED) fm.update(p + w);
        }
        for (int i = 0; i < n; i++) if (hole[i] == 0) t[i] = -Math.min(d[i], limit);
    }
}
