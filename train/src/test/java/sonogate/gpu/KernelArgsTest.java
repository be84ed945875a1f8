package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sonogate.gpu.KernelArgs.Ptr;
import sonogate.kernels.cuda.CudaKernel;

/** Launch arguments are checked against the kernels' C signatures before anything reaches a GPU. */
class KernelArgsTest {

    @Test
    void acceptsTheSignaturesTypes() {
        assertDoesNotThrow(() -> KernelArgs.check(CudaKernel.GATE_FORWARD, new Object[] {1, 2, 3, 4L, new Ptr(16), new Ptr(32)}));
        assertDoesNotThrow(() -> KernelArgs.check(CudaKernel.IM2COL, new Object[] {new byte[40], Ptr.NULL, new Ptr(8)}));
        assertDoesNotThrow(() -> KernelArgs.check(CudaKernel.L1_BACKWARD, new Object[] {5L, 0.5, new Ptr(1), new Ptr(2), new Ptr(3), Ptr.NULL, new Ptr(4)}));
    }

    @Test
    void rejectsAnIntWhereTheKernelReadsALongLong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.check(CudaKernel.GATE_FORWARD, new Object[] {1, 2, 3, 4, new Ptr(16), new Ptr(32)}));
        assertTrue(e.getMessage().contains("sg_gate_forward argument 3: expected l, got Integer"), e.getMessage());
    }

    @Test
    void rejectsWrongCountsStructSizesAndNulls() {
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.check(CudaKernel.FILL, new Object[] {1L, 2f}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArgs.check(CudaKernel.IM2COL, new Object[] {new byte[32], Ptr.NULL, Ptr.NULL}));
        assertTrue(e.getMessage().contains("expected s40, got byte[][32]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.check(CudaKernel.FILL, new Object[] {1L, 2f, null}));
        assertThrows(IllegalArgumentException.class, () -> KernelArgs.check(CudaKernel.AXPY, new Object[] {1L, 2.0, Ptr.NULL, Ptr.NULL}));
    }
}
