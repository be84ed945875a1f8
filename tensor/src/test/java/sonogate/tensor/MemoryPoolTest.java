package sonogate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryPoolTest {

    @Test
    void sizeClassesCoverTheRequestWithBoundedSlack() {
        for (long bytes = 64; bytes < (1L << 32); bytes = bytes * 5 / 4 + 13) {
            long got = MemoryPool.classBytes(MemoryPool.sizeClass(bytes));
            assertTrue(got >= bytes, bytes + " -> " + got);
            assertTrue(got <= bytes * 1.26 + 64, "slack too large: " + bytes + " -> " + got);
        }
    }

    @Test
    void freedBlocksAreReusedWithoutAskingTheOs() {
        MemoryPool pool = MemoryPool.CPU;
        Tensor a = Tensor.zeros(1000, 37);
        a.close();
        long osBefore = pool.osAllocations(), reserved = pool.reservedBytes(), inUse = pool.inUseBytes();
        for (int i = 0; i < 100; i++) {
            Tensor b = Tensor.zeros(1000, 37);
            assertEquals(inUse + MemoryPool.classBytes(MemoryPool.sizeClass(1000 * 37 * 4)), pool.inUseBytes());
            b.close();
        }
        assertEquals(osBefore, pool.osAllocations());
        assertEquals(reserved, pool.reservedBytes());
        assertEquals(inUse, pool.inUseBytes());
    }

    @Test
    void storageReturnsOnlyWhenTheLastViewCloses() {
        long inUse = MemoryPool.CPU.inUseBytes();
        Tensor a = Tensor.zeros(64, 64);
        Tensor v = a.view(64, new int[] {63, 64}, new long[] {64, 1});
        a.close();
        assertTrue(MemoryPool.CPU.inUseBytes() > inUse, "view keeps storage alive");
        assertEquals(0.0, v.get(3, 5));
        v.close();
        assertEquals(inUse, MemoryPool.CPU.inUseBytes());
    }
}
