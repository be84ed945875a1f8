package sonogate.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import sonogate.gpu.KernelArgs.Ptr;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.UnaryOp;
import sonogate.kernels.cuda.CopyLayout;
import sonogate.kernels.cuda.CudaKernel;
import sonogate.kernels.cuda.KernelStructs;
import sonogate.tensor.Backend;
import sonogate.tensor.CpuFloatStorage;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Storage;
import sonogate.tensor.Tensor;

/**
 * float32 on one NVIDIA GPU: tensors in device memory from a caching {@link DeviceAllocator}, all
 * work queued on one stream. Convolutions are cuDNN (algorithms found once per shape, deterministic
 * by default, workspace limited); GEMMs cuBLAS; everything else the shipped kernels
 * ({@link sonogate.kernels.cuda.CudaKernel}), which follow the Java kernels' semantics (forward
 * overwrites, backward adds). Calls return once the work is queued; reading results ({@link #dot},
 * copies to the CPU, {@link Tensor#item()}) waits for the stream.
 *
 * <p>Host round trips inside a step that remain (by the ops' design, not this backend's): spectral
 * norm's sigma ({@link #dot}, once per discriminator layer and call) and contextual attention's
 * valid-patch mask (built on the host). Run and measured on an H100: README, GPU section.
 */
public final class GpuBackend implements Backend {
    /** cuDNN workspace limit (MiB), {@code -Dsonogate.cuda.workspaceMiB}. */
    static final long WORKSPACE_LIMIT = Long.getLong("sonogate.cuda.workspaceMiB", 256) << 20;
    /** Only deterministic cuDNN algorithms unless {@code -Dsonogate.cuda.deterministic=false}. */
    static final boolean DETERMINISTIC = !"false".equals(System.getProperty("sonogate.cuda.deterministic"));
    /**
     * Convolution gradients by {@link GemmConvolution} where that is timed faster than cuDNN's choice
     * ({@code auto}, the default), never ({@code off}) or always ({@code force}, for tests):
     * {@code -Dsonogate.cuda.gemmConv}.
     */
    static final String GEMM_CONV = System.getProperty("sonogate.cuda.gemmConv", "auto");
    /** One line per convolution plan on stderr: the algorithms found and their times ({@code -Dsonogate.cuda.verbose=true}). */
    static final boolean VERBOSE = Boolean.getBoolean("sonogate.cuda.verbose");

    private final CudaDriver driver;
    private final DeviceAllocator allocator;
    private final KernelLauncher kernels;
    private final Cublas blas;
    private final Cudnn dnn;
    private final GemmConvolution gemmConv;
    private final Precision precision;
    private final Map<PlanKey, ConvPlan> plans = new HashMap<>();
    private DeviceAllocator.Block workspace;
    private final MemorySegment hostScalar = Arena.global().allocate(ValueLayout.JAVA_DOUBLE);

    GpuBackend(CudaDriver driver, Precision precision) {
        this.driver = driver;
        this.precision = precision;
        this.allocator = new DeviceAllocator(driver);
        this.kernels = new KernelLauncher(driver);
        this.blas = new Cublas(driver.streamHandle(), precision);
        this.dnn = new Cudnn(driver.streamHandle());
        this.gemmConv = gemmConvolution(GemmConvolution.COLUMN_BYTES);
    }

    public DeviceAllocator allocator() { return allocator; }
    public CudaDriver driver() { return driver; }
    public Precision precision() { return precision; }

    /** Waits until every queued operation has finished (timing, memory readings). */
    @Override
    public void synchronize() {
        driver.synchronize();
    }

    /** One line: GPU, driver, libraries, precision. */
    public String describe() {
        return driver + "; " + blas.soname() + " " + blas.version() + ", " + dnn.soname() + " " + dnn.version() + "; " + precision
                + (DETERMINISTIC ? ", deterministic convolutions" : "");
    }

    // ---- addresses ---------------------------------------------------------------------------

    private static GpuStorage storage(Tensor t) {
        Storage s = t.storage();
        if (!(s instanceof GpuStorage g)) throw new IllegalArgumentException("tensor " + t + " is not on the GPU");
        return g;
    }

    /** Device address of the tensor's first element. */
    static long address(Tensor t) {
        return storage(t).address() + t.offset() * Float.BYTES;
    }

    private static Ptr ptr(Tensor t) {
        return t == null ? Ptr.NULL : new Ptr(address(t));
    }

    private static Ptr base(Tensor t) {
        return new Ptr(storage(t).address());
    }

