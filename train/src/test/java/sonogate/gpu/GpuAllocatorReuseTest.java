package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sonogate.kernels.GateActivation;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Device memory is flat over 1,000 forward + backward + Adam steps of a gated-conv stack on the GPU:
 * after warm-up the caching allocator calls cuMemAlloc no more, its reserved bytes stay put, and the
 * driver's free-memory reading does not fall. Needs a GPU; skipped with the reason otherwise.
 */
@Tag("gpu")
class GpuAllocatorReuseTest {

    @Test
    void thousandStepsAllocateNothingAfterWarmup() {
        GpuBackend gpu = GpuTestSupport.backendOrSkip();
        SplittableRandom rng = new SplittableRandom();
        Tensor w1 = param(rng, 16, 3, 3, 3), b1 = param(rng, 16);
        Tensor w2 = param(rng, 16, 8, 3, 3), b2 = param(rng, 16);
        Tensor w3 = param(rng, 1, 16, 3, 3), b3 = param(rng, 1);
        Tensor[] params = {w1, b1, w2, b2, w3, b3};
        Tensor[][] moments = new Tensor[params.length][];
        for (int i = 0; i < params.length; i++) {
            moments[i] = new Tensor[] {Tensor.zeros(Device.CUDA, DType.F32, params[i].shape()), Tensor.zeros(Device.CUDA, DType.F32, params[i].shape())};
        }
        Tensor x = Tensor.randn(rng, DType.F32, 4, 3, 64, 64).to(Device.CUDA);
        Tensor target = Tensor.uniform(rng, DType.F32, -0.5, 0.5, 4, 1, 64, 64).to(Device.CUDA);
        int warmup = 10, steps = 1000;
        long allocations = 0, reserved = 0, driverFree = 0;
        double first = 0, last = 0;
        for (int step = 0; step < steps; step++) {
            if (step == warmup) {
                gpu.synchronize();
                allocations = gpu.allocator().deviceAllocations();
                reserved = gpu.allocator().reservedBytes();
                driverFree = gpu.driver().memoryInfo()[0];
            }
            try (Scope s = Scope.open()) {
                Tensor h1 = Ops.gate(Ops.conv2d(x, w1, b1, 1, 1, 1), GateActivation.ELU);
                Tensor h2 = Ops.gate(Ops.conv2d(h1, w2, b2, 2, 1, 1), GateActivation.ELU);
                Tensor merged = Ops.concat(1, h1, Ops.upsample2x(h2));
                Tensor out = Ops.tanh(Ops.conv2d(merged, w3, b3, 1, 2, 2));
                Tensor loss = Ops.l1Loss(out, target);
                Tape.backward(loss);
                for (int i = 0; i < params.length; i++) {
                    params[i].backend().adamStep(params[i], params[i].grad(), moments[i][0], moments[i][1], step + 1, 1e-3, 0.5, 0.999, 1e-8);
                    params[i].zeroGrad();
                }
                if (step == 0) first = loss.item();
                if (step == steps - 1) last = loss.item();
            }
        }
        gpu.synchronize();
        long freeAfter = gpu.driver().memoryInfo()[0];
        System.out.printf("[gpu tests] 1000 steps: cuMemAlloc calls %d (after warm-up %d), reserved %d B, driver free %d -> %d B, loss %.4f -> %.4f%n",
                gpu.allocator().deviceAllocations(), gpu.allocator().deviceAllocations() - allocations, gpu.allocator().reservedBytes(),
                driverFree, freeAfter, first, last);
        assertEquals(allocations, gpu.allocator().deviceAllocations(), "cuMemAlloc after warm-up");
        assertEquals(reserved, gpu.allocator().reservedBytes(), "reserved device bytes grew after warm-up");
        assertTrue(freeAfter >= driverFree - (4 << 20), "the driver's free memory fell by " + (driverFree - freeAfter) + " bytes");
        assertTrue(last < first, "the loop trains: loss " + first + " -> " + last);
    }

    private static Tensor param(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.randn(rng, DType.F32, shape);
        t.backend().affine(t, 0.3, 0, t);
        Tensor g = t.to(Device.CUDA);
        t.close();
        return g.requiresGrad(true);
    }
}
