package sonogate.gpu;

/** The device has no room for an allocation (after the caching allocator gave its cache back). */
public final class DeviceOutOfMemoryError extends OutOfMemoryError {
    public DeviceOutOfMemoryError(long bytes) {
        super("GPU out of memory allocating " + bytes + " bytes");
    }

    public DeviceOutOfMemoryError(String message) {
        super(message);
    }
}
