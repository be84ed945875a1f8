package sonogate.cli;

import java.io.PrintStream;
import sonogate.gpu.DeviceSelection;
import sonogate.gpu.GpuUnavailableException;
import sonogate.gpu.Precision;
import sonogate.tensor.Device;

/**
 * {@code --device cpu|cuda|auto} of the commands that run models. Default cpu: train's default
 * perceptual term has no CUDA max-pool yet, and the CPU's results are the same bits on every machine
 * (README, GPU section).
 */
final class DeviceOption {
    private DeviceOption() {}

    /** The device, or null after printing {@code sonogate: no GPU: <why>} (the command then exits 1). */
    static Device resolve(DeviceSelection selection, PrintStream err) {
        try {
            return selection.resolve(Precision.FP32, err);
        } catch (GpuUnavailableException e) {
            err.println("sonogate: no GPU: " + e.getMessage());
            return null;
        }
    }
}
