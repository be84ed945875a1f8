package sonogate.tensor;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.UnaryOp;

/**
 * A diagnostic for reproducibility: while tracing, every backend call made by the tracing thread
 * records a fingerprint (a hash of the raw float bits) of what it wrote. Two runs that should be
 * bit-for-bit identical are traced over the same work and {@link #firstDifference} names the first
 * kernel call whose output differs: the kernel that is not deterministic, or, when the very first
 * call already differs, the inputs (a resume that restored the wrong state).
 *
 * <p>Costs nothing when off (one volatile read per backend lookup); while on, each call copies its
 * outputs to hash them, so it is for tests and investigations, not for production runs.
 */
public final class KernelTrace {
    private KernelTrace() {}

    /** One backend call: the kernel, which of its outputs, that output's shape and bit hash. */
    public record Entry(int index, String kernel, String output, int[] shape, long hash, double sum) {
        @Override
        public String toString() {
            return "#" + index + " " + kernel + " -> " + output + " " + Arrays.toString(shape)
                    + String.format(" (hash %016x, sum %.9g)", hash, sum);
        }
    }

    private static volatile Thread tracing;
    private static final List<Entry> ENTRIES = new ArrayList<>();

    /** Starts recording the calling thread's backend calls (clearing any earlier trace). */
    public static synchronized void start() {
        ENTRIES.clear();
        tracing = Thread.currentThread();
    }

    /** Stops recording and returns the trace. */
    public static synchronized List<Entry> stop() {
        tracing = null;
        List<Entry> out = List.copyOf(ENTRIES);
        ENTRIES.clear();
        return out;
    }

    /** Records a value computed outside the backend (an input batch, say) as a trace entry. */
    public static void note(String what, float[] values, int... shape) {
        if (tracing != Thread.currentThread()) return;
        add(what, "value", shape, bitHash(values), total(values));
    }

