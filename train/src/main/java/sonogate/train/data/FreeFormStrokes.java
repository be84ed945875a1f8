package sonogate.train.data;

import java.util.Objects;
import sonogate.train.Rng;

/**
 * DeepFill v2's free-form brush-stroke masks (Yu et al., "Free-Form Image Inpainting with Gated
 * Convolution", ICCV 2019; algorithm as in its official code, {@code brush_stroke_mask}): 1 to
 * {@code maxStrokes} strokes; each starts at a uniform random pixel and walks through 4 to 11
 * vertices, the turning angle alternating around 2*pi - a and a with a in
 * [meanAngle - angleRange, meanAngle + angleRange]-ish (the code draws the interval's ends), step
 * lengths ~ N(r, r/2) clipped to [0, 2r] with r = diag/8, vertices clipped to the frame, and a
 * constant brush width per stroke drawn with round joints and caps. Then the mask is flipped
 * horizontally and/or vertically with probability 1/2 each (the official code computes these
 * flips but discards the result; here they are applied, which does not change the distribution's
 * character and adds symmetry).
 *
 * <p>Brush widths are given for a 256 x 256 frame (12-40 px in DeepFill) and scale with the
 * frame's diagonal. Deterministic given the {@link Rng} state; thread-safe.
 */
public final class FreeFormStrokes {

    /**
     * @param minVertices     fewest vertices of a stroke (4 in DeepFill)
     * @param maxVertices     exclusive upper bound of vertices (12 in DeepFill: 4..11)
     * @param meanAngle       mean turning angle (2*pi/5)
     * @param angleRange      spread of the turning angle (2*pi/15)
     * @param minWidth        smallest brush width at 256 x 256 (12)
     * @param maxWidth        largest brush width at 256 x 256 (40)
     * @param maxStrokes      most strokes per mask (3: DeepFill draws 1..3)
     * @param flips           apply the random flips (see class comment)
     */
    public record Config(int minVertices, int maxVertices, double meanAngle, double angleRange, double minWidth,
            double maxWidth, int maxStrokes, boolean flips) {
        public Config {
            if (minVertices < 1 || maxVertices <= minVertices) throw new IllegalArgumentException("vertex range");
            if (!(minWidth > 0 && maxWidth >= minWidth)) throw new IllegalArgumentException("width range");
            if (maxStrokes < 1) throw new IllegalArgumentException("maxStrokes must be >= 1");
        }

        /** DeepFill v2's values. */
        public static Config deepFill() {
            return new Config(4, 12, 2 * Math.PI / 5, 2 * Math.PI / 15, 12, 40, 3, true);
        }
    }

    private final Config config;

    public FreeFormStrokes(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public FreeFormStrokes() {
        this(Config.deepFill());
    }

    public Config config() {
        return config;
    }

    /** One H x W row-major 0/1 mask. */
    public float[] generate(Rng rng, int height, int width) {
        return generate(rng, height, width, 1 + rng.nextInt(config.maxStrokes()));
    }

    /** One mask with exactly {@code strokes} strokes (each stroke is one connected piece). */
    public float[] generate(Rng rng, int height, int width, int strokes) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
        float[] mask = new float[height * width];
        double averageRadius = Math.sqrt((double) height * height + (double) width * width) / 8;
        double widthScale = Math.sqrt((double) height * height + (double) width * width) / Math.sqrt(2 * 256.0 * 256.0);
        for (int s = 0; s < strokes; s++) {
            int numVertex = config.minVertices() + rng.nextInt(config.maxVertices() - config.minVertices());
            double angleMin = config.meanAngle() - rng.uniform(0, config.angleRange());
            double angleMax = config.meanAngle() + rng.uniform(0, config.angleRange());
            double[] angles = new double[numVertex];
            for (int i = 0; i < numVertex; i++) {
                double a = rng.uniform(angleMin, angleMax);
                angles[i] = i % 2 == 0 ? 2 * Math.PI - a : a;
            }
            int[] vx = new int[numVertex + 1], vy = new int[numVertex + 1];
            vx[0] = rng.nextInt(width);
            vy[0] = rng.nextInt(height);
            for (int i = 0; i < numVertex; i++) {
                double r = averageRadius + Math.floor(averageRadius / 2) * rng.nextGaussian();
                r = Math.max(0, Math.min(2 * averageRadius, r));
                double nx = Math.max(0, Math.min(width - 1, vx[i] + r * Math.cos(angles[i])));
                double ny = Math.max(0, Math.min(height - 1, vy[i] + r * Math.sin(angles[i])));
                vx[i + 1] = (int) nx;
                vy[i + 1] = (int) ny;
            }
            double brush = Math.floor(rng.uniform(config.minWidth(), config.maxWidth())) * widthScale;
            double radius = Math.max(0.5, brush / 2);
            for (int i = 0; i < numVertex; i++) drawSegment(mask, height, width, vx[i], vy[i], vx[i + 1], vy[i + 1], radius);
        }
        if (config.flips()) {
            if (rng.nextGaussian() > 0) flipHorizontal(mask, height, width);
            if (rng.nextGaussian() > 0) flipVertical(mask, height, width);
        }
        return mask;
    }

    /** A capsule: every pixel centre within {@code radius} of the segment (round joints and caps). */
    private static void drawSegment(float[] mask, int h, int w, double ax, double ay, double bx, double by, double radius) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - radius));
        int x1 = Math.min(w - 1, (int) Math.ceil(Math.max(ax, bx) + radius));
        int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - radius));
        int y1 = Math.min(h - 1, (int) Math.ceil(Math.max(ay, by) + radius));
        double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey, r2 = radius * radius;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double px = x - ax, py = y - ay;
                double s = len2 > 0 ? Math.max(0, Math.min(1, (px * ex + py * ey) / len2)) : 0;
                double qx = px - s * ex, qy = py - s * ey;
                if (qx * qx + qy * qy <= r2) mask[y * w + x] = 1f;
            }
        }
    }

    static void flipHorizontal(float[] m, int h, int w) {
        for (int y = 0; y < h; y++) {
            for (int a = y * w, b = y * w + w - 1; a < b; a++, b--) {
                float t = m[a];
                m[a] = m[b];
                m[b] = t;
            }
        }
    }

    static void flipVertical(float[] m, int h, int w) {
        for (int y = 0, z = h - 1; y < z; y++, z--) {
            for (int x = 0; x < w; x++) {
                float t = m[y * w + x];
                m[y * w + x] = m[z * w + x];
                m[z * w + x] = t;
            }
        }
    }
}
