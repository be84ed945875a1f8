package sonogate.gpu;

import java.util.ArrayDeque;

/**
 * Caching allocator for device memory, like the CPU's MemoryPool: sizes are rounded up to classes
 * (four per power of two, at most ~19% slack, 512-byte minimum) and freed blocks wait on per-class
 * free lists for the next request of that class. A training loop that repeats its shapes stops
 * calling cuMemAlloc (slow, and synchronising) after its first step; {@link #deviceAllocations()}
 * is what the tests assert on. When the device is full the cache is given back and the request
 * retried once.
 */
public final class DeviceAllocator {
    private static final int CLASSES = 4 * 64;
    private static final long MIN_BYTES = 512;
    private static final long MAX_BYTES = 1L << 50;   // far beyond any GPU; keeps the class arithmetic from overflowing

    /** One device block; {@code bytes} is its class size (at least what was asked). */
    public record Block(long address, long bytes, int sizeClass) {}

    private final DeviceMemory memory;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Block>[] free = new ArrayDeque[CLASSES];
    private long reservedBytes, inUseBytes, peakReservedBytes, peakInUseBytes, deviceAllocations, deviceFrees;

    public DeviceAllocator(DeviceMemory memory) {
        this.memory = memory;
        for (int i = 0; i < CLASSES; i++) free[i] = new ArrayDeque<>();
    }

    /** A block of at least {@code bytes} bytes (contents undefined). */
    public synchronized Block allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
        if (bytes > MAX_BYTES) throw new DeviceOutOfMemoryError(bytes);
        int sizeClass = sizeClass(Math.max(bytes, MIN_BYTES));
        Block block = free[sizeClass].pollFirst();
        if (block == null) {
            long size = classBytes(sizeClass);
            long address;
            try {
                address = memory.allocate(size);
            } catch (DeviceOutOfMemoryError e) {
                trim();
                try {
                    address = memory.allocate(size);
                } catch (DeviceOutOfMemoryError again) {
                    throw new DeviceOutOfMemoryError("GPU out of memory allocating " + size + " bytes (" + inUseBytes + " bytes in use by tensors)");
                }
            }
            block = new Block(address, size, sizeClass);
            reservedBytes += size;
            peakReservedBytes = Math.max(peakReservedBytes, reservedBytes);
            deviceAllocations++;
        }
        inUseBytes += block.bytes();
        peakInUseBytes = Math.max(peakInUseBytes, inUseBytes);
        return block;
    }

    public synchronized void free(Block block) {
        inUseBytes -= block.bytes();
        free[block.sizeClass()].addFirst(block);
    }

    /** Gives every cached (unused) block back to the device. */
    public synchronized void trim() {
        for (ArrayDeque<Block> list : free) {
            for (Block b; (b = list.pollFirst()) != null; ) {
                memory.free(b.address());
                reservedBytes -= b.bytes();
                deviceFrees++;
            }
        }
    }

    /** Device bytes held, in use or cached. */
    public synchronized long reservedBytes() { return reservedBytes; }
    /** Device bytes held by live tensors and buffers. */
    public synchronized long inUseBytes() { return inUseBytes; }
    public synchronized long peakReservedBytes() { return peakReservedBytes; }
    public synchronized long peakInUseBytes() { return peakInUseBytes; }
    /** How many times the allocator called cuMemAlloc. */
    public synchronized long deviceAllocations() { return deviceAllocations; }
    public synchronized long deviceFrees() { return deviceFrees; }

    /** Starts new peaks at the current values (benchmarks measure one phase). */
    public synchronized void resetPeaks() {
        peakReservedBytes = reservedBytes;
        peakInUseBytes = inUseBytes;
    }

    static int sizeClass(long bytes) {
        if (bytes <= 1) return 0;
        int log = 63 - Long.numberOfLeadingZeros(bytes - 1);   // bytes in (2^log, 2^(log+1)]
        long base = 1L << log;
        int quarter = (int) Math.min(3, (bytes - base - 1) / Math.max(1, base / 4));
        return 4 * log + quarter;
    }

    static long classBytes(int sizeClass) {
        int log = sizeClass / 4;
        long base = 1L << log;
        long size = base + (base / 4) * (sizeClass % 4 + 1);
        return (size + 255) & -256L;   // cuMemAlloc aligns to 256 bytes anyway
    }
}