    /**
     * The first entry at which the traces differ, described with both sides and the number of
     * identical entries before it; null when the traces are identical.
     */
    public static String firstDifference(List<Entry> expected, List<Entry> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            Entry e = expected.get(i), a = actual.get(i);
            if (!e.kernel().equals(a.kernel()) || !e.output().equals(a.output()) || !Arrays.equals(e.shape(), a.shape())) {
                return "the runs call different kernels after " + i + " identical calls: expected " + e + ", got " + a;
            }
            if (e.hash() != a.hash()) {
                return "first differing output after " + i + " identical calls: expected " + e + ", got " + a;
            }
        }
        if (expected.size() != actual.size()) {
            return "the traces have " + expected.size() + " and " + actual.size() + " calls; the first " + n + " are identical";
        }
        return null;
    }

    static Backend wrap(Backend b) {
        if (tracing != Thread.currentThread()) return b;
        return b == CpuBackend.INSTANCE ? Tracing.CPU : b == ReferenceBackend.INSTANCE ? Tracing.REFERENCE : b;
    }

    private static synchronized void add(String kernel, String output, int[] shape, long hash, double sum) {
        ENTRIES.add(new Entry(ENTRIES.size(), kernel, output, shape, hash, sum));
    }

    private static void record(String kernel, String output, Tensor t) {
        if (t == null) return;
        float[] f = values(t);
        add(kernel, output, t.shape(), bitHash(f), total(f));
    }

    /** The elements in row-major order (the raw bits when the tensor is float32 on the CPU). */
    private static float[] values(Tensor t) {
        if (t.device() == Device.CPU && t.dtype() == DType.F32 && t.isContiguous()) {
            return t.cpuSegment().asSlice(0, t.numel() * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
        }
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static long bitHash(float[] f) {
        long h = 0x9E3779B97F4A7C15L;
        for (float v : f) h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001B3L;
        return h ^ f.length;
    }

    private static double total(float[] f) {
        double s = 0;
        for (float v : f) s += v;
        return s;
    }

    /** The decorator: runs the real backend, then fingerprints the outputs. */
    private static final class Tracing implements Backend {
        static final Tracing CPU = new Tracing(CpuBackend.INSTANCE), REFERENCE = new Tracing(ReferenceBackend.INSTANCE);
        private final Backend b;

        private Tracing(Backend b) {
            this.b = b;
        }

        @Override public Storage allocate(long elements) { return b.allocate(elements); }

        @Override public void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y) {
            b.conv2d(g, x, w, bias, y);
            record("conv2d " + g, "y", y);
        }
        @Override public void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx) {
            b.conv2dBackwardData(g, dy, w, dx);
            record("conv2dBackwardData " + g, "dx", dx);
        }
        @Override public void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias) {
            b.conv2dBackwardWeight(g, x, dy, dw, dbias);
            record("conv2dBackwardWeight " + g, "dw", dw);
            record("conv2dBackwardWeight " + g, "dbias", dbias);
        }
        @Override public void unfold(ConvGeometry g, Tensor x, Tensor cols) {
            b.unfold(g, x, cols);
            record("unfold " + g, "cols", cols);
        }
        @Override public void fold(ConvGeometry g, Tensor cols, Tensor x) {
            b.fold(g, cols, x);
            record("fold " + g, "x", x);
        }
        @Override public void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y) {
            b.gate(act, n, c, hw, x, y);
            record("gate " + act, "y", y);
        }
        @Override public boolean conv2dGated(ConvGeometry g, GateActivation act, Tensor x, Tensor w, Tensor bias, Tensor out) {
            boolean done = b.conv2dGated(g, act, x, w, bias, out);
            if (done) record("conv2dGated " + g, "out", out);
            return done;
        }
        @Override public void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx) {
            b.gateBackward(act, n, c, hw, x, dy, dx);
            record("gateBackward " + act, "dx", dx);
        }
        @Override public void upsample2x(int planes, int h, int w, Tensor x, Tensor y) {
            b.upsample2x(planes, h, w, x, y);
            record("upsample2x", "y", y);
        }
        @Override public void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx) {
            b.upsample2xBackward(planes, h, w, dy, dx);
            record("upsample2xBackward", "dx", dx);
        }
        @Override public void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y) {
            b.maxPool2x2(planes, h, w, x, y);
            record("maxPool2x2", "y", y);
        }
        @Override public void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx) {
            b.maxPool2x2Backward(planes, h, w, x, dy, dx);
            record("maxPool2x2Backward", "dx", dx);
        }
        @Override public void unary(UnaryOp op, double alpha, Tensor x, Tensor y) {
            b.unary(op, alpha, x, y);
            record("unary " + op, "y", y);
        }
        @Override public void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
            b.unaryBackward(op, alpha, x, y, dy, dx);
            record("unaryBackward " + op, "dx", dx);
        }
        @Override public void binary(BinaryOp op, Tensor x, Tensor y, Tensor out) {
            b.binary(op, x, y, out);
            record("binary " + op, "y", out);
        }
        @Override public void copy(Tensor src, Tensor dst, boolean accumulate) {
            b.copy(src, dst, accumulate);
            record(accumulate ? "copy (accumulate)" : "copy", "dst", dst);
        }
        @Override public void affine(Tensor x, double scale, double shift, Tensor y) {
            b.affine(x, scale, shift, y);
            record("affine", "y", y);
        }
        @Override public void axpy(double a, Tensor x, Tensor y) {
            b.axpy(a, x, y);
            record("axpy", "y", y);
        }
        @Override public void fill(Tensor y, double value) {
            b.fill(y, value);
            record("fill", "y", y);
        }
        @Override public void sum(Tensor x, Tensor out) {
            b.sum(x, out);
            record("sum", "out", out);
        }
        @Override public void l1(Tensor x, Tensor y, Tensor out) {
            b.l1(x, y, out);
            record("l1", "out", out);
        }
        @Override public void l1Backward(Tensor g, double scale, Tensor x, Tensor y, Tensor da, Tensor db) {
            b.l1Backward(g, scale, x, y, da, db);
            record("l1Backward", "da", da);
            record("l1Backward", "db", db);
        }
        @Override public double dot(Tensor x, Tensor y) {
            double d = b.dot(x, y);
            add("dot", "result", new int[0], Double.doubleToRawLongBits(d), d);
            return d;
        }
        @Override public void softmax(int outer, int axis, int inner, Tensor x, Tensor y) {
            b.softmax(outer, axis, inner, x, y);
            record("softmax", "y", y);
        }
        @Override public void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx) {
            b.softmaxBackward(outer, axis, inner, y, dy, dx);
            record("softmaxBackward", "dx", dx);
        }
        @Override public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps) {
            b.adamStep(p, g, m, v, step, lr, beta1, beta2, eps);
            record("adamStep " + step, "p", p);
            record("adamStep " + step, "m", m);
            record("adamStep " + step, "v", v);
        }
        @Override public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, long aOff, int lda,
                                   Tensor x, long bOff, int ldb, double beta, Tensor c, long cOff, int ldc) {
            b.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, x, bOff, ldb, beta, c, cOff, ldc);
            // only the m x n block at cOff is written: the rest of c may hold anything
            float[] all = values(c);
            float[] block = new float[m * n];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) block[i * n + j] = all[(int) (cOff + (long) i * ldc + j)];
            add("gemm " + (transA ? "T" : "N") + (transB ? "T" : "N") + " " + m + "x" + k + "x" + n, "c block at " + cOff,
                    new int[] {m, n}, bitHash(block), total(block));
        }
    }
}
