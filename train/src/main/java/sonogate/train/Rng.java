package sonogate.train;

/**
 * The training run's random numbers (masks, augmentation, sampling): SplitMix64, whose whole state
 * is one long. A checkpoint stores {@link #state()}, and a resumed run continues the exact same
 * sequence, which is what makes "6 steps straight" equal "3 + resume + 3".
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    public static Rng fromState(long state) {
        return new Rng(state);
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Standard normal (Box-Muller; one value per call, simple and reproducible). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(), u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An independent generator for a sub-task (e.g. one loader thread), derived deterministically. */
    public Rng split() {
        return new Rng(nextLong());
    }
}
