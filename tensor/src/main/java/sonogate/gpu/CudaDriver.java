package sonogate.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA driver API through JCuda: one device, its primary context, one stream, the kernel module,
 * device memory and copies. Every call's result is checked; a failure is a {@link CudaException}
 * naming the call and the CUDA error.
 *
 * <p>JCuda's native binding ({@code libJCudaDriver-12.6.0}) is loaded the first time a JCudaDriver
 * method runs, never when sonogate classes load; {@link #open} first checks with FFM that
 * {@code libcuda.so.1} can be loaded at all, so a machine without the NVIDIA driver gets one clear
 * line instead of JCuda's UnsatisfiedLinkError.
 */
public final class CudaDriver implements DeviceMemory {
    /** The driver library JCuda's binding links against (any driver for CUDA 12.6 or newer). */
    public static final String DRIVER_SONAME = "libcuda.so.1";

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final RawStream stream = new RawStream();
    private final String name;
    private final int ccMajor, ccMinor, multiprocessors, driverVersion;
    // Device allocations by address: cuMemFree needs the CUdeviceptr object cuMemAlloc filled in.
    private final ConcurrentHashMap<Long, DevicePtr> allocations = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    /** A CUdeviceptr whose raw address FFM calls (cuBLAS, cuDNN) and kernel arguments can use. */
    static final class DevicePtr extends CUdeviceptr {
        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    /** A CUstream whose raw handle cuBLAS and cuDNN can be given (cublasSetStream, cudnnSetStream). */
    static final class RawStream extends CUstream {
        long address() {
            return getNativePointer();
        }
    }

    /** A CUDA driver error, with the failing call and CUDA's name for the error. */
    public static final class CudaException extends RuntimeException {
        public final int code;

        CudaException(String call, int code) {
            super(call + " failed: " + CUresult.stringFor(code));
            this.code = code;
        }
    }

    private CudaDriver(int ordinal) {
        check(cuInit(0), "cuInit");
        int[] count = {0};
        check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) throw new GpuUnavailableException("the CUDA driver sees no GPU");
        if (ordinal >= count[0]) throw new GpuUnavailableException("no CUDA device " + ordinal + " (" + count[0] + " present)");
        check(cuDeviceGet(device, ordinal), "cuDeviceGet");
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) len++;
        this.name = new String(nameBytes, 0, len, StandardCharsets.UTF_8);
        this.ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        int[] v = {0};
        check(cuDriverGetVersion(v), "cuDriverGetVersion");
        this.driverVersion = v[0];
        // The primary context is the one the CUDA runtime (and so cuBLAS and cuDNN) uses too.
        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        check(cuStreamCreate(stream, 0), "cuStreamCreate");
    }

    /**
     * Opens device {@code ordinal}.
     *
     * @throws GpuUnavailableException with one line: no driver, JCuda's binding does not load, no device
     */
    public static CudaDriver open(int ordinal) {
        if (!NativeLibrary.loads(DRIVER_SONAME)) throw new GpuUnavailableException("no CUDA driver: " + DRIVER_SONAME + " not found");
        loadBinding();
        try {
            return new CudaDriver(ordinal);
        } catch (CudaException e) {
            throw new GpuUnavailableException(e.getMessage(), e);
        }
    }

    /** Loads JCuda's native binding (idempotent); its errors, which span many lines, become one. */
    static void loadBinding() {
        try {
            JCudaDriver.setExceptionsEnabled(false);
        } catch (LinkageError e) {   // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError
            throw new GpuUnavailableException("cannot load JCuda's driver binding: " + bindingFailure(e), e);
        }
    }

    private static final java.util.regex.Pattern MISSING_SO = java.util.regex.Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    /** JCuda's many-line report in a few words: the library the loader could not open, else its first line. */
    static String bindingFailure(Throwable e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        java.util.regex.Matcher m = MISSING_SO.matcher(msg);
        if (m.find()) return m.group(1) + " cannot be opened";
        String first = msg.lines().findFirst().orElse("");
        return first.isEmpty() ? e.getClass().getSimpleName() : first;
    }

    private int attribute(int attr) {
        int[] v = {0};
        check(cuDeviceGetAttribute(v, attr, device), "cuDeviceGetAttribute(" + attr + ")");
        return v[0];
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) throw new CudaException(call, result);
    }

    /** Makes the context current on the calling thread (once per thread; CUDA contexts are per thread). */
    public void makeCurrent() {
        if (!current.get()) {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            current.set(true);
        }
    }

    public String name() { return name; }
    public int computeMajor() { return ccMajor; }
    public int computeMinor() { return ccMinor; }
    public int multiprocessors() { return multiprocessors; }
    /** e.g. 13000 for CUDA 13.0. */
    public int driverVersion() { return driverVersion; }
    /** The raw stream handle for cuBLAS and cuDNN. */
    public long streamHandle() { return stream.address(); }

    CUstream stream() { return stream; }

    /**
     * Loads a fatbin; the driver picks the SASS for this GPU or JIT-compiles the PTX. Through
     * cuModuleLoadData, which takes fatbins too: JCuda 12.6.0's cuModuleLoadFatBinary returns
     * CUDA_SUCCESS but leaves the module handle null (seen on an H100, driver 580).
     */
    public CUmodule loadModule(byte[] fatbin) {
        makeCurrent();
        CUmodule m = new CUmodule();
        check(cuModuleLoadData(m, fatbin), "cuModuleLoadData");
        if (m.equals(new CUmodule())) throw new CudaException("cuModuleLoadData (null module handle)", CUresult.CUDA_ERROR_INVALID_HANDLE);
        return m;
    }

    public CUfunction function(CUmodule module, String symbol) {
        CUfunction f = new CUfunction();
        check(cuModuleGetFunction(f, module, symbol), "cuModuleGetFunction(" + symbol + ")");
        return f;
    }

    /** Launches on the stream (asynchronous). {@code params} holds one pointer per kernel argument. */
    public void launch(CUfunction f, int blocks, int threads, Pointer params, String what) {
        check(cuLaunchKernel(f, blocks, 1, 1, threads, 1, 1, 0, stream, params, null), "cuLaunchKernel(" + what + ")");
    }

    @Override
    public long allocate(long bytes) {
        makeCurrent();
        DevicePtr p = new DevicePtr();
        int r = cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) throw new DeviceOutOfMemoryError(bytes);
        check(r, "cuMemAlloc(" + bytes + ")");
        allocations.put(p.address(), p);
        return p.address();
    }

    /** Frees after the stream has drained: queued work may still read a block the allocator gives back. */
    @Override
    public void free(long address) {
        DevicePtr p = allocations.remove(address);
        if (p == null) throw new IllegalArgumentException("free of unknown device address 0x" + Long.toHexString(address));
        synchronize();
        check(cuMemFree(p), "cuMemFree");
    }

    /** Host to device, then waits for the stream (the host memory may be reused at once). */
    public void upload(MemorySegment host, long deviceAddress, long baseAddress) {
        makeCurrent();
        CUdeviceptr dst = at(baseAddress, deviceAddress);
        check(cuMemcpyHtoDAsync(dst, Pointer.to(host.asByteBuffer()), host.byteSize(), stream), "cuMemcpyHtoDAsync");
        synchronize();
    }

    /** Device to host; waits for the stream, so the data is there on return. */
    public void download(long deviceAddress, long baseAddress, MemorySegment host) {
        makeCurrent();
        CUdeviceptr src = at(baseAddress, deviceAddress);
        check(cuMemcpyDtoHAsync(Pointer.to(host.asByteBuffer()), src, host.byteSize(), stream), "cuMemcpyDtoHAsync");
        synchronize();
    }

    public void copyDevice(long dstAddress, long dstBase, long srcAddress, long srcBase, long bytes) {
        check(cuMemcpyDtoDAsync(at(dstBase, dstAddress), at(srcBase, srcAddress), bytes, stream), "cuMemcpyDtoDAsync");
    }

    /** Sets {@code count} 32-bit words at the address to {@code bits} (asynchronous). */
    public void memset32(long address, long base, int bits, long count) {
        check(cuMemsetD32Async(at(base, address), bits, count, stream), "cuMemsetD32Async");
    }

    /** The CUdeviceptr of {@code address}, which lies in the allocation starting at {@code base}. */
    private CUdeviceptr at(long base, long address) {
        DevicePtr p = allocations.get(base);
        if (p == null) throw new IllegalArgumentException("no device allocation at 0x" + Long.toHexString(base));
        return address == base ? p : p.withByteOffset(address - base);
    }

    public void synchronize() {
        makeCurrent();
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** {free, total} device memory in bytes, as the driver reports it. */
    public long[] memoryInfo() {
        makeCurrent();
        long[] free = {0}, total = {0};
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    @Override
    public String toString() {
        return name + " (compute " + ccMajor + "." + ccMinor + ", " + multiprocessors + " SMs, driver CUDA " + driverVersion / 1000 + "."
                + (driverVersion % 1000) / 10 + ")";
    }
}
