package sonogate.gpu;

import java.util.EnumMap;
import sonogate.tensor.Backends;
import sonogate.tensor.Device;

/**
 * Starts the GPU backend once per process and registers it for {@link Device#CUDA}, so tensors and
 * models created with Device.CUDA run on it. Every way it can fail (no driver, JCuda's binding,
 * no device, cuBLAS or cuDNN missing or too old, the kernel module) ends in a
 * {@link GpuUnavailableException} with one line saying why; the same line is returned by later calls.
 *
 * <p>One backend per {@link Precision}, sharing the device and stream; {@link #start} registers the
 * one asked for (benchmarks switch between FP32 and TF32 this way; tensors of either work with both).
 */
public final class CudaDevice {
    private CudaDevice() {}

    private static CudaDriver driver;
    private static final EnumMap<Precision, GpuBackend> BACKENDS = new EnumMap<>(Precision.class);
    private static String failure;

    /**
     * The backend of {@code precision}, now the registered CUDA backend.
     *
     * @throws GpuUnavailableException why the GPU cannot be used (one line)
     */
    public static synchronized GpuBackend start(Precision precision) {
        if (failure != null) throw new GpuUnavailableException(failure);
        try {
            if (driver == null) driver = CudaDriver.open(Integer.getInteger("sonogate.cuda.device", 0));
            GpuBackend b = BACKENDS.get(precision);
            if (b == null) {
                b = new GpuBackend(driver, precision);
                BACKENDS.put(precision, b);
            }
            Backends.register(Device.CUDA, b);
            return b;
        } catch (GpuUnavailableException e) {
            failure = e.getMessage();
            throw e;
        } catch (RuntimeException | LinkageError e) {   // a CUDA, cuBLAS or cuDNN call failed while starting
            failure = "GPU start failed: " + firstLine(e);
            throw new GpuUnavailableException(failure, e);
        }
    }

    /** Null when the GPU can be used (it is then started); else the one-line reason. */
    public static String unavailableReason(Precision precision) {
        try {
            start(precision);
            return null;
        } catch (GpuUnavailableException e) {
            return e.getMessage();
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
