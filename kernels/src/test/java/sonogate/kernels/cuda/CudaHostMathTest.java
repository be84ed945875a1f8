package sonogate.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.kernels.AdamKernel;
import sonogate.kernels.Binary;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.Gating;
import sonogate.kernels.Im2col;
import sonogate.kernels.Reduce;
import sonogate.kernels.Softmax;
import sonogate.kernels.StridedCopy;
import sonogate.kernels.Unary;
import sonogate.kernels.UnaryOp;
import sonogate.kernels.Upsample;

/**
 * The CUDA kernels' math without a GPU: every kernel's per-element (or per-thread) function from
 * {@code kernels/src/main/cuda}, compiled for the CPU into {@code host_harness}, against the Java
 * CPU kernels (what the CPU backend runs) on fresh random data with ragged sizes. This checks the
 * formulas, index arithmetic, struct layouts and the op codes shared with Java; it does not check
 * the GPU wrappers (grid-stride loops, shared-memory trees) or the device's libm, which the tests
 * tagged {@code gpu} cover on a GPU. Tolerance: relative 2e-5 of the largest reference value (the
 * float Java kernels and the C library round transcendental functions differently, within ~2 ulp).
 */
class CudaHostMathTest {
    private static final double TOL = 2e-5;
    private static HostHarness harness;
    private static final long SEED = System.nanoTime();
    private final Random rnd = new Random(SEED);

    @BeforeAll
    static void build(@TempDir Path dir) throws Exception {
        harness = HostHarness.build(dir);
        assumeTrue(harness != null, "neither nvcc nor g++ is installed: cannot compile the CUDA kernels' host harness");
        System.out.println("host harness compiled with " + harness.compiler + ", seed " + SEED);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private float[] random(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * scale);
        return v;
    }

