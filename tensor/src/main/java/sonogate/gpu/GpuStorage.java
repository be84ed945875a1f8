package sonogate.gpu;

import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Storage;

/** float32 elements in device memory from the backend's {@link DeviceAllocator}. */
public final class GpuStorage extends Storage {
    private final DeviceAllocator allocator;
    private final DeviceAllocator.Block block;

    GpuStorage(DeviceAllocator allocator, DeviceAllocator.Block block, long elements) {
        super(elements);
        this.allocator = allocator;
        this.block = block;
    }

    /** Device address of element 0. */
    public long address() {
        return block.address();
    }

    DeviceAllocator.Block block() {
        return block;
    }

    @Override public Device device() { return Device.CUDA; }
    @Override public DType dtype() { return DType.F32; }
    @Override protected void free() { allocator.free(block); }
}
