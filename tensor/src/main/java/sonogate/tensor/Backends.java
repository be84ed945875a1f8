package sonogate.tensor;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry for accelerator backends (the CUDA backend registers itself here when its natives
 * load), so tensor and model code never depend on a GPU library.
 */
public final class Backends {
    private Backends() {}

    private static final ConcurrentHashMap<Device, Backend> ACCELERATORS = new ConcurrentHashMap<>();

    public static void register(Device device, Backend backend) {
        if (device == Device.CPU) throw new IllegalArgumentException("the CPU backends are built in");
        ACCELERATORS.put(device, OpProfile.ENABLED ? OpProfile.timed(backend) : backend);
    }

    static Backend accelerator(Device device, DType dtype) {
        Backend b = ACCELERATORS.get(device);
        if (b == null) throw new IllegalStateException("no backend for " + device + " is loaded");
        if (dtype != DType.F32) throw new IllegalArgumentException(device + " supports F32 only, not " + dtype);
        return b;
    }
}
