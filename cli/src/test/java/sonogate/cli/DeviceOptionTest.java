package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;

/**
 * {@code --device} on a machine without the NVIDIA driver (this machine kind, CI): {@code cuda}
 * fails with one line and exit 1, {@code auto} says why and runs on the CPU, a bad value is a usage
 * error. Skipped where libcuda.so.1 exists.
 */
class DeviceOptionTest extends CommandTest {
    static final String NO_GPU = "sonogate: no GPU: no CUDA driver: libcuda.so.1 not found";

    @TempDir Path tmp;

    @BeforeEach
    void noDriverHere() {
        boolean driver;
        try {
            SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            driver = true;
        } catch (IllegalArgumentException e) {
            driver = false;
        }
        assumeFalse(driver, "libcuda.so.1 is installed: the GPU path is tested by the gpu module's tests tagged gpu");
    }

    private Path tinyModel() {
        return CliRun.untrainedWeights(tmp.resolve("tiny.h5"), ModelConfig.TINY, 7);
    }

    private Path frames(int count) throws Exception {
        Path d = tmp.resolve("frames");
        Files.createDirectories(d);
        for (int k = 0; k < count; k++) {
            BufferedImage img = new BufferedImage(72, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 72; x++) img.setRGB(x, y, ((x * 3 + y * k) & 0xff) * 0x010101);
            img.setRGB(30, 30, 0xff0000);
            ImageIO.write(img, "png", d.resolve("f" + k + ".png").toFile());
        }
        return d;
    }

    @Test
    void cudaFailsWithOneLineAndExitOne() throws Exception {
        Path model = tinyModel(), in = frames(2), outDir = tmp.resolve("out");
        assertEquals(1, run("translate", "--device", "cuda", "--model", model.toString(), in.toString(), outDir.toString()));
        assertEquals(NO_GPU + "\n", err());
        assertTrue(Files.notExists(outDir), "nothing written");
        assertEquals(1, run("train", "--device", "cuda", "--config", "tiny", "--data", in.toString(), "--out", tmp.resolve("run").toString()));
        assertEquals(NO_GPU + "\n", err());
        assertEquals(1, run("bench", "gpu"));
        assertEquals(NO_GPU + "\n", err());
        assertEquals(1, run("bench", "model", "--device", "cuda", "--quick"));
        assertEquals(NO_GPU + "\n", err());
    }

    @Test
    void autoSaysWhyAndRunsOnTheCpu() throws Exception {
        Path model = tinyModel(), in = frames(3), outDir = tmp.resolve("out");
        assertEquals(0, run("translate", "--device", "auto", "--model", model.toString(), in.toString(), outDir.toString()), err());
        assertEquals(NO_GPU + "; running on the CPU\n", err());
        try (var files = Files.list(outDir)) {
            assertEquals(3, files.count(), "one PNG per frame");
        }
        assertEquals(0, run("train", "--device", "auto", "--config", "tiny", "--data", in.toString(), "--steps", "1", "--batch", "1",
                "--val-every", "0", "--ckpt-every", "0", "--out", tmp.resolve("run").toString()), err());
        assertEquals(NO_GPU + "; running on the CPU\n", err());
        assertTrue(Files.exists(tmp.resolve("run/checkpoint.h5")));
    }

    @Test
    void cpuIsTheDefaultAndSilentBadValuesAreUsageErrors() throws Exception {
        Path model = tinyModel(), in = frames(1);
        assertEquals(0, run("translate", "--device", "cpu", "--model", model.toString(), in.toString(), tmp.resolve("o1").toString()), err());
        assertEquals("", err());
        assertEquals(2, run("translate", "--device", "tpu", "--model", model.toString(), in.toString(), tmp.resolve("o2").toString()));
        assertTrue(err().startsWith("sonogate translate: --device must be cpu, cuda or auto, got 'tpu' (see sonogate translate --help)\n"), err());
        assertEquals(2, run("train", "--device", "--config", "tiny", "--data", in.toString()));
        assertTrue(err().startsWith("sonogate train: --device needs a value (see sonogate train --help)\n"), err());
        assertEquals(2, run("bench", "gpu", "--precisions", "bf16"));
        assertTrue(err().startsWith("sonogate bench gpu: --precisions: bf16 is not built on our side yet (fp32, tf32) (see sonogate bench gpu --help)\n"), err());
        assertEquals(0, run("bench", "gpu", "--help"));
    }
}
