package sonogate.tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.UnaryOp;

/**
 * Wall time of every backend call, by kind and shape: a diagnostic for finding where a model's time
 * goes (which layers run far below the GEMM rate, how much goes to small element-wise ops).
 * Off unless the JVM runs with {@code -Dsonogate.profile=true}; then {@link Backend#of} hands out a
 * timing wrapper around the CPU backend, so the normal path pays nothing. The kernels' own pool
 * threads are inside the timed calls; where ops themselves run on several threads at once (small
 * configs' inference with more than one kernel thread, {@code ConcurrentInference}) each thread's calls
 * are added up, so the table can sum to more than the wall time.
 */
public final class OpProfile {
    private OpProfile() {}

    private static final String MODE = System.getProperty("sonogate.profile", "");

    /** Whether backend calls are timed ({@code -Dsonogate.profile=true}, or {@code =cpu}). */
    public static final boolean ENABLED = MODE.equals("true") || MODE.equals("cpu");

    /**
     * With {@code -Dsonogate.profile=cpu} calls are timed in the calling thread's CPU time instead of
     * wall time: on a loaded machine with {@code -Dsonogate.threads=1} that still measures the work.
     */
    private static final boolean CPU_CLOCK = MODE.equals("cpu");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Nanoseconds on the profile's clock (wall or this thread's CPU time). */
    public static long now() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Accumulated time of one kind of call. */
    public static final class Entry {
        public final String key;
        public long calls, nanos;
        public double flops;

        Entry(String key) {
            this.key = key;
        }
    }

    /** The CPU backend with every call timed. */
    static final Backend TIMED_CPU = new Timed(CpuBackend.INSTANCE);

    /** An accelerator's backend with every call timed (its queue drained around each call). */
    static Backend timed(Backend accelerator) {
        return new Timed(accelerator);
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static synchronized void add(String key, long nanos, double flops) {
        Entry e = ENTRIES.computeIfAbsent(key, Entry::new);
        e.calls++;
        e.nanos += nanos;
        e.flops += flops;
    }

    public static synchronized void reset() {
        ENTRIES.clear();
    }

    public static synchronized List<Entry> entries() {
        return new ArrayList<>(ENTRIES.values());
    }

    /**
     * A table of the entries per repetition (totals divided by {@code repetitions}), largest time first,
     * with each one's share of {@code totalNanos}, the wall time of all repetitions.
     */
    public static String report(long totalNanos, int repetitions, int maxRows) {
        List<Entry> list = entries();
        list.sort((a, b) -> Long.compare(b.nanos, a.nanos));
        long sum = 0;
        for (Entry e : list) sum += e.nanos;
        StringBuilder sb = new StringBuilder();
        double per = 1e-6 / Math.max(1, repetitions);
        sb.append(String.format(Locale.ROOT, "kernels %.2f ms of %.2f ms per repetition (%.0f%%); the rest is ops, tape and Java%n",
                sum * per, totalNanos * per, 100.0 * sum / Math.max(1, totalNanos)));
        sb.append(String.format(Locale.ROOT, "%8s %7s %9s %8s  %s%n", "ms", "share", "calls", "GFLOP/s", "call"));
        int rows = 0;
        for (Entry e : list) {
            if (rows++ >= maxRows) break;
            sb.append(String.format(Locale.ROOT, "%8.3f %6.1f%% %9.1f %8s  %s%n", e.nanos * per, 100.0 * e.nanos / Math.max(1, totalNanos),
                    (double) e.calls / Math.max(1, repetitions), e.flops > 0 ? String.format(Locale.ROOT, "%.0f", e.flops / e.nanos) : "", e.key));
        }
        return sb.toString();
    }

    static String shape(Tensor t) {
        return Shapes.str(t.shape());
    }

    static String conv(String pass, ConvGeometry g) {
        return String.format(Locale.ROOT, "conv.%s %d->%d k%d s%d d%d @%dx%d b%d", pass, g.inChannels(), g.outChannels(), g.kernel(),
                g.stride(), g.dilation(), g.inH(), g.inW(), g.batch());
    }

    /** A backend with every call timed. */
    static final class Timed implements Backend {
        private final Backend inner;

        Timed(Backend inner) {
            this.inner = inner;
        }

        // An accelerator queues its work: each timed call waits for the queue before and after, so the
        // table shows each call's device time (plus one launch latency), not its enqueue time.
        private long start() {
            inner.synchronize();
            return now();
        }

        private long since(long t0) {
            inner.synchronize();
            return now() - t0;
        }

        @Override public void synchronize() {
            inner.synchronize();
        }

        @Override public Storage allocate(long elements) {
            long t0 = start();
            Storage s = inner.allocate(elements);
            add("allocate", since(t0), 0);
            return s;
        }

        @Override public void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y) {
            long t0 = start();
            inner.conv2d(g, x, w, bias, y);
            add(conv("fwd", g), since(t0), g.flops());
        }
        @Override public void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx) {
            long t0 = start();
            inner.conv2dBackwardData(g, dy, w, dx);
            add(conv("bwd-data", g), since(t0), g.flops());
        }
        @Override public void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias) {
            long t0 = start();
            inner.conv2dBackwardWeight(g, x, dy, dw, dbias);
            add(conv("bwd-weight", g), since(t0), g.flops());
        }
        @Override public void unfold(ConvGeometry g, Tensor x, Tensor cols) {
            long t0 = start();
            inner.unfold(g, x, cols);
            add("unfold " + shape(x), since(t0), 0);
        }
        @Override public void fold(ConvGeometry g, Tensor cols, Tensor x) {
            long t0 = start();
            inner.fold(g, cols, x);
            add("fold " + shape(x), since(t0), 0);
        }
        @Override public void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y) {
            long t0 = start();
            inner.gate(act, n, c, hw, x, y);
            add("gate " + shape(x), since(t0), 0);
        }
        @Override public boolean conv2dGated(ConvGeometry g, GateActivation act, Tensor x, Tensor w, Tensor bias, Tensor out) {
            long t0 = start();
            boolean done = inner.conv2dGated(g, act, x, w, bias, out);
            if (done) add(conv("fwd+gate", g), since(t0), g.flops());
            return done;
        }
        @Override public void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx) {
            long t0 = start();
            inner.gateBackward(act, n, c, hw, x, dy, dx);
            add("gate.bwd " + shape(x), since(t0), 0);
        }
        @Override public void upsample2x(int planes, int h, int w, Tensor x, Tensor y) {
            long t0 = start();
            inner.upsample2x(planes, h, w, x, y);
            add("upsample " + shape(x), since(t0), 0);
        }
        @Override public void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx) {
            long t0 = start();
            inner.upsample2xBackward(planes, h, w, dy, dx);
            add("upsample.bwd " + shape(dx), since(t0), 0);
        }
        @Override public void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y) {
            long t0 = start();
            inner.maxPool2x2(planes, h, w, x, y);
            add("maxpool " + shape(x), since(t0), 0);
        }
        @Override public void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx) {
            long t0 = start();
            inner.maxPool2x2Backward(planes, h, w, x, dy, dx);
            add("maxpool.bwd " + shape(dx), since(t0), 0);
        }
        @Override public void unary(UnaryOp op, double alpha, Tensor x, Tensor y) {
            long t0 = start();
            inner.unary(op, alpha, x, y);
            add(op + " " + shape(x), since(t0), 0);
        }
        @Override public void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
            long t0 = start();
            inner.unaryBackward(op, alpha, x, y, dy, dx);
            add(op + ".bwd " + shape(x), since(t0), 0);
        }
        @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor y) {
            long t0 = start();
            inner.binary(op, a, b, y);
            add(op + " " + shape(y), since(t0), 0);
        }
        @Override public void copy(Tensor src, Tensor dst, boolean accumulate) {
            long t0 = start();
            inner.copy(src, dst, accumulate);
            add((accumulate ? "copy+= " : "copy ") + shape(src), since(t0), 0);
        }
        @Override public void affine(Tensor x, double scale, double shift, Tensor y) {
            long t0 = start();
            inner.affine(x, scale, shift, y);
            add("affine " + shape(x), since(t0), 0);
        }
        @Override public void axpy(double a, Tensor x, Tensor y) {
            long t0 = start();
            inner.axpy(a, x, y);
            add("axpy " + shape(x), since(t0), 0);
        }
        @Override public void fill(Tensor y, double value) {
            long t0 = start();
            inner.fill(y, value);
            add("fill " + shape(y), since(t0), 0);
        }
        @Override public void sum(Tensor x, Tensor out) {
            long t0 = start();
            inner.sum(x, out);
            add("sum " + shape(x), since(t0), 0);
        }
        @Override public void l1(Tensor a, Tensor b, Tensor out) {
            long t0 = start();
            inner.l1(a, b, out);
            add("l1 " + shape(a), since(t0), 0);
        }
        @Override public void l1Backward(Tensor g, double scale, Tensor a, Tensor b, Tensor da, Tensor db) {
            long t0 = start();
            inner.l1Backward(g, scale, a, b, da, db);
            add("l1.bwd " + shape(a), since(t0), 0);
        }
        @Override public double dot(Tensor a, Tensor b) {
            long t0 = start();
            double d = inner.dot(a, b);
            add("dot " + shape(a), since(t0), 0);
            return d;
        }
        @Override public void softmax(int outer, int axis, int inner, Tensor x, Tensor y) {
            long t0 = start();
            this.inner.softmax(outer, axis, inner, x, y);
            add("softmax " + shape(x), since(t0), 0);
        }
        @Override public void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx) {
            long t0 = start();
            this.inner.softmaxBackward(outer, axis, inner, y, dy, dx);
            add("softmax.bwd " + shape(y), since(t0), 0);
        }
        @Override public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps) {
            long t0 = start();
            inner.adamStep(p, g, m, v, step, lr, beta1, beta2, eps);
            add("adam " + shape(p), since(t0), 0);
        }
        @Override public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, long aOff, int lda,
                                   Tensor b, long bOff, int ldb, double beta, Tensor c, long cOff, int ldc) {
            long t0 = start();
            inner.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            add(String.format(Locale.ROOT, "gemm %s%s %dx%dx%d", transA ? "T" : "N", transB ? "T" : "N", m, k, n), since(t0), 2.0 * m * n * k);
        }
    }
}
