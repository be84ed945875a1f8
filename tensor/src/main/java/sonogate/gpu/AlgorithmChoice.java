package sonogate.gpu;

/**
 * Which cuDNN algorithm a convolution plan keeps, from a Find result (fastest first): the fastest
 * one that succeeded, fits the workspace limit and, when determinism is required (the default),
 * is deterministic (cuDNN's backward-filter and some backward-data algorithms add with atomics, so
 * two runs can differ in the last bits). If no deterministic algorithm qualifies, the fastest
 * successful one is kept and the plan is marked non-deterministic.
 */
final class AlgorithmChoice {
    private AlgorithmChoice() {}

    record Choice(Cudnn.Perf perf, boolean deterministic) {}

    static Choice choose(Cudnn.Perf[] results, long workspaceLimit, boolean requireDeterministic, String what) {
        Cudnn.Perf fallback = null;
        for (Cudnn.Perf p : results) {
            if (p.status() != 0 || p.memory() > workspaceLimit) continue;
            if (!requireDeterministic || p.deterministic()) return new Choice(p, p.deterministic());
            if (fallback == null) fallback = p;
        }
        if (fallback != null) return new Choice(fallback, false);
        throw new IllegalStateException("cuDNN found no usable " + what + " algorithm within a " + workspaceLimit + "-byte workspace");
    }
}
