package sonogate.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * cuDNN's legacy convolution API through FFM downcalls (the newest JCudnn on Maven Central needs
 * libcudnn.so.8). Supported: libcudnn.so.9 (whose shim library still exports the legacy API, now
 * deprecated, from its cudnn_cnn and cudnn_ops sub-libraries) and libcudnn.so.8. NCHW float32 only.
 *
 * <p>Descriptors: tensors NCHW ({@code CUDNN_TENSOR_NCHW} = 0, {@code CUDNN_DATA_FLOAT} = 0), filters
 * [cout, cin, k, k], cross-correlation ({@code CUDNN_CROSS_CORRELATION} = 1, PyTorch's convolution).
 * The Find*Ex calls time every algorithm that fits the workspace on the real buffers; the results
 * ({@code cudnnConvolution*AlgoPerf_t}: int algo, int status, float time, size_t memory, int
 * determinism, int mathType, int[3]; 48 bytes) come back fastest first.
 */
final class Cudnn {
    static final String[] SONAMES = {"libcudnn.so.9", "libcudnn.so.8"};
    static final int NCHW = 0, FLOAT = 0, CROSS_CORRELATION = 1;
    static final int DEFAULT_MATH = 0, FMA_MATH = 3;
    static final int DETERMINISTIC = 1;
    private static final long PERF_BYTES = 48;
    private static final int MAX_ALGOS = 10;

    /** One entry of a Find result. */
    record Perf(int algo, int status, float timeMs, long memory, boolean deterministic, int mathType) {}

    private final NativeLibrary lib;
    private final MemorySegment handle;
    private final long version;
    private final MethodHandle errorString, createTensor, setTensor4d, createFilter, setFilter4d, createConv, setConv2d, setConvMath;
    private final MethodHandle findFwd, findBwdData, findBwdFilter, fwd, bwdData, bwdFilter;
    private final MemorySegment alpha = Arena.global().allocate(JAVA_FLOAT), beta = Arena.global().allocate(JAVA_FLOAT);
    private final MemorySegment perf = Arena.global().allocate(PERF_BYTES * MAX_ALGOS, 8), count = Arena.global().allocate(JAVA_INT);

    Cudnn(long stream) {
        this.lib = NativeLibrary.open("cuDNN", SONAMES);
        Linker l = Linker.nativeLinker();
        this.errorString = l.downcallHandle(lib.function("cudnnGetErrorString"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle getVersion = l.downcallHandle(lib.function("cudnnGetVersion"), FunctionDescriptor.of(JAVA_LONG));
        MethodHandle create = l.downcallHandle(lib.function("cudnnCreate"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = l.downcallHandle(lib.function("cudnnSetStream"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.createTensor = l.downcallHandle(lib.function("cudnnCreateTensorDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.setTensor4d = l.downcallHandle(lib.function("cudnnSetTensor4dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.createFilter = l.downcallHandle(lib.function("cudnnCreateFilterDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.setFilter4d = l.downcallHandle(lib.function("cudnnSetFilter4dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.createConv = l.downcallHandle(lib.function("cudnnCreateConvolutionDescriptor"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.setConv2d = l.downcallHandle(lib.function("cudnnSetConvolution2dDescriptor"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        this.setConvMath = l.downcallHandle(lib.function("cudnnSetConvolutionMathType"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        // (handle, desc, ptr, desc, ptr, conv, desc, ptr, requested, *returned, *perf, workspace, workspace bytes)
        FunctionDescriptor find = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        this.findFwd = l.downcallHandle(lib.function("cudnnFindConvolutionForwardAlgorithmEx"), find);
        this.findBwdData = l.downcallHandle(lib.function("cudnnFindConvolutionBackwardDataAlgorithmEx"), find);
        this.findBwdFilter = l.downcallHandle(lib.function("cudnnFindConvolutionBackwardFilterAlgorithmEx"), find);
        // (handle, *alpha, desc, ptr, desc, ptr, conv, algo, workspace, workspace bytes, *beta, desc, ptr)
        FunctionDescriptor run = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS);
        this.fwd = l.downcallHandle(lib.function("cudnnConvolutionForward"), run);
        this.bwdData = l.downcallHandle(lib.function("cudnnConvolutionBackwardData"), run);
        this.bwdFilter = l.downcallHandle(lib.function("cudnnConvolutionBackwardFilter"), run);
        try (Arena a = Arena.ofConfined()) {
            this.version = (long) getVersion.invokeExact();
            MemorySegment out = a.allocate(ADDRESS);
            check((int) create.invokeExact(out), "cudnnCreate");
            this.handle = out.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cudnnSetStream");
        } catch (GpuUnavailableException | CudnnException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuDNN downcall failed: " + t, t);
        }
    }

    /** e.g. 90300 for cuDNN 9.3.0 (8xyz for cuDNN 8). */
    long version() { return version; }
    String soname() { return lib.soname(); }

    static final class CudnnException extends RuntimeException {
        CudnnException(String message) {
            super(message);
        }
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String text = "status " + status;
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(status);
            text = s.reinterpret(256).getString(0);
        } catch (Throwable ignored) {
            // keep the number
        }
        throw new CudnnException(call + " failed: " + text);
    }

    private interface Call {
        int run() throws Throwable;
    }

    private void call(String name, Call c) {
        int status;
        try {
            status = c.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " downcall failed: " + t, t);
        }
        check(status, name);
    }

    private MemorySegment create(MethodHandle creator, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            call(name, () -> (int) creator.invokeExact(out));
            return out.get(ADDRESS, 0);
        }
    }

    MemorySegment tensor(int n, int c, int h, int w) {
        MemorySegment d = create(createTensor, "cudnnCreateTensorDescriptor");
        call("cudnnSetTensor4dDescriptor", () -> (int) setTensor4d.invokeExact(d, NCHW, FLOAT, n, c, h, w));
        return d;
    }

    MemorySegment filter(int k, int c, int h, int w) {
        MemorySegment d = create(createFilter, "cudnnCreateFilterDescriptor");
        call("cudnnSetFilter4dDescriptor", () -> (int) setFilter4d.invokeExact(d, FLOAT, NCHW, k, c, h, w));
        return d;
    }

    MemorySegment convolution(int pad, int stride, int dilation, int mathType) {
        MemorySegment d = create(createConv, "cudnnCreateConvolutionDescriptor");
        call("cudnnSetConvolution2dDescriptor", () -> (int) setConv2d.invokeExact(d, pad, pad, stride, stride, dilation, dilation,
                CROSS_CORRELATION, FLOAT));
        setMath(d, mathType);
        return d;
    }

    void setMath(MemorySegment conv, int mathType) {
        call("cudnnSetConvolutionMathType", () -> (int) setConvMath.invokeExact(conv, mathType));
    }

    private static MemorySegment ptr(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** Forward algorithms timed on x, w into y, fastest first. */
    Perf[] findForward(MemorySegment xd, long x, MemorySegment wd, long w, MemorySegment conv, MemorySegment yd, long y, long ws, long wsBytes) {
        call("cudnnFindConvolutionForwardAlgorithmEx", () -> (int) findFwd.invokeExact(handle, xd, ptr(x), wd, ptr(w), conv, yd, ptr(y),
                MAX_ALGOS, count, perf, ptr(ws), wsBytes));
        return results();
    }

    /** Backward-data algorithms timed on w, dy into dx (overwritten: pass scratch), fastest first. */
    Perf[] findBackwardData(MemorySegment wd, long w, MemorySegment dyd, long dy, MemorySegment conv, MemorySegment dxd, long dx, long ws, long wsBytes) {
        call("cudnnFindConvolutionBackwardDataAlgorithmEx", () -> (int) findBwdData.invokeExact(handle, wd, ptr(w), dyd, ptr(dy), conv, dxd, ptr(dx),
                MAX_ALGOS, count, perf, ptr(ws), wsBytes));
        return results();
    }

    /** Backward-filter algorithms timed on x, dy into dw (overwritten: pass scratch), fastest first. */
    Perf[] findBackwardFilter(MemorySegment xd, long x, MemorySegment dyd, long dy, MemorySegment conv, MemorySegment dwd, long dw, long ws, long wsBytes) {
        call("cudnnFindConvolutionBackwardFilterAlgorithmEx", () -> (int) findBwdFilter.invokeExact(handle, xd, ptr(x), dyd, ptr(dy), conv, dwd, ptr(dw),
                MAX_ALGOS, count, perf, ptr(ws), wsBytes));
        return results();
    }

    private Perf[] results() {
        int n = count.get(JAVA_INT, 0);
        Perf[] out = new Perf[n];
        for (int i = 0; i < n; i++) {
            long o = i * PERF_BYTES;
            out[i] = new Perf(perf.get(JAVA_INT, o), perf.get(JAVA_INT, o + 4), perf.get(JAVA_FLOAT, o + 8), perf.get(JAVA_LONG, o + 16),
                    perf.get(JAVA_INT, o + 24) == DETERMINISTIC, perf.get(JAVA_INT, o + 28));
        }
        return out;
    }

    /** y = conv(x, w) + betaV * y. */
    void forward(MemorySegment xd, long x, MemorySegment wd, long w, MemorySegment conv, int algo, long ws, long wsBytes, float betaV,
                 MemorySegment yd, long y) {
        alpha.set(JAVA_FLOAT, 0, 1f);
        beta.set(JAVA_FLOAT, 0, betaV);
        call("cudnnConvolutionForward", () -> (int) fwd.invokeExact(handle, alpha, xd, ptr(x), wd, ptr(w), conv, algo, ptr(ws), wsBytes, beta, yd, ptr(y)));
    }

    /** dx = conv^T(dy, w) + betaV * dx. */
    void backwardData(MemorySegment wd, long w, MemorySegment dyd, long dy, MemorySegment conv, int algo, long ws, long wsBytes, float betaV,
                      MemorySegment dxd, long dx) {
        alpha.set(JAVA_FLOAT, 0, 1f);
        beta.set(JAVA_FLOAT, 0, betaV);
        call("cudnnConvolutionBackwardData", () -> (int) bwdData.invokeExact(handle, alpha, wd, ptr(w), dyd, ptr(dy), conv, algo, ptr(ws), wsBytes, beta, dxd, ptr(dx)));
    }

    /** dw = corr(x, dy) + betaV * dw. */
    void backwardFilter(MemorySegment xd, long x, MemorySegment dyd, long dy, MemorySegment conv, int algo, long ws, long wsBytes, float betaV,
                        MemorySegment dwd, long dw) {
        alpha.set(JAVA_FLOAT, 0, 1f);
        beta.set(JAVA_FLOAT, 0, betaV);
        call("cudnnConvolutionBackwardFilter", () -> (int) bwdFilter.invokeExact(handle, alpha, xd, ptr(x), dyd, ptr(dy), conv, algo, ptr(ws), wsBytes, beta, dwd, ptr(dw)));
    }
}
