package sonogate.nn;

import java.util.function.Function;
import sonogate.kernels.Parallel;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Inference of a batch split by sample over the kernel pool's threads: each thread runs the WHOLE
 * generator on its own consecutive samples, its kernels serial, and the parts are concatenated.
 *
 * <p>Why: at small frames every op is small (tiny at batch 8: 64x64 planes of 4-32 channels, ~250
 * kernel calls of 10-300 us), and splitting each op over the threads costs a hand-off and a join per
 * call; the idle thread's spinning between them was about a quarter of the process's CPU. One
 * hand-off per forward instead: 25 ms of CPU per tiny batch of 8 against 33 ms, and no thread waits
 * on the other between ops. Every sample's result is the same, bit for bit, as in a whole-batch
 * forward (no kernel mixes samples, and their split never changes a sum's order), which
 * {@code SampleSplitTest} checks.
 *
 * <p>Used only where each sample's ops are small (see {@link #suits}): on big frames the per-op split
 * already keeps both threads busy, and two whole forwards at once would hold two sets of activations.
 */
final class SampleSplit {
    private SampleSplit() {}

    /** Frame pixels x width up to this (tiny 64x64 x 8 = 32K; small 128x128 x 24 = 393K) split by sample. */
    static final long MAX_PIXEL_CHANNELS = 1L << 19;

    /** True for a CPU inference batch of at least two samples of a small config on a multi-thread pool. */
    static boolean suits(Tensor x, ModelConfig cfg) {
        return !Tape.isGradEnabled() && x.device() == Device.CPU && x.dim(0) >= 2 && Parallel.threads() >= 2
                && (long) x.dim(2) * x.dim(3) * cfg.width() <= MAX_PIXEL_CHANNELS;
    }

    /**
     * {@code whole} (the unsplit forward) run on at most {@link Parallel#threads()} consecutive parts
     * of the batch at once, each part on one pool thread inside its own scope, its three outputs
     * concatenated back in sample order (owned by the caller's scope, like the unsplit forward's).
     */
    static Generator.Output forward(Tensor x, Tensor m, Whole whole) {
        int n = x.dim(0), parts = Math.min(n, Parallel.threads());
        Generator.Output[] results = new Generator.Output[parts];
        Tensor[] xs = new Tensor[parts], ms = new Tensor[parts];
        try {
            for (int p = 0; p < parts; p++) {
                int lo = n * p / parts, hi = n * (p + 1) / parts;
                xs[p] = Ops.narrow(x, 0, lo, hi - lo);
                ms[p] = Ops.narrow(m, 0, lo, hi - lo);
            }
            Parallel.forChunks(parts, p -> {
                // a pool thread has its own tape and scopes: inference mode and a scope for its part
                try (Scope scope = Scope.open(); var ng = Tape.noGrad()) {
                    Generator.Output o = whole.forward(xs[p], ms[p]);
                    results[p] = new Generator.Output(scope.detach(o.coarse()), scope.detach(o.refined()), scope.detach(o.composite()));
                }
            });
            return new Generator.Output(concat(results, Generator.Output::coarse), concat(results, Generator.Output::refined),
                    concat(results, Generator.Output::composite));
        } finally {
            for (int p = 0; p < parts; p++) {
                close(xs[p]);
                close(ms[p]);
                if (results[p] != null) {
                    close(results[p].coarse());
                    close(results[p].refined());
                    close(results[p].composite());
                }
            }
        }
    }

    private static Tensor concat(Generator.Output[] parts, Function<Generator.Output, Tensor> which) {
        Tensor[] ts = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) ts[i] = which.apply(parts[i]);
        return Ops.concat(0, ts);
    }

    private static void close(Tensor t) {
        if (t != null) t.close();
    }

    /** The generator's forward on one part of the batch. */
    @FunctionalInterface
    interface Whole {
        Generator.Output forward(Tensor x, Tensor m);
    }
}
