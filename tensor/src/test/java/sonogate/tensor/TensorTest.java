package sonogate.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.tensor.ops.Ops;

class TensorTest {

    @Test
    void viewsShareStorageWithoutCopying() {
        try (Scope s = Scope.open()) {
            double[] data = new double[2 * 4 * 3 * 2];
            for (int i = 0; i < data.length; i++) data[i] = i;
            Tensor x = Tensor.of(DType.F32, data, 2, 4, 3, 2);
            long before = MemoryPool.CPU.inUseBytes();
            Tensor slice = Ops.narrow(x, 1, 1, 2);
            Tensor perm = Ops.permute(x, 0, 2, 3, 1);
            Tensor flat = Ops.reshape(x, 8, -1);
            assertEquals(before, MemoryPool.CPU.inUseBytes(), "views must not allocate");
            assertSame(x, slice);
            assertArrayEquals(new int[] {2, 2, 3, 2}, slice.shape());
            assertEquals(x.get(1, 2, 0, 1), slice.get(1, 1, 0, 1));
            assertEquals(x.get(1, 3, 2, 0), perm.get(1, 2, 0, 3));
            assertArrayEquals(new int[] {8, 6}, flat.shape());
            assertEquals(x.get(1, 1, 2, 1), flat.get(5, 5));
            assertFalse(slice.isContiguous());
            assertFalse(perm.isContiguous());
            Tensor copy = Ops.contiguous(perm);
            assertTrue(copy.isContiguous());
            assertEquals(perm.get(1, 2, 0, 3), copy.get(1, 2, 0, 3));
        }
    }

    private static void assertSame(Tensor a, Tensor b) {
        assertTrue(a.storage() == b.storage(), "view shares storage");
    }

    @Test
    void roundTripsValuesInBothPrecisions() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[37];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        try (Tensor f = Tensor.of(DType.F32, v, 37); Tensor d = Tensor.of(DType.F64, v, 37)) {
            double[] back = f.toDoubleArray();
            for (int i = 0; i < v.length; i++) assertEquals((float) v[i], back[i], 0.0, "seed " + seed);
            assertArrayEquals(v, d.toDoubleArray(), 0.0, "seed " + seed);
        }
    }

    @Test
    void useAfterCloseIsAClearError() {
        Tensor t = Tensor.zeros(3, 4);
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toDoubleArray);
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("after close"), e.getMessage());
    }

    @Test
    void viewsOutsideStorageAreRejected() {
        try (Tensor t = Tensor.zeros(4, 4)) {
            assertThrows(IllegalArgumentException.class, () -> t.view(10, new int[] {4}, new long[] {2}));
        }
    }
}
