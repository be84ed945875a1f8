package sonogate.tensor;

import java.lang.foreign.MemorySegment;

/** float32 elements in off-heap memory from the {@link MemoryPool}. */
public final class CpuFloatStorage extends Storage {
    private final MemoryPool.Block block;
    private final MemorySegment segment;

    CpuFloatStorage(MemoryPool.Block block, long elements) {
        super(elements);
        this.block = block;
        this.segment = block.segment().asSlice(0, elements * Float.BYTES);
    }

    /** The whole storage as a segment (element 0 at byte 0). */
    public MemorySegment segment() {
        return segment;
    }

    @Override public Device device() { return Device.CPU; }
    @Override public DType dtype() { return DType.F32; }
    @Override protected void free() { MemoryPool.CPU.free(block); }
}