    private static MemorySegment seg(Arena a, float[] v) {
        MemorySegment s = a.allocate(Math.max(1, v.length) * 4L, 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s.asSlice(0, v.length * 4L);
    }

    private static float[] get(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    private static void close(String what, float[] cuda, float[] java) {
        assertEquals(java.length, cuda.length, what + ": length");
        double diff = 0, scale = 0;
        for (int i = 0; i < java.length; i++) {
            if (Float.isNaN(cuda[i]) != Float.isNaN(java[i])) fail(what + ": NaN mismatch at " + i + " (seed " + SEED + ")");
            if (Float.isNaN(java[i])) continue;
            diff = Math.max(diff, Math.abs((double) cuda[i] - java[i]));
            scale = Math.max(scale, Math.abs(java[i]));
        }
        double err = diff / Math.max(1e-30, scale);
        if (!(err <= TOL)) fail(what + ": relative error " + err + " > " + TOL + " (seed " + SEED + ")");
    }

    private static void closeScalar(String what, double cuda, double java, double tol) {
        double err = Math.abs(cuda - java) / Math.max(1e-30, Math.abs(java));
        if (!(err <= tol)) fail(what + ": " + cuda + " vs " + java + ", relative error " + err + " (seed " + SEED + ")");
    }

    // ---- kernels ------------------------------------------------------------------------------

    @Test
    void gating() throws Exception {
        int n = 2, c = 3 + rnd.nextInt(5), hw = 37 + rnd.nextInt(300);
        float[] x = random(2 * n * c * hw, 3), dy = random(n * c * hw, 1), dx0 = random(2 * n * c * hw, 1);
        x[0] = 0f;
        x[1] = 100f;
        x[2] = -100f;
        for (GateActivation act : GateActivation.values()) {
            long[] ints = {act == GateActivation.ELU ? 1 : 0, n, c, hw};
            try (Arena a = Arena.ofShared()) {
                MemorySegment xs = seg(a, x), y = seg(a, new float[n * c * hw]), dx = seg(a, dx0);
                Gating.forward(act, n, c, hw, xs, y);
                close("gate forward " + act, harness.floats("gate_forward", ints, new double[0], x), get(y));
                Gating.backward(act, n, c, hw, xs, seg(a, dy), dx);
                close("gate backward " + act, harness.floats("gate_backward", ints, new double[0], x, dy, dx0), get(dx));
            }
        }
    }

    @Test
    void unaryForwardAndBackward() throws Exception {
        int n = 1000 + rnd.nextInt(100);
        for (UnaryOp op : UnaryOp.values()) {
            float alpha = op == UnaryOp.LEAKY_RELU ? 0.2f : 1.0f;
            boolean positive = op == UnaryOp.SQRT || op == UnaryOp.LOG;
            float[] x = random(n, 3);
            if (positive) for (int i = 0; i < n; i++) x[i] = Math.abs(x[i]) + 0.1f;
            else x[0] = 0f;
            float[] dy = random(n, 1), dx0 = random(n, 1);
            try (Arena a = Arena.ofShared()) {
                MemorySegment xs = seg(a, x), y = seg(a, new float[n]), dx = seg(a, dx0);
                Unary.forward(op, alpha, n, xs, y);
                float[] yv = get(y);
                close("unary " + op, harness.floats("unary_forward", new long[] {op.ordinal()}, new double[] {alpha}, x), yv);
                Unary.backward(op, alpha, n, xs, y, seg(a, dy), dx);
                close("unary backward " + op, harness.floats("unary_backward", new long[] {op.ordinal()}, new double[] {alpha}, x, yv, dy, dx0), get(dx));
            }
        }
    }

    @Test
    void affineAndAxpy() throws Exception {
        int n = 777;
        float[] x = random(n, 2), y0 = random(n, 2);
        float scale = (float) rnd.nextGaussian(), shift = (float) rnd.nextGaussian();
        try (Arena a = Arena.ofShared()) {
            MemorySegment xs = seg(a, x), y = seg(a, new float[n]);
            Unary.affine(n, scale, shift, xs, y);
            close("affine", harness.floats("affine", new long[0], new double[] {scale, shift}, x), get(y));
            MemorySegment acc = seg(a, y0);
            Unary.axpy(n, scale, xs, acc);
            close("axpy", harness.floats("axpy", new long[0], new double[] {scale}, x, y0), get(acc));
        }
    }

    @Test
    void binaryWithBroadcastsAndOffsets() throws Exception {
        int[] shape = {2, 3 + rnd.nextInt(3), 5, 7 + rnd.nextInt(9)};
        int total = shape[0] * shape[1] * shape[2] * shape[3];
        long[] contiguous = {(long) shape[1] * shape[2] * shape[3], (long) shape[2] * shape[3], shape[3], 1};
        long[] perChannel = {0, 1, 0, 0};   // b is [C] broadcast over N, H, W
        int aOff = 3;
        float[] a = random(total + aOff, 2), b = random(shape[1] + 1, 2);
        for (int i = 0; i < b.length; i++) b[i] = b[i] + Math.copySign(0.5f, b[i]);   // no division by ~0
        long[] shape64 = {shape[0], shape[1], shape[2], shape[3]};
        for (BinaryOp op : BinaryOp.values()) {
            try (Arena ar = Arena.ofShared()) {
                MemorySegment y = seg(ar, new float[total]);
                Binary.forward(op, shape, seg(ar, a), aOff, contiguous, seg(ar, b), 1, perChannel, y);
                float[] cuda = harness.floats("binary4", new long[] {op.ordinal(), aOff, 1}, new double[0],
                        KernelStructs.dims4(shape64, 1), a, KernelStructs.dims4(contiguous, 0), b, KernelStructs.dims4(perChannel, 0));
                close("binary " + op, cuda, get(y));
            }
        }
    }

    @Test
    void biasActivationAndBiasGradient() throws Exception {
        int n = 3, c = 5, hw = 33 + rnd.nextInt(40);
        float[] bias = random(c, 1), y0 = random(n * c * hw, 2), dy = random(n * c * hw, 1), db0 = random(c, 1);
        float[] expect = new float[y0.length];
        for (int i = 0; i < y0.length; i++) {
            float v = y0[i] + bias[(i / hw) % c];
            expect[i] = v > 0 ? v : (float) Math.expm1(v);      // ELU, alpha 1
        }
        close("bias + ELU", harness.floats("bias_act", new long[] {n, c, hw, UnaryOp.ELU.ordinal()}, new double[] {1.0}, bias, y0), expect);
        float[] plain = new float[y0.length];
        for (int i = 0; i < y0.length; i++) plain[i] = y0[i] + bias[(i / hw) % c];
        close("bias only", harness.floats("bias_act", new long[] {n, c, hw, CudaKernel.ACTIVATION_NONE}, new double[] {1.0}, bias, y0), plain);
        float[] db = db0.clone();
        for (int i = 0; i < dy.length; i++) db[(i / hw) % c] += dy[i];
        close("bias gradient", harness.floats("bias_grad", new long[] {n, c, hw}, new double[0], dy, db0), db);
    }

    @Test
    void stridedCopyTransposeAndBroadcastSum() throws Exception {
        // transpose: src [A, B] read as [B, A]
        int aDim = 3 + rnd.nextInt(4), bDim = 5 + rnd.nextInt(6);
        float[] src = random(aDim * bDim + 2, 1), dst0 = random(aDim * bDim + 1, 1);
        checkCopy("transpose", new int[] {bDim, aDim}, src, 2, new long[] {1, bDim}, dst0, 1, new long[] {aDim, 1}, false);
        checkCopy("transpose accumulate", new int[] {bDim, aDim}, src, 2, new long[] {1, bDim}, dst0, 1, new long[] {aDim, 1}, true);
        // broadcast gradient: sum [N, C, H, W] into [1, C, 1, 1] (dst stride 0 on N, H, W)
        int n = 2, c = 4, h = 3, w = 5;
        float[] g = random(n * c * h * w, 1), db0 = random(c, 1);
        checkCopy("broadcast sum", new int[] {n, c, h, w}, g, 0, new long[] {c * h * w, h * w, w, 1}, db0, 0, new long[] {0, 1, 0, 0}, true);
        checkCopy("broadcast last", new int[] {n, c, h, w}, g, 0, new long[] {c * h * w, h * w, w, 1}, db0, 0, new long[] {0, 1, 0, 0}, false);
    }

    private void checkCopy(String what, int[] shape, float[] src, long srcOff, long[] ss, float[] dst0, long dstOff, long[] ds,
                           boolean acc) throws Exception {
        try (Arena a = Arena.ofShared()) {
            MemorySegment dst = seg(a, dst0);
            StridedCopy.copy(shape, seg(a, src), srcOff, ss, dst, dstOff, ds, acc);
            CopyLayout l = CopyLayout.of(shape, ss, ds);
            float[] cuda = harness.floats("strided_copy", new long[] {srcOff, dstOff, acc ? 1 : 0}, new double[0],
                    l.keptStruct(), l.reducedStruct(), src, dst0);
            close("strided copy " + what, cuda, get(dst));
        }
    }

    @Test
    void reductionsSumL1DotHinge() throws Exception {
        for (int n : new int[] {1, 4095, 4096, 4097, 3 * 4096 + 17, 300_001}) {
            float[] a = random(n, 1), b = random(n, 1);
            double[] sum = new double[n], l1 = new double[n], dot = new double[n], hingeP = new double[n], hingeN = new double[n];
            for (int i = 0; i < n; i++) {
                sum[i] = a[i];
                l1[i] = Math.abs(a[i] - b[i]);          // float subtraction, as both kernels do
                dot[i] = (double) a[i] * b[i];
                hingeP[i] = Math.max(0, 1 + a[i]);
                hingeN[i] = Math.max(0, 1 - a[i]);
            }
            try (Arena ar = Arena.ofShared()) {
                MemorySegment as = seg(ar, a), bs = seg(ar, b);
                checkReduce("sum n=" + n, CudaKernel.REDUCE_SUM, 0, a, b, sum, Reduce.sum(n, as));
                checkReduce("l1 n=" + n, CudaKernel.REDUCE_L1, 0, a, b, l1, Reduce.l1(n, as, bs));
                checkReduce("dot n=" + n, CudaKernel.REDUCE_DOT, 0, a, b, dot, Reduce.dot(n, as, bs));
            }
            checkReduce("hinge +1 n=" + n, CudaKernel.REDUCE_HINGE, 1f, a, b, hingeP, Double.NaN);
            checkReduce("hinge -1 n=" + n, CudaKernel.REDUCE_HINGE, -1f, a, b, hingeN, Double.NaN);
        }
    }

    /**
     * The double result against the exact sum of the terms (to 1e-12 of sum |term|: only the
     * order of double additions differs), the float result against the Java kernel (to 1e-6 of
     * sum |term|: the Java kernel sums float partials).
     */
    private void checkReduce(String what, int kind, float sign, float[] a, float[] b, double[] terms, double javaKernel) throws Exception {
        List<HostHarness.Out> out = harness.call("reduce", new long[] {kind}, new double[] {sign}, a, b);
        double exact = 0, scale = 0;
        for (double t : terms) {
            exact += t;
            scale += Math.abs(t);
        }
        scale = Math.max(scale, 1e-30);
        double cudaDouble = out.get(1).doubles()[0], cudaFloat = out.get(0).floats()[0];
        if (!(Math.abs(cudaDouble - exact) <= 1e-12 * scale)) fail(what + ": double " + cudaDouble + " vs " + exact + " (seed " + SEED + ")");
        assertEquals((float) cudaDouble, cudaFloat, what + ": the float result is the double rounded");
        if (!Double.isNaN(javaKernel) && !(Math.abs(cudaFloat - javaKernel) <= 1e-6 * scale)) {
            fail(what + ": " + cudaFloat + " vs the Java kernel's " + javaKernel + " (seed " + SEED + ")");
        }
    }

    @Test
    void l1Backward() throws Exception {
        int n = 1234;
        float[] a = random(n, 1), b = a.clone(), da0 = random(n, 1), db0 = random(n, 1);
        for (int i = 0; i < n; i += 3) b[i] = (float) rnd.nextGaussian();   // equal elsewhere: sign 0
        double scale = 1.0 / n, g = 0.75;
        try (Arena ar = Arena.ofShared()) {
            MemorySegment da = seg(ar, da0), db = seg(ar, db0);
            Reduce.l1Backward(n, (float) (scale * g), seg(ar, a), seg(ar, b), da, db);
            List<HostHarness.Out> out = harness.call("l1_backward", new long[0], new double[] {scale, g}, a, b, da0, db0);
            close("l1 backward da", out.get(0).floats(), get(da));
            close("l1 backward db", out.get(1).floats(), get(db));
        }
    }

    @Test
    void normalizeAsSpectralNorm() throws Exception {
        int n = 1 + rnd.nextInt(3000);
        float[] v = random(n, 3);
        try (Arena ar = Arena.ofShared()) {
            MemorySegment s = seg(ar, v);
            double norm = Math.sqrt(Reduce.dot(n, s, s));                // SpectralNormOp.normalize
            Unary.affine(n, (float) (1.0 / Math.max(norm, 1e-12)), 0f, s, s);
            close("normalize", harness.floats("normalize", new long[0], new double[] {1e-12}, v), get(s));
        }
    }

    @Test
    void softmaxRowsColumnsAndMask() throws Exception {
        int[][] shapes = {{7, 33, 1}, {3, 9, 17}, {2, 130, 5}};
        for (int[] s : shapes) {
            int outer = s[0], axis = s[1], inner = s[2], total = outer * axis * inner;
            float[] x = random(total, 4), dy = random(total, 1), dx0 = random(total, 1);
            try (Arena a = Arena.ofShared()) {
                MemorySegment y = seg(a, new float[total]), dx = seg(a, dx0);
                Softmax.forward(outer, axis, inner, seg(a, x), y);
                float[] yv = get(y);
                long[] dims = {outer, axis, inner};
                close("softmax " + java.util.Arrays.toString(s), harness.floats("softmax_forward", dims, new double[0], x, null), yv);
                Softmax.backward(outer, axis, inner, y, seg(a, dy), dx);
                close("softmax backward " + java.util.Arrays.toString(s), harness.floats("softmax_backward", dims, new double[0], yv, dy, dx0), get(dx));
            }
            // masked: positions with mask 0 get probability 0; the rest is the softmax over allowed positions
            float[] mask = new float[axis];
            for (int i = 0; i < axis; i++) mask[i] = rnd.nextInt(3) == 0 ? 0f : 1f;
            mask[0] = 1f;
            float[] expect = new float[total];
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < inner; j++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int k = 0; k < axis; k++) if (mask[k] != 0) max = Math.max(max, x[(o * axis + k) * inner + j]);
                    for (int k = 0; k < axis; k++) if (mask[k] != 0) sum += Math.exp(x[(o * axis + k) * inner + j] - max);
                    for (int k = 0; k < axis; k++) {
                        expect[(o * axis + k) * inner + j] = mask[k] != 0 ? (float) (Math.exp(x[(o * axis + k) * inner + j] - max) / sum) : 0f;
                    }
                }
            }
            close("masked softmax", harness.floats("softmax_forward", new long[] {outer, axis, inner}, new double[0], x, mask), expect);
        }
    }

    @Test
    void upsample() throws Exception {
        int planes = 3, h = 5 + rnd.nextInt(4), w = 7 + rnd.nextInt(9);
        float[] x = random(planes * h * w, 1), dy = random(planes * 4 * h * w, 1), dx0 = random(planes * h * w, 1);
        try (Arena a = Arena.ofShared()) {
            MemorySegment y = seg(a, new float[planes * 4 * h * w]), dx = seg(a, dx0);
            Upsample.forward(planes, h, w, seg(a, x), y);
            long[] dims = {planes, h, w};
            close("upsample", harness.floats("upsample_forward", dims, new double[0], x), get(y));
            Upsample.backward(planes, h, w, seg(a, dy), dx);
            close("upsample backward", harness.floats("upsample_backward", dims, new double[0], dy, dx0), get(dx));
        }
    }

    @Test
    void im2colAndCol2im() throws Exception {
        ConvGeometry[] gs = {
            new ConvGeometry(2, 3, 9, 11, 4, 3, 1, 1, 1),
            new ConvGeometry(1, 2, 12, 10, 4, 3, 2, 1, 1),
            new ConvGeometry(1, 2, 13, 13, 4, 3, 1, 4, 4),
            new ConvGeometry(2, 1, 8, 8, 1, 5, 1, 2, 1),
        };
        for (ConvGeometry g : gs) {
            int colsLen = g.batch() * g.patchSize() * g.outH() * g.outW();
            float[] x = random((int) g.inputSize(), 1), cols = random(colsLen, 1), x0 = random((int) g.inputSize(), 1);
            try (Arena a = Arena.ofShared()) {
                MemorySegment c = seg(a, new float[colsLen]), xs = seg(a, x0);
                Im2col.unfold(g, seg(a, x), c);
                close("im2col " + g, harness.floats("im2col", new long[0], new double[0], KernelStructs.conv(g), x), get(c));
                Im2col.fold(g, seg(a, cols), xs);
                close("col2im " + g, harness.floats("col2im", new long[0], new double[0], KernelStructs.conv(g), cols, x0), get(xs));
            }
        }
    }

    @Test
    void adamMatchesTheJavaKernel() throws Exception {
        int n = 5000 + rnd.nextInt(100), t = 1 + rnd.nextInt(20);
        float lr = 1e-3f, b1 = 0.5f, b2 = 0.999f, eps = 1e-8f;
        float[] p = random(n, 1), g = random(n, 0.1), m = random(n, 0.01), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Math.abs((float) rnd.nextGaussian()) * 1e-4f;
        try (Arena a = Arena.ofShared()) {
            MemorySegment ps = seg(a, p), ms = seg(a, m), vs = seg(a, v);
            AdamKernel.step(n, t, lr, b1, b2, eps, ps, seg(a, g), ms, vs);
            float stepSize = (float) (lr / (1 - Math.pow(b1, t))), correction2 = (float) Math.sqrt(1 - Math.pow(b2, t));
            List<HostHarness.Out> out = harness.call("adam", new long[0], new double[] {stepSize, correction2, b1, b2, eps}, p, g, m, v);
            close("adam p", out.get(0).floats(), get(ps));
            close("adam m", out.get(1).floats(), get(ms));
            close("adam v", out.get(2).floats(), get(vs));
        }
    }
}
