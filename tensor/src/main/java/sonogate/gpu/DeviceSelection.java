package sonogate.gpu;

import java.io.PrintStream;
import java.util.Locale;
import sonogate.tensor.Device;

/**
 * The {@code --device cpu|cuda|auto} option of the commands that run models. {@code cpu} never
 * touches the GPU; {@code cuda} starts the GPU backend or fails with one line ({@code sonogate: no
 * GPU: <why>}, exit 1 in the CLI); {@code auto} uses the GPU when it starts, else prints that line
 * with "; running on the CPU" and uses the CPU.
 */
public enum DeviceSelection {
    CPU, CUDA, AUTO;

    /** The option's values, for usage texts. */
    public static final String VALUES = "cpu, cuda or auto";

    /** @throws IllegalArgumentException for a value other than cpu, cuda, auto (a usage error) */
    public static DeviceSelection parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("--device must be " + VALUES + ", got '" + value + "'");
        };
    }

    /**
     * The device to run on.
     *
     * @param err where {@code auto} reports a fallback to the CPU
     * @throws GpuUnavailableException for {@code cuda} when the GPU cannot be used
     */
    public Device resolve(Precision precision, PrintStream err) {
        return switch (this) {
            case CPU -> Device.CPU;
            case CUDA -> {
                CudaDevice.start(precision);
                yield Device.CUDA;
            }
            case AUTO -> {
                String why = CudaDevice.unavailableReason(precision);
                if (why == null) yield Device.CUDA;
                err.println("sonogate: no GPU: " + why + "; running on the CPU");
                yield Device.CPU;
            }
        };
    }
}
