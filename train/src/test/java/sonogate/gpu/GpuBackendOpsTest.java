package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.gpu.GpuTestSupport.onGpu;
import static sonogate.gpu.GpuTestSupport.randomCpu;
import static sonogate.gpu.GpuTestSupport.relativeError;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.UnaryOp;
import sonogate.tensor.Backend;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tensor;

/**
 * Every {@link Backend} operation of the GPU backend against the CPU backend on the same fresh
 * random inputs (float32: relative error <= 1e-4 of the largest CPU value). Needs a GPU; skipped
 * with the reason otherwise.
 */
@Tag("gpu")
class GpuBackendOpsTest {
    private static final double TOL = 1e-4;
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);
    private GpuBackend gpu;
    private final Backend cpu = Backend.of(Device.CPU, DType.F32);
    private Scope scope;

    @BeforeEach
    void start() {
        gpu = GpuTestSupport.backendOrSkip();
        scope = Scope.open();
    }

    @AfterEach
    void end() {
        if (scope != null) scope.close();
    }

    private void same(String what, Tensor onGpu, Tensor onCpu, double tol) {
        double e = relativeError(onGpu.toFloatArray(), onCpu.toFloatArray());
        assertTrue(e <= tol, what + ": relative error " + e + " > " + tol + " (seed " + seed + ")");
    }

    private void same(String what, Tensor onGpu, Tensor onCpu) {
        same(what, onGpu, onCpu, TOL);
    }

    @Test
    void convolutionForwardAndBothGradients() {
        ConvGeometry[] shapes = {
            new ConvGeometry(2, 3, 33, 31, 8, 5, 1, 2, 1),
            new ConvGeometry(2, 8, 32, 32, 16, 3, 2, 1, 1),
            new ConvGeometry(1, 12, 17, 19, 12, 3, 1, 4, 4),
            new ConvGeometry(3, 6, 16, 16, 1, 3, 1, 1, 1),
        };
        for (ConvGeometry g : shapes) {
            Tensor x = randomCpu(rng, 1, g.batch(), g.inChannels(), g.inH(), g.inW());
            Tensor w = randomCpu(rng, 0.2, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
            Tensor b = randomCpu(rng, 1, g.outChannels());
            Tensor dy = randomCpu(rng, 1, g.batch(), g.outChannels(), g.outH(), g.outW());
            Tensor gx = onGpu(x), gw = onGpu(w), gb = onGpu(b), gdy = onGpu(dy);
            Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outH(), g.outW()), gy = Tensor.emptyLike(gdy);
            cpu.conv2d(g, x, w, b, y);
            gpu.conv2d(g, gx, gw, gb, gy);
            same("conv2d " + g, gy, y);
            Tensor dx = randomCpu(rng, 1, x.shape()), gdx = onGpu(dx);      // backward ADDs into what is there
            cpu.conv2dBackwardData(g, dy, w, dx);
            gpu.conv2dBackwardData(g, gdy, gw, gdx);
            same("conv2d backward data " + g, gdx, dx);
            Tensor dw = randomCpu(rng, 1, w.shape()), db = randomCpu(rng, 1, b.shape()), gdw = onGpu(dw), gdb = onGpu(db);
            cpu.conv2dBackwardWeight(g, x, dy, dw, db);
            gpu.conv2dBackwardWeight(g, gx, gdy, gdw, gdb);
            same("conv2d backward weight " + g, gdw, dw);
            same("conv2d backward bias " + g, gdb, db);
        }
    }

    /** The GEMM path a plan may pick instead of cuDNN, whole batches and one sample per chunk. */
    @Test
    void gemmConvolutionGradients() {
        ConvGeometry[] shapes = {
            new ConvGeometry(2, 3, 33, 31, 8, 5, 1, 2, 1),
            new ConvGeometry(3, 8, 32, 32, 16, 3, 2, 1, 1),
            new ConvGeometry(2, 12, 17, 19, 24, 3, 1, 4, 4),
            new ConvGeometry(3, 1, 40, 40, 1, 3, 1, 1, 1),
            new ConvGeometry(6, 2, 24, 20, 16, 5, 2, 2, 1),      // the discriminator's layers: k5 s2 p2
        };
        for (long columnBytes : new long[] {GemmConvolution.COLUMN_BYTES, 1}) {
            GemmConvolution gemm = gpu.gemmConvolution(columnBytes);
            for (ConvGeometry g : shapes) {
                Tensor x = randomCpu(rng, 1, g.batch(), g.inChannels(), g.inH(), g.inW());
                Tensor w = randomCpu(rng, 0.2, g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
                Tensor dy = randomCpu(rng, 1, g.batch(), g.outChannels(), g.outH(), g.outW());
                Tensor dx = randomCpu(rng, 1, x.shape()), gdx = onGpu(dx);      // both passes ADD into what is there
                cpu.conv2dBackwardData(g, dy, w, dx);
                gemm.backwardData(g, GpuBackend.address(onGpu(dy)), GpuBackend.address(onGpu(w)), GpuBackend.address(gdx));
                same("GEMM backward data " + g + " chunk bytes " + columnBytes, gdx, dx);
                Tensor dw = randomCpu(rng, 1, w.shape()), gdw = onGpu(dw);
                cpu.conv2dBackwardWeight(g, x, dy, dw, null);
                gemm.backwardWeight(g, GpuBackend.address(onGpu(x)), GpuBackend.address(onGpu(dy)), GpuBackend.address(gdw));
                same("GEMM backward weight " + g + " chunk bytes " + columnBytes, gdw, dw);
            }
        }
    }

    @Test
    void unfoldAndFold() {
        ConvGeometry g = new ConvGeometry(2, 5, 13, 11, 1, 3, 2, 1, 2);
        Tensor x = randomCpu(rng, 1, g.batch(), g.inChannels(), g.inH(), g.inW());
        Tensor cols = Tensor.empty(g.batch(), g.patchSize(), g.outH() * g.outW()), gcols = Tensor.empty(Device.CUDA, DType.F32, cols.shape());
        cpu.unfold(g, x, cols);
        gpu.unfold(g, onGpu(x), gcols);
        same("unfold", gcols, cols);
        Tensor c = randomCpu(rng, 1, cols.shape()), acc = randomCpu(rng, 1, x.shape()), gacc = onGpu(acc);
        cpu.fold(g, c, acc);
        gpu.fold(g, onGpu(c), gacc);
        same("fold", gacc, acc);
    }

    @Test
    void gatingBothActivations() {
        int n = 2, c = 7, hw = 37 * 29;
        for (GateActivation act : GateActivation.values()) {
            Tensor x = randomCpu(rng, 3, n, 2 * c, hw), dy = randomCpu(rng, 1, n, c, hw), dx = randomCpu(rng, 1, n, 2 * c, hw);
            Tensor y = Tensor.empty(n, c, hw), gy = Tensor.empty(Device.CUDA, DType.F32, n, c, hw), gdx = onGpu(dx);
            cpu.gate(act, n, c, hw, x, y);
            gpu.gate(act, n, c, hw, onGpu(x), gy);
            same("gate " + act, gy, y);
            cpu.gateBackward(act, n, c, hw, x, dy, dx);
            gpu.gateBackward(act, n, c, hw, onGpu(x), onGpu(dy), gdx);
            same("gate backward " + act, gdx, dx);
        }
    }

    @Test
    void upsample() {
        int planes = 6, h = 17, w = 23;
        Tensor x = randomCpu(rng, 1, planes, h, w), y = Tensor.empty(planes, 2 * h, 2 * w), gy = Tensor.empty(Device.CUDA, DType.F32, planes, 2 * h, 2 * w);
        cpu.upsample2x(planes, h, w, x, y);
        gpu.upsample2x(planes, h, w, onGpu(x), gy);
        same("upsample", gy, y);
        Tensor dy = randomCpu(rng, 1, y.shape()), dx = randomCpu(rng, 1, x.shape()), gdx = onGpu(dx);
        cpu.upsample2xBackward(planes, h, w, dy, dx);
        gpu.upsample2xBackward(planes, h, w, onGpu(dy), gdx);
        same("upsample backward", gdx, dx);
    }

    @Test
    void unaryForwardAndBackward() {
        int n = 100_003;
        for (UnaryOp op : UnaryOp.values()) {
            double alpha = op == UnaryOp.LEAKY_RELU ? 0.2 : 1.0;
            Tensor x = randomCpu(rng, 2, n);
            if (op == UnaryOp.SQRT || op == UnaryOp.LOG) {
                cpu.unary(UnaryOp.ABS, 0, x, x);
                cpu.affine(x, 1, 0.1, x);
            }
            Tensor y = Tensor.empty(n), gx = onGpu(x), gy = Tensor.empty(Device.CUDA, DType.F32, n);
            cpu.unary(op, alpha, x, y);
            gpu.unary(op, alpha, gx, gy);
            same("unary " + op, gy, y);
            Tensor dy = randomCpu(rng, 1, n), dx = randomCpu(rng, 1, n), gdx = onGpu(dx);
            cpu.unaryBackward(op, alpha, x, y, dy, dx);
            gpu.unaryBackward(op, alpha, gx, gy, onGpu(dy), gdx);
            same("unary backward " + op, gdx, dx);
        }
    }

    @Test
    void binaryWithBroadcasting() {
        int[] shape = {3, 5, 7, 11};
        Tensor a = randomCpu(rng, 1, shape);
        Tensor b = randomCpu(rng, 1, 1, 5, 1, 1);
        cpu.affine(b, 1, 3, b);                          // away from 0 for DIV
        Tensor bView = b.view(0, shape, new long[] {0, 1, 0, 0}), gb = onGpu(b), gbView = gb.view(0, shape, new long[] {0, 1, 0, 0});
        for (BinaryOp op : BinaryOp.values()) {
            Tensor y = Tensor.empty(shape), gy = Tensor.empty(Device.CUDA, DType.F32, shape);
            cpu.binary(op, a, bView, y);
            gpu.binary(op, onGpu(a), gbView, gy);
            same("binary " + op, gy, y);
        }
    }

    @Test
    void stridedCopiesAndTransfers() {
        Tensor src = randomCpu(rng, 1, 4, 6, 5), gsrc = onGpu(src);
        assertArrayEquals(src.toFloatArray(), gsrc.toFloatArray(), "host -> device -> host round trip is exact");
        long[] t = {5, 30, 1};                         // a permuted view [6, 4, 5] of [4, 6, 5]
        Tensor view = src.view(0, new int[] {6, 4, 5}, new long[] {5, 30, 1}), gview = gsrc.view(0, new int[] {6, 4, 5}, t);
        Tensor dst = Tensor.empty(6, 4, 5), gdst = Tensor.empty(Device.CUDA, DType.F32, 6, 4, 5);
        cpu.copy(view, dst, false);
        gpu.copy(gview, gdst, false);
        same("permuted copy", gdst, dst, 0);
        // broadcast gradient: sum over dims 0 and 2 into [1, 6, 1] (dst stride 0)
        Tensor acc = randomCpu(rng, 1, 6), gacc = onGpu(acc);
        Tensor accView = acc.view(0, new int[] {4, 6, 5}, new long[] {0, 1, 0}), gaccView = gacc.view(0, new int[] {4, 6, 5}, new long[] {0, 1, 0});
        cpu.copy(src, accView, true);
        gpu.copy(gsrc, gaccView, true);
        same("broadcast sum", gacc, acc);
        // a strided GPU view to a CPU tensor and back
        Tensor back = Tensor.empty(6, 4, 5);
        gpu.copy(gview, back, false);
        same("device view to host", back, dst, 0);
    }

    @Test
    void affineAxpyFill() {
        int n = 54_321;
        Tensor x = randomCpu(rng, 1, n), y = randomCpu(rng, 1, n), gx = onGpu(x), gy = onGpu(y);
        cpu.affine(x, 1.7, -0.3, y);
        gpu.affine(gx, 1.7, -0.3, gy);
        same("affine", gy, y);
        cpu.axpy(-0.9, x, y);
        gpu.axpy(-0.9, gx, gy);
        same("axpy", gy, y);
        cpu.fill(y, 2.5);
        gpu.fill(gy, 2.5);
        same("fill", gy, y, 0);
    }

    @Test
    void reductionsAndNormalize() {
        for (int n : new int[] {1, 4097, 1_000_003}) {
            Tensor a = randomCpu(rng, 1, n), b = randomCpu(rng, 1, n), ga = onGpu(a), gb = onGpu(b);
            Tensor s = Tensor.empty(), gs = Tensor.empty(Device.CUDA, DType.F32);
            cpu.sum(a, s);
            gpu.sum(ga, gs);
            same("sum n=" + n, gs, s, 1e-5);
            cpu.l1(a, b, s);
            gpu.l1(ga, gb, gs);
            same("l1 n=" + n, gs, s, 1e-5);
            double d = cpu.dot(a, b), gd = gpu.dot(ga, gb), scale = 0;
            float[] av = a.toFloatArray(), bv = b.toFloatArray();
            for (int i = 0; i < n; i++) scale += Math.abs((double) av[i] * bv[i]);
            assertTrue(Math.abs(d - gd) <= 1e-6 * scale, "dot n=" + n + ": " + gd + " vs " + d + " (seed " + seed + ")");
            Tensor g = Tensor.of(new float[] {0.37f}), gg = onGpu(g);
            Tensor da = randomCpu(rng, 1, n), db = randomCpu(rng, 1, n), gda = onGpu(da), gdb = onGpu(db);
            cpu.l1Backward(g, 1.0 / n, a, b, da, db);
            gpu.l1Backward(gg, 1.0 / n, ga, gb, gda, gdb);
            same("l1 backward da n=" + n, gda, da);
            same("l1 backward db n=" + n, gdb, db);
            cpu.normalize(a, 1e-12);
            gpu.normalize(ga, 1e-12);
            same("normalize n=" + n, ga, a);
        }
    }

    @Test
    void softmaxBothLayouts() {
        for (int[] s : new int[][] {{64, 300, 1}, {4, 50, 257}}) {
            Tensor x = randomCpu(rng, 3, s[0], s[1], s[2]), y = Tensor.empty(s[0], s[1], s[2]), gy = Tensor.empty(Device.CUDA, DType.F32, s[0], s[1], s[2]);
            cpu.softmax(s[0], s[1], s[2], x, y);
            gpu.softmax(s[0], s[1], s[2], onGpu(x), gy);
            same("softmax", gy, y);
            Tensor dy = randomCpu(rng, 1, y.shape()), dx = randomCpu(rng, 1, y.shape()), gdx = onGpu(dx);
            cpu.softmaxBackward(s[0], s[1], s[2], y, dy, dx);
            gpu.softmaxBackward(s[0], s[1], s[2], gy, onGpu(dy), gdx);
            same("softmax backward", gdx, dx);
        }
    }

    @Test
    void adamSeveralSteps() {
        int n = 200_001;
        Tensor p = randomCpu(rng, 1, n), m = Tensor.zeros(n), v = Tensor.zeros(n);
        Tensor gp = onGpu(p), gm = onGpu(m), gv = onGpu(v);
        for (int step = 1; step <= 5; step++) {
            Tensor g = randomCpu(rng, 0.1, n);
            cpu.adamStep(p, g, m, v, step, 2e-4, 0.5, 0.999, 1e-8);
            gpu.adamStep(gp, onGpu(g), gm, gv, step, 2e-4, 0.5, 0.999, 1e-8);
        }
        same("adam p", gp, p);
        same("adam m", gm, m);
        same("adam v", gv, v);
    }

    @Test
    void gemmAllTranspositionsWithOffsets() {
        int m = 37, n = 129, k = 65;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = randomCpu(rng, 1, m * k + 3), b = randomCpu(rng, 1, k * n + 5), c = randomCpu(rng, 1, m * n + 2);
                Tensor gc = onGpu(c);
                int lda = ta ? m : k, ldb = tb ? k : n;
                cpu.gemm(ta, tb, m, n, k, 0.7, a, 3, lda, b, 5, ldb, 0.5, c, 2, n);
                gpu.gemm(ta, tb, m, n, k, 0.7, onGpu(a), 3, lda, onGpu(b), 5, ldb, 0.5, gc, 2, n);
                same("gemm ta=" + ta + " tb=" + tb, gc, c);
            }
        }
    }

    @Test
    void tf32MatrixWorkWithinItsTolerance() {
        // A second backend on the same device with TF32 convolutions and GEMMs: 3e-3 (the bound).
        GpuBackend tf32 = new GpuBackend(gpu.driver(), Precision.TF32);
        ConvGeometry g = new ConvGeometry(2, 48, 32, 32, 96, 3, 1, 1, 1);
        Tensor x = randomCpu(rng, 1, g.batch(), g.inChannels(), g.inH(), g.inW()), w = randomCpu(rng, 0.05, g.outChannels(), g.inChannels(), 3, 3);
        Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outH(), g.outW()), gy = Tensor.empty(Device.CUDA, DType.F32, y.shape());
        cpu.conv2d(g, x, w, null, y);
        tf32.conv2d(g, onGpu(x), onGpu(w), null, gy);
        same("TF32 conv2d", gy, y, 3e-3);
        int m = 256, n = 256, k = 512;
        Tensor a = randomCpu(rng, 1, m * k), b = randomCpu(rng, 1, k * n), c = Tensor.zeros(m * n), gc = Tensor.zeros(Device.CUDA, DType.F32, m * n);
        cpu.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
        tf32.gemm(false, false, m, n, k, 1, onGpu(a), 0, k, onGpu(b), 0, n, 0, gc, 0, n);
        same("TF32 gemm", gc, c, 3e-3);
    }
}
