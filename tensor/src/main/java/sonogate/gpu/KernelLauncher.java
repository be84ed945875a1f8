package sonogate.gpu;

import java.util.EnumMap;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import sonogate.kernels.cuda.CudaKernel;
import sonogate.kernels.cuda.KernelImage;

/**
 * The shipped kernels ({@link KernelImage}) loaded onto the device, launched on the driver's one
 * stream. Element-wise kernels use grid-stride loops, so any grid is correct; the grid is capped at
 * 32 blocks of 256 threads per multiprocessor (enough to fill an H100) to keep large tensors from
 * launching millions of blocks.
 */
final class KernelLauncher {
    static final int THREADS = 256;

    private final CudaDriver driver;
    private final EnumMap<CudaKernel, CUfunction> functions = new EnumMap<>(CudaKernel.class);
    private final long maxBlocks;

    KernelLauncher(CudaDriver driver) {
        this.driver = driver;
        CUmodule module = driver.loadModule(KernelImage.fatbin());
        for (CudaKernel k : CudaKernel.values()) functions.put(k, driver.function(module, k.symbol()));
        this.maxBlocks = 32L * Math.max(1, driver.multiprocessors());
    }

    /** One thread per element of {@code total} (grid-stride); nothing when total is 0. */
    void elements(CudaKernel k, long total, Object... args) {
        if (total <= 0) return;
        grid(k, (int) Math.min(maxBlocks, (total + THREADS - 1) / THREADS), THREADS, args);
    }

    /** An explicit grid (reductions: their block count is part of the algorithm). */
    void grid(CudaKernel k, int blocks, int threads, Object... args) {
        driver.makeCurrent();
        driver.launch(functions.get(k), blocks, threads, KernelArgs.pack(k, args), k.symbol());
    }
}
