package sonogate.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through FFM downcalls (JCublas on Maven Central needs libcublas.so.12's versioned symbols and
 * does not load against CUDA 13): one handle bound to the backend's stream, single-precision GEMM on
 * row-major operands (the Backend's gemm is one matrix product; batched GEMM is not used yet).
 * Supported: libcublas.so.13 (CUDA 13) and libcublas.so.12 (CUDA 12); the {@code _v2} entry points
 * used here exist in both.
 *
 * <p>Row-major C = op(A) op(B) is computed as the column-major C^T = op(B)^T op(A)^T, i.e. cuBLAS is
 * called with the operands swapped. Scalars are passed by host pointer (the default pointer mode).
 */
final class Cublas {
    static final String[] SONAMES = {"libcublas.so.13", "libcublas.so.12"};
    private static final int OP_N = 0, OP_T = 1;
    private static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    private final NativeLibrary lib;
    private final MemorySegment handle;
    private final MethodHandle sgemm, statusString;
    // Host scalars for alpha and beta, reused (calls are serialised by the backend's lock).
    private final MemorySegment alpha = Arena.global().allocate(JAVA_FLOAT), beta = Arena.global().allocate(JAVA_FLOAT);
    private final int version;

    Cublas(long stream, Precision precision) {
        this.lib = NativeLibrary.open("cuBLAS", SONAMES);
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(lib.function("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = linker.downcallHandle(lib.function("cublasSetStream_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle setMath = linker.downcallHandle(lib.function("cublasSetMathMode"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        MethodHandle getVersion = linker.downcallHandle(lib.function("cublasGetVersion_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        this.statusString = linker.downcallHandle(lib.function("cublasGetStatusString"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        this.sgemm = linker.downcallHandle(lib.function("cublasSgemm_v2"), FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) create.invokeExact(out), "cublasCreate");
            this.handle = out.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream");
            check((int) setMath.invokeExact(handle, precision == Precision.TF32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
            MemorySegment v = a.allocate(JAVA_INT);
            check((int) getVersion.invokeExact(handle, v), "cublasGetVersion");
            this.version = v.get(JAVA_INT, 0);
        } catch (GpuUnavailableException | CublasException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS downcall failed: " + t, t);
        }
    }

    /** cuBLAS's version number, e.g. 130000 for 13.0.0. */
    int version() { return version; }
    String soname() { return lib.soname(); }

    static final class CublasException extends RuntimeException {
        CublasException(String message) {
            super(message);
        }
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String text = "status " + status;
        try {
            MemorySegment s = (MemorySegment) statusString.invokeExact(status);
            text = s.reinterpret(256).getString(0);
        } catch (Throwable ignored) {
            // keep the number
        }
        throw new CublasException(call + " failed: " + text);
    }

    /**
     * Row-major C[m x n] = alpha op(A) op(B) + beta C with op(A) m x k, op(B) k x n; lda, ldb, ldc are
     * the row-major leading dimensions (row lengths as stored). Addresses are device addresses.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alphaV, long a, int lda, long b, int ldb,
               float betaV, long c, int ldc) {
        alpha.set(JAVA_FLOAT, 0, alphaV);
        beta.set(JAVA_FLOAT, 0, betaV);
        try {
            check((int) sgemm.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k, alpha,
                    MemorySegment.ofAddress(b), ldb, MemorySegment.ofAddress(a), lda, beta, MemorySegment.ofAddress(c), ldc), "cublasSgemm");
        } catch (CublasException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublasSgemm downcall failed: " + t, t);
        }
    }
}
