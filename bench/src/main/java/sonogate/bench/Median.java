package sonogate.bench;

import java.util.Arrays;

/** Timing helpers of {@link KernelBench}: warm-up, calibrated repetitions, median. */
public final class Median {
    private Median() {}

    /** Median of {@code values} (mean of the two middle ones for an even count); NaN when empty. */
    public static double of(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    /** Seconds one call of {@code op} takes. */
    public static double timeOnce(Runnable op) {
        long t0 = System.nanoTime();
        op.run();
        return (System.nanoTime() - t0) * 1e-9;
    }

    /** Seconds per call of {@code calls} back-to-back calls. */
    public static double timeCalls(Runnable op, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) op.run();
        return (System.nanoTime() - t0) * 1e-9 / calls;
    }
}
