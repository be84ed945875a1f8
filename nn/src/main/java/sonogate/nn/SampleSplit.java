package sonogate.nn;

import sonogate.kernels.Parallel;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Inference of a batch split by sample ({@link ConcurrentInference}): the batch is cut into parts of
 * consecutive samples, each pool thread runs the WHOLE generator on the parts it takes, and the
 * parts' outputs are concatenated in sample order.
 * Measured on tiny at batch 8 (one thread's CPU time per batch): 25 ms split against 33 ms op by op,
 * where the idle thread's spinning between small ops was a quarter of the process's CPU.
 */
final class SampleSplit {
    private SampleSplit() {}

    /** An inference batch of at least two samples of a small config, on a multi-thread pool. */
    static boolean suits(Tensor x, ModelConfig cfg) {
        return x.dim(0) >= 2 && ConcurrentInference.samplesEnabled() && ConcurrentInference.suits(x, cfg);
    }

    /**
     * {@code whole} (the unsplit forward) on consecutive parts of the batch at once, each part with
     * its samples' neighbours when there are any (a temporal config); outputs in the caller's scope.
     */
    static Generator.Output forward(Tensor x, Tensor m, Neighbours neighbours, Whole whole) {
        // two parts per thread, handed out dynamically: a thread the OS delays (a busy machine: the
        // bench measured one batch at 3.5x its CPU time with one part per thread) holds a quarter of the
        // batch, not half, while the other threads take the rest; per-frame CPU at batch 2 measured
        // within the noise of batch 4's
        int n = x.dim(0), parts = Math.min(n, 2 * Parallel.threads());
        Tensor[] xs = new Tensor[parts], ms = new Tensor[parts];
        Neighbours[] nbs = new Neighbours[parts];
        Tensor[][] results = null;
        try {
            for (int p = 0; p < parts; p++) {
                int lo = n * p / parts, hi = n * (p + 1) / parts;
                xs[p] = Ops.narrow(x, 0, lo, hi - lo);
                ms[p] = Ops.narrow(m, 0, lo, hi - lo);
                if (neighbours != null) nbs[p] = narrow(neighbours, lo, hi - lo);
            }
            results = ConcurrentInference.run(parts, p -> {
                Generator.Output o = whole.forward(xs[p], ms[p], nbs[p]);
                return new Tensor[] {o.coarse(), o.refined(), o.composite(), o.prefill()};
            });
            Tensor prefill = results[0][3] == null ? null : concat(results, 3);   // the prefill option's diffusion fill
            return new Generator.Output(concat(results, 0), concat(results, 1), concat(results, 2), prefill);
        } finally {
            for (int p = 0; p < parts; p++) {
                if (xs[p] != null) xs[p].close();
                if (ms[p] != null) ms[p].close();
                if (nbs[p] != null) nbs[p].close();
            }
            if (results != null) ConcurrentInference.close(results);
        }
    }

    /** Samples lo .. lo + length - 1 of every neighbour tensor (views). */
    private static Neighbours narrow(Neighbours nb, int lo, int length) {
        return new Neighbours(Ops.narrow(nb.previousFrame(), 0, lo, length), Ops.narrow(nb.previousMask(), 0, lo, length),
                Ops.narrow(nb.nextFrame(), 0, lo, length), Ops.narrow(nb.nextMask(), 0, lo, length));
    }

    private static Tensor concat(Tensor[][] parts, int which) {
        Tensor[] ts = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) ts[i] = parts[i][which];
        return Ops.concat(0, ts);
    }

    /** The generator's forward on one part of the batch (neighbours null without the temporal option). */
    @FunctionalInterface
    interface Whole {
        Generator.Output forward(Tensor x, Tensor m, Neighbours neighbours);
    }
}