    @Override
    public Storage allocate(long elements) {
        return new GpuStorage(allocator, allocator.allocate(elements * Float.BYTES), elements);
    }

    // ---- convolution (cuDNN) -----------------------------------------------------------------

    /**
     * Plans are per shape and per alignment: weights are views into the parameter slab at any float
     * offset, and an algorithm found on 16-byte-aligned buffers may need that alignment, so a layer
     * of the same shape with unaligned buffers gets its own Find.
     */
    private record PlanKey(ConvGeometry g, boolean aligned16) {}

    private ConvPlan plan(ConvGeometry g, Tensor... buffers) {
        boolean aligned = true;
        for (Tensor t : buffers) aligned &= t == null || address(t) % 16 == 0;
        return plans.computeIfAbsent(new PlanKey(g, aligned), k -> new ConvPlan(dnn, k.g(), precision == Precision.TF32 ? Cudnn.DEFAULT_MATH : Cudnn.FMA_MATH));
    }

    /** The persistent workspace, grown to {@code bytes} (stream order makes reusing it safe). */
    private long workspace(long bytes) {
        if (bytes == 0) return 0;
        if (workspace == null || workspace.bytes() < bytes) {
            if (workspace != null) allocator.free(workspace);
            workspace = allocator.allocate(bytes);
        }
        return workspace.address();
    }

    /** A temporary device buffer of WORKSPACE_LIMIT bytes for cuDNN's Find (outside the cache: used once per shape). */
    private interface Finder {
        Cudnn.Perf[] find(long ws, long wsBytes);
    }

    private AlgorithmChoice.Choice find(String what, Finder f) {
        long ws = driver.allocate(WORKSPACE_LIMIT);
        try {
            return AlgorithmChoice.choose(f.find(ws, WORKSPACE_LIMIT), WORKSPACE_LIMIT, DETERMINISTIC, what);
        } finally {
            driver.free(ws);
        }
    }

