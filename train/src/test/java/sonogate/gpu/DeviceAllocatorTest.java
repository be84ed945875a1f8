package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The caching allocator's logic on a fake device (no GPU needed): reuse, size classes, full-device retry. */
class DeviceAllocatorTest {

    /** Hands out fake addresses, with a capacity, and records every call. */
    static final class FakeDevice implements DeviceMemory {
        final Map<Long, Long> live = new HashMap<>();
        long next = 1 << 20, capacity, used;
        int allocations, frees;

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) throw new DeviceOutOfMemoryError(bytes);
            long a = next;
            next += bytes + 4096;
            live.put(a, bytes);
            used += bytes;
            allocations++;
            return a;
        }

        @Override
        public void free(long address) {
            Long bytes = live.remove(address);
            if (bytes == null) throw new AssertionError("double or unknown free");
            used -= bytes;
            frees++;
        }
    }

    @Test
    void sizeClassesCoverEveryRequestWithBoundedSlack() {
        SplittableRandom rng = new SplittableRandom();
        for (int i = 0; i < 100_000; i++) {
            long bytes = 1 + (rng.nextLong() >>> (14 + rng.nextInt(50)));   // 1 B .. 2^50 B
            long size = DeviceAllocator.classBytes(DeviceAllocator.sizeClass(Math.max(bytes, 512)));
            assertTrue(size >= bytes, bytes + " -> " + size);
            assertTrue(size <= Math.max(1024, bytes * 1.26), bytes + " -> " + size + " (slack)");
            assertEquals(0, size % 256, "256-byte multiple");
        }
    }

    @Test
    void repeatedShapesReuseBlocksAfterTheFirstStep() {
        FakeDevice dev = new FakeDevice(1L << 40);
        DeviceAllocator a = new DeviceAllocator(dev);
        long[] sizes = {4096, 12_345, 1 << 20, 3 << 20, 77, 4096, 9 << 10};
        int afterFirst = 0;
        for (int step = 0; step < 1000; step++) {
            List<DeviceAllocator.Block> live = new ArrayList<>();
            for (long s : sizes) live.add(a.allocate(s));
            for (DeviceAllocator.Block b : live) a.free(b);
            if (step == 0) afterFirst = dev.allocations;
        }
        assertEquals(afterFirst, dev.allocations, "device allocations after the first step");
        assertEquals(sizes.length, afterFirst, "one device allocation per live block of the first step");
        assertEquals(0, a.inUseBytes());
        assertEquals(a.reservedBytes(), dev.used);
    }

    @Test
    void aFullDeviceGivesBackTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(10 << 20);
        DeviceAllocator a = new DeviceAllocator(dev);
        DeviceAllocator.Block x = a.allocate(6 << 20);
        a.free(x);                                         // cached: 6+ MiB still held on the device
        DeviceAllocator.Block y = a.allocate(8 << 20);     // does not fit beside the cache: trim, retry
        assertEquals(1, dev.frees, "the cached block went back to the device");
        assertEquals(a.reservedBytes(), dev.used);
        DeviceOutOfMemoryError e = assertThrows(DeviceOutOfMemoryError.class, () -> a.allocate(4 << 20));
        assertTrue(e.getMessage().contains("in use by tensors"), e.getMessage());
        a.free(y);
        a.trim();
        assertEquals(0, a.reservedBytes());
        assertEquals(0, dev.used);
    }

    @Test
    void peaksAndCounters() {
        FakeDevice dev = new FakeDevice(1L << 40);
        DeviceAllocator a = new DeviceAllocator(dev);
        DeviceAllocator.Block b1 = a.allocate(1000), b2 = a.allocate(5000);
        long peak = a.inUseBytes();
        a.free(b1);
        a.free(b2);
        assertEquals(peak, a.peakInUseBytes());
        a.resetPeaks();
        assertEquals(0, a.peakInUseBytes());
        assertEquals(a.reservedBytes(), a.peakReservedBytes());
        assertThrows(IllegalArgumentException.class, () -> a.allocate(-1));
        assertThrows(DeviceOutOfMemoryError.class, () -> a.allocate(Long.MAX_VALUE / 2));
    }
}
