package sonogate.gpu;

import java.util.function.Predicate;

/**
 * Which cuDNN algorithm a convolution plan keeps, from a Find result: among the ones that succeeded,
 * fit the workspace limit and, when determinism is required (the default), are deterministic
 * (cuDNN's backward-filter and some backward-data algorithms add with atomics, so two runs can differ
 * in the last bits), the one needing the least workspace whose time is within {@link #TIME_SLACK} of
 * the fastest: the workspace is device memory held for the whole run, and Find's single timings do
 * not tell a few per cent apart anyway. If no deterministic algorithm qualifies, the same rule runs
 * over all of them and the plan is marked non-deterministic.
 */
final class AlgorithmChoice {
    private AlgorithmChoice() {}

    /** How much slower than the fastest an algorithm may be and still win on workspace. */
    static final double TIME_SLACK = 0.10;

    record Choice(Cudnn.Perf perf, boolean deterministic) {}

    static Choice choose(Cudnn.Perf[] results, long workspaceLimit, boolean requireDeterministic, String what) {
        Cudnn.Perf p = leanest(results, workspaceLimit, r -> !requireDeterministic || r.deterministic());
        if (p != null) return new Choice(p, p.deterministic());
        p = leanest(results, workspaceLimit, r -> true);
        if (p != null) return new Choice(p, false);
        throw new IllegalStateException("cuDNN found no usable " + what + " algorithm within a " + workspaceLimit + "-byte workspace");
    }

    private static Cudnn.Perf leanest(Cudnn.Perf[] results, long workspaceLimit, Predicate<Cudnn.Perf> allowed) {
        float fastest = Float.POSITIVE_INFINITY;
        for (Cudnn.Perf r : results) if (usable(r, workspaceLimit, allowed)) fastest = Math.min(fastest, r.timeMs());
        Cudnn.Perf best = null;
        for (Cudnn.Perf r : results) {
            if (!usable(r, workspaceLimit, allowed) || r.timeMs() > fastest * (1 + TIME_SLACK)) continue;
            if (best == null || r.memory() < best.memory() || (r.memory() == best.memory() && r.timeMs() < best.timeMs())) best = r;
        }
        return best;
    }

    private static boolean usable(Cudnn.Perf r, long workspaceLimit, Predicate<Cudnn.Perf> allowed) {
        return r.status() == 0 && r.memory() <= workspaceLimit && allowed.test(r);
    }
}