    @Override
    public synchronized void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y) {
        ConvPlan p = plan(g, x, w, y);
        if (p.forward == null) {
            p.forward = find("forward", (ws, n) -> dnn.findForward(p.x, address(x), p.w, address(w), p.convForward, p.y, address(y), ws, n));
            dnn.setMath(p.convForward, p.forward.perf().mathType());
            if (VERBOSE) {
                System.err.printf(java.util.Locale.ROOT, "sonogate: cuda forward %s: cuDNN algo %d (math %d, %d B workspace) %.3f ms%n", g,
                        p.forward.perf().algo(), p.forward.perf().mathType(), p.forward.perf().memory(), p.forward.perf().timeMs());
            }
        }
        long ws = p.forward.perf().memory();
        dnn.forward(p.x, address(x), p.w, address(w), p.convForward, p.forward.perf().algo(), workspace(ws), ws, 0f, p.y, address(y));
        if (bias != null) {
            int hw = g.outH() * g.outW();
            kernels.elements(CudaKernel.BIAS_ACT, (long) g.batch() * g.outChannels() * hw, g.batch(), g.outChannels(), (long) hw,
                    ptr(bias), CudaKernel.ACTIVATION_NONE, 0f, ptr(y));
        }
    }

    @Override
    public synchronized void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx) {
        ConvPlan p = plan(g, dy, w, dx);
        if (p.data == null) {
            // Find overwrites its output: a scratch copy of dx's size, at dx's alignment
            DeviceAllocator.Block scratch = allocator.allocate(g.inputSize() * Float.BYTES + 16);
            try {
                long at = scratch.address() + address(dx) % 16;
                p.data = find("backward-data", (ws, n) -> dnn.findBackwardData(p.w, address(w), p.y, address(dy), p.convData, p.x, at, ws, n));
                dnn.setMath(p.convData, p.data.perf().mathType());
                p.dataByGemm = gemmFaster("backward-data", g, p.data,
                        () -> cudnnBackwardData(p, w, dy, at), () -> gemmConv.backwardData(g, address(dy), address(w), at));
            } finally {
                allocator.free(scratch);
            }
        }
        if (p.dataByGemm) gemmConv.backwardData(g, address(dy), address(w), address(dx));
        else cudnnBackwardData(p, w, dy, address(dx));
    }

    /** The GEMM path on this backend's cuBLAS, kernels and allocator (tests use small chunks). */
    GemmConvolution gemmConvolution(long columnBytes) {
        return new GemmConvolution(blas, kernels, allocator, columnBytes);
    }

    private void cudnnBackwardData(ConvPlan p, Tensor w, Tensor dy, long dx) {
        long ws = p.data.perf().memory();
        dnn.backwardData(p.w, address(w), p.y, address(dy), p.convData, p.data.perf().algo(), workspace(ws), ws, 1f, p.x, dx);
    }

    /**
     * Whether {@link GemmConvolution} runs this gradient faster than cuDNN's chosen algorithm, both
     * timed the same way on the real inputs (into a scratch output), or as {@link #GEMM_CONV} says.
     */
    private boolean gemmFaster(String what, ConvGeometry g, AlgorithmChoice.Choice cudnn, Runnable byCudnn, Runnable byGemm) {
        if (GEMM_CONV.equals("off")) return false;
        if (GEMM_CONV.equals("force")) return true;
        double cudnnMs = timeMs(byCudnn), gemmMs = timeMs(byGemm);
        if (VERBOSE) {
            System.err.printf(java.util.Locale.ROOT, "sonogate: cuda %s %s: cuDNN algo %d (math %d, %s, %d B workspace) %.3f ms, GEMM %.3f ms%n", what, g,
                    cudnn.perf().algo(), cudnn.perf().mathType(), cudnn.deterministic() ? "deterministic" : "non-deterministic", cudnn.perf().memory(),
                    cudnnMs, gemmMs);
        }
        return gemmMs < cudnnMs;
    }

    /** The best of three synchronised runs after a warm-up, in milliseconds (once per plan, so a few runs suffice). */
    private double timeMs(Runnable work) {
        work.run();
        driver.synchronize();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            work.run();
            driver.synchronize();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best * 1e-6;
    }

    @Override
    public synchronized void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias) {
        ConvPlan p = plan(g, x, dy, dw);
        if (p.filter == null) {
            DeviceAllocator.Block scratch = allocator.allocate(g.weightSize() * Float.BYTES + 16);
            try {
                long at = scratch.address() + address(dw) % 16;
                p.filter = find("backward-filter", (ws, n) -> dnn.findBackwardFilter(p.x, address(x), p.y, address(dy), p.convFilter, p.w, at, ws, n));
                dnn.setMath(p.convFilter, p.filter.perf().mathType());
                p.filterByGemm = gemmFaster("backward-filter", g, p.filter,
                        () -> cudnnBackwardFilter(p, x, dy, at), () -> gemmConv.backwardWeight(g, address(x), address(dy), at));
            } finally {
                allocator.free(scratch);
            }
        }
        if (p.filterByGemm) gemmConv.backwardWeight(g, address(x), address(dy), address(dw));
        else cudnnBackwardFilter(p, x, dy, address(dw));
        if (dbias != null) {
            kernels.grid(CudaKernel.BIAS_GRAD, g.outChannels(), CudaKernel.REDUCE_THREADS, g.batch(), g.outChannels(),
                    (long) g.outH() * g.outW(), ptr(dy), ptr(dbias));
        }
    }

    private void cudnnBackwardFilter(ConvPlan p, Tensor x, Tensor dy, long dw) {
        long ws = p.filter.perf().memory();
        dnn.backwardFilter(p.x, address(x), p.y, address(dy), p.convFilter, p.filter.perf().algo(), workspace(ws), ws, 1f, p.w, dw);
    }

    @Override
    public void unfold(ConvGeometry g, Tensor x, Tensor cols) {
        kernels.elements(CudaKernel.IM2COL, (long) g.batch() * g.patchSize() * g.outH() * g.outW(), KernelStructs.conv(g), ptr(x), ptr(cols));
    }

    @Override
    public void fold(ConvGeometry g, Tensor cols, Tensor x) {
        kernels.elements(CudaKernel.COL2IM, g.inputSize(), KernelStructs.conv(g), ptr(cols), ptr(x));
    }

    @Override
    public void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y) {
        kernels.elements(CudaKernel.GATE_FORWARD, (long) n * c * hw, act == GateActivation.ELU ? 1 : 0, n, c, (long) hw, ptr(x), ptr(y));
    }

    @Override
    public void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx) {
        kernels.elements(CudaKernel.GATE_BACKWARD, (long) n * c * hw, act == GateActivation.ELU ? 1 : 0, n, c, (long) hw, ptr(x), ptr(dy), ptr(dx));
    }

    @Override
    public void upsample2x(int planes, int h, int w, Tensor x, Tensor y) {
        kernels.elements(CudaKernel.UPSAMPLE2X_FORWARD, 4L * planes * h * w, planes, h, w, ptr(x), ptr(y));
    }

    @Override
    public void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx) {
        kernels.elements(CudaKernel.UPSAMPLE2X_BACKWARD, (long) planes * h * w, planes, h, w, ptr(dy), ptr(dx));
    }

    // Max pooling serves only the perceptual loss's feature network, which has no CUDA kernel yet:
    // a clear refusal instead of a silent host round trip.
    @Override
    public void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("2x2 max pooling (perceptual loss) has no CUDA kernel yet; train with --perceptual none on the GPU");
    }

    @Override
    public void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("2x2 max pooling (perceptual loss) has no CUDA kernel yet; train with --perceptual none on the GPU");
    }

    // ---- element-wise ------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, double alpha, Tensor x, Tensor y) {
        kernels.elements(CudaKernel.UNARY_FORWARD, x.numel(), op.ordinal(), (float) alpha, x.numel(), ptr(x), ptr(y));
    }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        kernels.elements(CudaKernel.UNARY_BACKWARD, dx.numel(), op.ordinal(), (float) alpha, dx.numel(), ptr(x), ptr(y), ptr(dy), ptr(dx));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor y) {
        int[] shape = y.shape();
        if (shape.length > 4) throw new IllegalArgumentException("binary on the GPU: rank " + shape.length + " > 4");
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) s[i] = shape[i];
        kernels.elements(CudaKernel.BINARY4, y.numel(), op.ordinal(), KernelStructs.dims4(s, 1), base(a), a.offset(),
                KernelStructs.dims4(a.strides(), 0), base(b), b.offset(), KernelStructs.dims4(b.strides(), 0), ptr(y));
    }

    @Override
    public void copy(Tensor src, Tensor dst, boolean accumulate) {
        boolean srcHere = src.device() == Device.CUDA, dstHere = dst.device() == Device.CUDA;
        if (srcHere && dstHere) {
            copyOnDevice(src, dst, accumulate);
        } else if (dstHere) {
            upload(src, dst, accumulate);
        } else if (srcHere) {
            download(src, dst, accumulate);
        } else {
            dst.backend().copy(src, dst, accumulate);
        }
    }

    private void copyOnDevice(Tensor src, Tensor dst, boolean accumulate) {
        if (!accumulate && src.isContiguous() && dst.isContiguous()) {
            driver.copyDevice(address(dst), storage(dst).address(), address(src), storage(src).address(), src.numel() * Float.BYTES);
            return;
        }
        CopyLayout l = CopyLayout.of(src.shape(), src.strides(), dst.strides());
        kernels.elements(CudaKernel.STRIDED_COPY, l.keptCount(), l.keptStruct(), l.reducedStruct(), base(src), src.offset(),
                base(dst), dst.offset(), accumulate ? 1 : 0);
    }

    /** CPU float32 (any strides) into this device; waits until the host memory has been read. */
    private void upload(Tensor src, Tensor dst, boolean accumulate) {
        if (src.dtype() != DType.F32) throw new IllegalArgumentException("only float32 tensors move to the GPU, not " + src.dtype());
        try (Tensor host = src.isContiguous() ? null : contiguousOnCpu(src)) {
            Tensor from = host != null ? host : src;
            MemorySegment seg = from.cpuSegment().asSlice(0, from.numel() * Float.BYTES);
            if (!accumulate && dst.isContiguous()) {
                driver.upload(seg, address(dst), storage(dst).address());
                return;
            }
            try (Tensor staged = Tensor.empty(Device.CUDA, DType.F32, src.shape())) {
                driver.upload(seg, address(staged), storage(staged).address());
                copyOnDevice(staged, dst, accumulate);
            }
        }
    }

    /** This device into a CPU float32 tensor (any strides); returns when the data is there. */
    private void download(Tensor src, Tensor dst, boolean accumulate) {
        if (dst.dtype() != DType.F32) throw new IllegalArgumentException("only float32 tensors come from the GPU, not " + dst.dtype());
        try (Tensor dense = src.isContiguous() ? null : Tensor.empty(Device.CUDA, DType.F32, src.shape())) {
            Tensor from = dense != null ? dense : src;
            if (dense != null) copyOnDevice(src, dense, false);
            if (!accumulate && dst.isContiguous() && dst.storage() instanceof CpuFloatStorage) {
                driver.download(address(from), storage(from).address(), dst.cpuSegment().asSlice(0, dst.numel() * Float.BYTES));
                return;
            }
            try (Tensor host = Tensor.empty(Device.CPU, DType.F32, src.shape())) {
                driver.download(address(from), storage(from).address(), host.cpuSegment().asSlice(0, host.numel() * Float.BYTES));
                dst.backend().copy(host, dst, accumulate);
            }
        }
    }

    private static Tensor contiguousOnCpu(Tensor t) {
        Tensor c = Tensor.empty(Device.CPU, DType.F32, t.shape());
        t.backend().copy(t, c, false);
        return c;
    }

    @Override
    public void affine(Tensor x, double scale, double shift, Tensor y) {
        kernels.elements(CudaKernel.AFFINE, x.numel(), x.numel(), (float) scale, (float) shift, ptr(x), ptr(y));
    }

    @Override
    public void axpy(double a, Tensor x, Tensor y) {
        kernels.elements(CudaKernel.AXPY, x.numel(), x.numel(), (float) a, ptr(x), ptr(y));
    }

    @Override
    public void fill(Tensor y, double value) {
        kernels.elements(CudaKernel.FILL, y.numel(), y.numel(), (float) value, ptr(y));
    }

    // ---- reductions --------------------------------------------------------------------------

    /** Two deterministic passes into out (float) and/or outDouble (a device double); scratch from the cache. */
    private void reduce(int kind, float sign, Tensor a, Tensor b, Ptr out, Ptr outDouble) {
        long n = a.numel(), blocks = CudaKernel.reduceBlocks(n);
        DeviceAllocator.Block partials = allocator.allocate(blocks * Double.BYTES);
        try {
            kernels.grid(CudaKernel.REDUCE_PARTIALS, Math.toIntExact(blocks), CudaKernel.REDUCE_THREADS, kind, sign, n, ptr(a),
                    b == null ? Ptr.NULL : ptr(b), new Ptr(partials.address()));
            kernels.grid(CudaKernel.REDUCE_FINAL, 1, CudaKernel.REDUCE_THREADS, blocks, new Ptr(partials.address()), out, outDouble);
        } finally {
            allocator.free(partials);   // reused only by later work on the same stream: safe
        }
    }

    @Override
    public void sum(Tensor x, Tensor out) {
        reduce(CudaKernel.REDUCE_SUM, 0f, x, null, ptr(out), Ptr.NULL);
    }

    @Override
    public void l1(Tensor a, Tensor b, Tensor out) {
        reduce(CudaKernel.REDUCE_L1, 0f, a, b, ptr(out), Ptr.NULL);
    }

    @Override
    public void l1Backward(Tensor g, double scale, Tensor a, Tensor b, Tensor da, Tensor db) {
        if (da == null && db == null) return;
        kernels.elements(CudaKernel.L1_BACKWARD, a.numel(), a.numel(), scale, ptr(g), ptr(a), ptr(b), ptr(da), ptr(db));
    }

    /** The sum in double, copied to the host: waits for the stream. */
    @Override
    public synchronized double dot(Tensor a, Tensor b) {
        DeviceAllocator.Block result = allocator.allocate(Double.BYTES);
        try {
            reduce(CudaKernel.REDUCE_DOT, 0f, a, b, Ptr.NULL, new Ptr(result.address()));
            driver.download(result.address(), result.address(), hostScalar);
            return hostScalar.get(ValueLayout.JAVA_DOUBLE, 0);
        } finally {
            allocator.free(result);
        }
    }

    @Override
    public void normalize(Tensor t, double eps) {
        kernels.grid(CudaKernel.NORMALIZE, 1, CudaKernel.REDUCE_THREADS, t.numel(), eps, ptr(t));
    }

    @Override
    public void softmax(int outer, int axis, int inner, Tensor x, Tensor y) {
        kernels.elements(CudaKernel.SOFTMAX_FORWARD, (long) outer * inner, outer, axis, (long) inner, ptr(x), Ptr.NULL, ptr(y));
    }

    @Override
    public void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx) {
        kernels.elements(CudaKernel.SOFTMAX_BACKWARD, (long) outer * inner, outer, axis, (long) inner, ptr(y), ptr(dy), ptr(dx));
    }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps) {
        if (step < 1) throw new IllegalArgumentException("adam: step " + step);
        // as AdamKernel: the bias corrections in double, rounded to float once
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
        kernels.elements(CudaKernel.ADAM, p.numel(), p.numel(), stepSize, correction2, (float) beta1, (float) beta2, (float) eps,
                ptr(p), ptr(g), ptr(m), ptr(v));
    }

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, long aOff, int lda,
                                  Tensor b, long bOff, int ldb, double beta, Tensor c, long cOff, int ldc) {
        blas.sgemm(transA, transB, m, n, k, (float) alpha, address(a) + aOff * Float.BYTES, lda, address(b) + bOff * Float.BYTES, ldb,
                (float) beta, address(c) + cOff * Float.BYTES, ldc);
    }
}
