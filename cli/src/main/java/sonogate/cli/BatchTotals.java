package sonogate.cli;

import java.util.Map;

/** The totals that every batch command's {@code --json} summary carries, under the same keys (translate, masks). */
final class BatchTotals {
    private BatchTotals() {}

    static void put(Map<String, Object> summary, int ok, int failed, long frames, double seconds) {
        summary.put("ok", ok);
        summary.put("failed", failed);
        summary.put("frames", frames);
        summary.put("seconds", seconds);
        summary.put("frames_per_second", frames / Math.max(seconds, 1e-9));
    }
}
