package sonogate.train.data;

import java.util.Objects;
import sonogate.train.Rng;

/**
 * The imaging sector of a frame: where the probe images tissue (and where a scanner can put a
 * colour box). Either a fan (convex or phased-array probe: an annulus sector around an apex that
 * may lie above the frame), a rectangle (linear probe), or any binary mask the caller has (e.g.
 * estimated from a real clip). Angles are measured from the downward (+y) axis, positive towards
 * +x; the fan covers [-halfAngle, +halfAngle] and radii [rMin, rMax].
 */
public final class ImagingSector {
    /** How the sector was described; the colour box follows the shape (wedge in a fan, rectangle otherwise). */
    public enum Kind { FAN, RECTANGLE, CUSTOM }

    private final Kind kind;
    private final int height, width;
    private final boolean[] inside;
    private final int area;
    // FAN geometry
    private final double apexX, apexY, rMin, rMax, halfAngle;
    // RECTANGLE geometry and CUSTOM bounding box (inclusive pixel bounds)
    private final int x0, y0, x1, y1;

    private ImagingSector(Kind kind, int height, int width, boolean[] inside, double apexX, double apexY,
            double rMin, double rMax, double halfAngle) {
        this.kind = kind;
        this.height = height;
        this.width = width;
        this.inside = inside;
        this.apexX = apexX;
        this.apexY = apexY;
        this.rMin = rMin;
        this.rMax = rMax;
        this.halfAngle = halfAngle;
        int n = 0, bx0 = width, by0 = height, bx1 = -1, by1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (inside[y * width + x]) {
                    n++;
                    bx0 = Math.min(bx0, x);
                    bx1 = Math.max(bx1, x);
                    by0 = Math.min(by0, y);
                    by1 = Math.max(by1, y);
                }
            }
        }
        if (n == 0) throw new IllegalArgumentException("the imaging sector is empty");
        this.area = n;
        this.x0 = bx0;
        this.y0 = by0;
        this.x1 = bx1;
        this.y1 = by1;
    }

    /** A fan: pixels whose centre lies within radii [rMin, rMax] of the apex and within +-halfAngle (radians). */
    public static ImagingSector fan(int height, int width, double apexX, double apexY, double rMin, double rMax,
            double halfAngle) {
        checkSize(height, width);
        if (!(rMax > rMin && rMin >= 0 && halfAngle > 0 && halfAngle < Math.PI / 2)) {
            throw new IllegalArgumentException("bad fan: r " + rMin + ".." + rMax + ", half angle " + halfAngle);
        }
        boolean[] in = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x - apexX, dy = y - apexY;
                double r = Math.hypot(dx, dy);
                in[y * width + x] = r >= rMin && r <= rMax && dy > 0 && Math.abs(Math.atan2(dx, dy)) <= halfAngle;
            }
        }
        return new ImagingSector(Kind.FAN, height, width, in, apexX, apexY, rMin, rMax, halfAngle);
    }

    /** A rectangle with inclusive pixel bounds (a linear probe's image). */
    public static ImagingSector rectangle(int height, int width, int x0, int y0, int x1, int y1) {
        checkSize(height, width);
        if (x0 < 0 || y0 < 0 || x1 >= width || y1 >= height || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("bad rectangle " + x0 + "," + y0 + ".." + x1 + "," + y1
                    + " in " + width + "x" + height);
        }
        boolean[] in = new boolean[height * width];
        for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) in[y * width + x] = true;
        return new ImagingSector(Kind.RECTANGLE, height, width, in, 0, 0, 0, 0, 0);
    }

    /** Any sector given as a mask (row-major, > 0.5 = inside), e.g. estimated from a real clip. */
    public static ImagingSector of(int height, int width, float[] mask) {
        checkSize(height, width);
        Objects.requireNonNull(mask, "mask");
        if (mask.length != height * width) {
            throw new IllegalArgumentException("sector mask has " + mask.length + " values, expected " + height * width);
        }
        boolean[] in = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) in[i] = mask[i] > 0.5f;
        return new ImagingSector(Kind.CUSTOM, height, width, in, 0, 0, 0, 0, 0);
    }

    /**
     * A plausible default sector when the caller has none: with probability {@code fanProbability}
     * a fan (apex from slightly inside the top edge, as a phased array, to well above it, as a
     * convex probe; half angle 30-45 degrees, reaching 88-97% of the height), otherwise a rectangle
     * covering 80-100% of the width and 85-100% of the height.
     */
    public static ImagingSector random(Rng rng, int height, int width, double fanProbability) {
        checkSize(height, width);
        if (rng.nextDouble() < fanProbability) {
            double apexX = width * (0.5 + rng.uniform(-0.03, 0.03));
            double apexY = height * rng.uniform(-0.45, 0.02);
            double bottom = height * rng.uniform(0.88, 0.97);
            double rMax = bottom - apexY;
            double rMin = Math.max(0, -apexY) + height * rng.uniform(0.01, 0.04);
            double half = Math.toRadians(rng.uniform(30, 45));
            double lateral = Math.min(apexX, width - 1 - apexX) * 0.98;
            if (rMax * Math.sin(half) > lateral) half = Math.asin(lateral / rMax);
            return fan(height, width, apexX, apexY, rMin, rMax, half);
        }
        int w = (int) Math.round(width * rng.uniform(0.80, 1.0));
        int h = (int) Math.round(height * rng.uniform(0.85, 1.0));
        w = Math.max(1, Math.min(width, w));
        h = Math.max(1, Math.min(height, h));
        int x0 = (width - w) / 2 + (width - w > 1 ? rng.nextInt(2) : 0);
        int y0 = rng.nextInt(Math.max(1, Math.min(height - h, height / 12) + 1));
        x0 = Math.min(x0, width - w);
        y0 = Math.min(y0, height - h);
        return rectangle(height, width, x0, y0, x0 + w - 1, y0 + h - 1);
    }

    private static void checkSize(int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
    }

    public Kind kind() {
        return kind;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of pixels inside. */
    public int area() {
        return area;
    }

    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && inside[y * width + x];
    }

    /** The sector as a fresh 0/1 mask. */
    public float[] mask() {
        float[] m = new float[inside.length];
        for (int i = 0; i < m.length; i++) m[i] = inside[i] ? 1f : 0f;
        return m;
    }

    boolean insideAt(int index) {
        return inside[index];
    }

    double apexX() {
        return apexX;
    }

    double apexY() {
        return apexY;
    }

    double rMin() {
        return rMin;
    }

    double rMax() {
        return rMax;
    }

    double halfAngle() {
        return halfAngle;
    }

    /** Inclusive bounding box of the inside pixels: {x0, y0, x1, y1}. */
    int[] bounds() {
        return new int[] {x0, y0, x1, y1};
    }
}
