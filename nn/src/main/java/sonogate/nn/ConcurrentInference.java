package sonogate.nn;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.IntFunction;
import sonogate.kernels.Parallel;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Independent parts of an inference forward (the samples of a batch, the refinement network's two
 * branches) run at once, one part per pool thread, each part's kernels serial on its thread.
 *
 * <p>Why: at small frames every op is small (tiny: 64x64 planes of 4-32 channels; small at batch 1:
 * 32x32 to 128x128 planes), and splitting each op over the threads costs a hand-off, a join and
 * load imbalance per call, hundreds of times per forward. Whole parts per thread need one hand-off.
 * Every kernel's result does not depend on how its work is split, so the outputs are the same, bit
 * for bit, as the op-by-op forward's ({@code ConcurrentInferenceTest}).
 *
 * <p>Only where each op is small ({@link #suits}): on big frames the per-op split already keeps both
 * threads busy, and two parts at once would hold two parts' activations.
 */
final class ConcurrentInference {
    private ConcurrentInference() {}

    /** Frame pixels x width up to this (tiny 64x64 x 8 = 32K; small 128x128 x 24 = 393K; base 3.1M) run in parts. */
    static final long MAX_PIXEL_CHANNELS = 1L << 19;

    /**
     * {@code -Dsonogate.concurrentInference=auto} (default: all while the machine has room, else none,
     * see {@link #machineHasRoom}),
     * {@code all}, {@code samples} (batches split by sample, the refinement's branches op by op) or
     * {@code none} (every op split by itself): to compare them on one machine. The outputs are the same
     * bits whichever is chosen.
     */
    private static volatile String mode = System.getProperty("sonogate.concurrentInference", "auto");

    /** Sets the mode (tests); returns the previous one. */
    static String mode(String m) {
        String old = mode;
        mode = m;
        return old;
    }

    /** Whether batches are split by sample. */
    static boolean samplesEnabled() {
        String m = mode;
        return m.equals("all") || m.equals("samples") || (m.equals("auto") && machineHasRoom());
    }

    /** Whether the refinement's two branches run at once. */
    static boolean branchesEnabled() {
        String m = mode;
        return m.equals("all") || (m.equals("auto") && machineHasRoom());
    }

    /**
     * Parts pay off while each pool thread gets a CPU. On an oversubscribed machine a thread the OS
     * has descheduled stalls the forward until it finishes its part, whereas op by op the running
     * thread takes the work it left. Measured in {@code bench model} on 2 CPUs, tiny at batch 8: at load
     * average 9-10, 59-93 ms per batch for 27-28 ms of CPU in parts, 25-40 ms op by op; at load 3-7
     * parts were as fast or faster (wall ratio to PyTorch 1.03-1.36x in parts, 0.86-1.19x op by op).
     * So parts only while the 1-minute load average, which counts our own busy threads (about 2
     * during the benchmark), is below three times the CPU count.
     */
    private static boolean machineHasRoom() {
        double load = OS.getSystemLoadAverage();
        return load < 0 || load < 3.0 * OS.getAvailableProcessors();
    }

    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    /** True for CPU inference (no tape) of a small config's frames {@code x} [N, C, H, W] with a multi-thread pool. */
    static boolean suits(Tensor x, ModelConfig cfg) {
        return !Tape.isGradEnabled() && x.device() == Device.CPU && Parallel.threads() >= 2
                && (long) x.dim(2) * x.dim(3) * cfg.width() <= MAX_PIXEL_CHANNELS;
    }

    /**
     * Runs {@code part.apply(p)} for every p in [0, parts) on the pool's threads at once, each in inference
     * mode inside its own scope; returns each part's outputs, owned by the caller (who closes them).
     * Called from inside a parallel region, the parts run one after the other on the caller.
     */
    static Tensor[][] run(int parts, IntFunction<Tensor[]> part) {
        Tensor[][] results = new Tensor[parts][];
        try {
            Parallel.forChunks(parts, p -> {
                // a pool thread has its own tape and scopes: inference mode and a scope for its part
                try (Scope scope = Scope.open(); var ng = Tape.noGrad()) {
                    Tensor[] out = part.apply(p);
                    for (Tensor t : out) scope.detach(t);
                    results[p] = out;
                }
            });
        } catch (RuntimeException | Error e) {
            close(results);
            throw e;
        }
        return results;
    }

    static void close(Tensor[][] results) {
        for (Tensor[] r : results) {
            if (r == null) continue;
            for (Tensor t : r) if (t != null) t.close();
        }
    }
}
