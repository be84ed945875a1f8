package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sonogate.tensor.Device;

/**
 * Without the NVIDIA driver (this machine kind, CI): every way into the GPU ends in one clear line,
 * and {@code auto} falls back to the CPU. Skipped where libcuda.so.1 exists (the GPU tests run there).
 */
class NoGpuTest {
    static final String NO_DRIVER = "no CUDA driver: libcuda.so.1 not found";

    @BeforeEach
    void onlyWithoutDriver() {
        assumeFalse(NativeLibrary.loads(CudaDriver.DRIVER_SONAME), "libcuda.so.1 is installed here: the tests tagged gpu cover this machine");
    }

    @Test
    void startingTheGpuFailsWithOneLine() {
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> CudaDevice.start(Precision.FP32));
        assertEquals(NO_DRIVER, e.getMessage());
        assertEquals(NO_DRIVER, CudaDevice.unavailableReason(Precision.FP32), "the same reason every time");
    }

    @Test
    void cudaFailsAutoFallsBackCpuIsSilent() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        assertEquals(Device.CPU, DeviceSelection.CPU.resolve(Precision.FP32, err));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "cpu says nothing");
        assertEquals(Device.CPU, DeviceSelection.AUTO.resolve(Precision.FP32, err));
        assertEquals("sonogate: no GPU: " + NO_DRIVER + "; running on the CPU\n", buf.toString(StandardCharsets.UTF_8));
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> DeviceSelection.CUDA.resolve(Precision.FP32, err));
        assertEquals(NO_DRIVER, e.getMessage());
    }

    @Test
    void jcudaLoadsItsNativesOnlyWhenUsedAndFailsInOneLine() {
        // Our classes (and JCuda's Java classes) load without touching native code...
        assertDoesNotLoadNatives();
        // ...and forcing JCuda's binding without a driver fails cleanly (UnsatisfiedLinkError inside).
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, CudaDriver::loadBinding);
        assertTrue(e.getMessage().startsWith("cannot load JCuda's driver binding: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getCause() instanceof LinkageError, String.valueOf(e.getCause()));
        GpuUnavailableException again = assertThrows(GpuUnavailableException.class, CudaDriver::loadBinding);
        assertTrue(again.getMessage().startsWith("cannot load JCuda's driver binding: "), "a second attempt too: " + again.getMessage());
    }

    private static void assertDoesNotLoadNatives() {
        try {
            Class.forName("jcuda.driver.JCudaDriver", false, NoGpuTest.class.getClassLoader());
            Class.forName("sonogate.gpu.GpuBackend", true, NoGpuTest.class.getClassLoader());
            Class.forName("sonogate.gpu.CudaDriver", true, NoGpuTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AssertionError("loading the GPU classes must not need a GPU: " + e, e);
        }
    }

    @Test
    void missingLibrariesAreNamedWithWhereTheyWereSought() {
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> NativeLibrary.open("cuBLAS", "libcublas-does-not-exist.so.13", "libcublas-does-not-exist.so.12"));
        assertTrue(e.getMessage().startsWith("libcublas-does-not-exist.so.13 or libcublas-does-not-exist.so.12 not found (searched the loader's path"),
                e.getMessage());
        NativeLibrary libc = NativeLibrary.open("libc", "libc.so.6");
        assertTrue(libc.lookup().find("strlen").isPresent());
        GpuUnavailableException missing = assertThrows(GpuUnavailableException.class, () -> libc.function("cublasSgemm_v2"));
        assertEquals("libc.so.6 does not export cublasSgemm_v2 (an unsupported version of libc?)", missing.getMessage());
    }
}
