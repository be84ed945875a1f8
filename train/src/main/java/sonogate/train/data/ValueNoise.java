package sonogate.train.data;

/**
 * Smooth 3-D (x, y, time) value noise in [0, 1]: random values on an integer lattice, blended with
 * a smoothstep. The lattice values are a pure hash of (cell, seed), so one seed drawn from the
 * training {@link sonogate.train.Rng} fixes the whole field, and a field evaluated at frame t and
 * t + 1 changes smoothly when the time scale spans several frames. Used for the ragged borders,
 * holes and patchiness of synthetic colour flow.
 */
final class ValueNoise {
    private final long seed;
    private final double invSx, invSy, invSt;

    /** @param sx,sy lattice spacing in pixels; st lattice spacing in frames (all > 0) */
    ValueNoise(long seed, double sx, double sy, double st) {
        if (!(sx > 0 && sy > 0 && st > 0)) throw new IllegalArgumentException("spacings must be > 0");
        this.seed = seed;
        this.invSx = 1 / sx;
        this.invSy = 1 / sy;
        this.invSt = 1 / st;
    }

    /** The field at pixel (x, y) of frame t, in [0, 1]. */
    double at(double x, double y, double t) {
        double fx = x * invSx, fy = y * invSy, ft = t * invSt;
        long ix = (long) Math.floor(fx), iy = (long) Math.floor(fy), it = (long) Math.floor(ft);
        double ux = smooth(fx - ix), uy = smooth(fy - iy), ut = smooth(ft - it);
        double c000 = lattice(ix, iy, it), c100 = lattice(ix + 1, iy, it);
        double c010 = lattice(ix, iy + 1, it), c110 = lattice(ix + 1, iy + 1, it);
        double c001 = lattice(ix, iy, it + 1), c101 = lattice(ix + 1, iy, it + 1);
        double c011 = lattice(ix, iy + 1, it + 1), c111 = lattice(ix + 1, iy + 1, it + 1);
        double x00 = c000 + ux * (c100 - c000), x10 = c010 + ux * (c110 - c010);
        double x01 = c001 + ux * (c101 - c001), x11 = c011 + ux * (c111 - c011);
        double y0 = x00 + uy * (x10 - x00), y1 = x01 + uy * (x11 - x01);
        return y0 + ut * (y1 - y0);
    }

    private static double smooth(double u) {
        return u * u * (3 - 2 * u);
    }

    private double lattice(long ix, long iy, long it) {
        long h = seed ^ (ix * 0x9E3779B97F4A7C15L) ^ (iy * 0xC2B2AE3D27D4EB4FL) ^ (it * 0x165667B19E3779F9L);
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }
}
