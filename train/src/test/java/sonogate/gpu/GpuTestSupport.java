package sonogate.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Tensor;

/**
 * For the tests tagged {@code gpu}: the started backend, or the test is skipped with the reason the
 * GPU cannot be used (printed once on the console, e.g. "no CUDA driver: libcuda.so.1 not found").
 */
final class GpuTestSupport {
    private GpuTestSupport() {}

    private static boolean told;

    static GpuBackend backendOrSkip() {
        String why = CudaDevice.unavailableReason(Precision.FP32);
        if (why != null) {
            synchronized (GpuTestSupport.class) {
                if (!told) System.out.println("[gpu tests] SKIPPED (no GPU: " + why + ")");
                told = true;
            }
        }
        assumeTrue(why == null, "no GPU: " + why);
        return CudaDevice.start(Precision.FP32);
    }

    /** Fresh standard-normal CPU values times {@code scale}. */
    static Tensor randomCpu(SplittableRandom rng, double scale, int... shape) {
        Tensor t = Tensor.randn(rng, DType.F32, shape);
        if (scale != 1) t.backend().affine(t, scale, 0, t);
        return t;
    }

    static Tensor onGpu(Tensor cpu) {
        return cpu.to(Device.CUDA);
    }

    /** max|a - b| / max(max|b|, 1e-30); NaN anywhere gives infinity. */
    static double relativeError(float[] gpu, float[] cpu) {
        if (gpu.length != cpu.length) return Double.POSITIVE_INFINITY;
        double diff = 0, scale = 0;
        for (int i = 0; i < cpu.length; i++) {
            if (Float.isNaN(gpu[i]) != Float.isNaN(cpu[i])) return Double.POSITIVE_INFINITY;
            diff = Math.max(diff, Math.abs((double) gpu[i] - cpu[i]));
            scale = Math.max(scale, Math.abs(cpu[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
