package sonogate.gpu;

/** Raw device memory: what {@link DeviceAllocator} caches (the CUDA driver; a fake in tests). */
public interface DeviceMemory {
    /** A new block of {@code bytes}; its address. @throws DeviceOutOfMemoryError when the device is full */
    long allocate(long bytes);

    void free(long address);
}
