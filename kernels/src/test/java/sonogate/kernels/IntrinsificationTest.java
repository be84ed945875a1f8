package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Guards against a silent 10-100x slowdown: when C2 cannot intrinsify a Vector API kernel (its
 * inlining budget runs out, or an operation has no intrinsic), the kernel still computes the right
 * answer but boxes every vector on the Java heap. Once compiled, a kernel call may allocate only a
 * few small objects (thread-pool job, lambda, segment slice); a boxing kernel allocates tens of KB.
 * Each kernel runs in windows of calls until one window stays under the limit, or the time is up.
 *
 * <p>It also checks that every kernel is deterministic across JIT tiers: its first call (interpreted,
 * the Vector API's Java fallbacks) and a call after the warm-up (C2 with intrinsics, as the
 * allocation check has just shown) must leave the same bits in every segment the kernel touches,
 * from the same starting contents. Training runs and their resume rely on this (README, bitwise
 * reproducibility). This JVM runs nothing else (see the pom), so each kernel's first call is cold.
 */
class IntrinsificationTest {
    private static final long LIMIT_BYTES_PER_CALL = 4096;
    private static final long BUDGET_NANOS = 20_000_000_000L;
    private static Arena arena;

    @BeforeAll static void open() { arena = Arena.ofShared(); }
    @AfterAll static void close() { arena.close(); }

    /** Values in [-8, 8]: wide enough to reach exp's and tanh's saturated ranges. */
    private static MemorySegment random(long n) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (8 * Math.sin(i * 0.731 + n)));
        return s;
    }

    private static MemorySegment positive(long n) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.5f + (i % 97) / 50f);
        return s;
    }

    /**
     * {@code call} must stop allocating once compiled, and leave the segments it touches ({@code
     * touched}: inputs and outputs) with the same bits after the warm-up as after its first call.
     */
    private static DynamicTest kernel(String name, Runnable call, MemorySegment... touched) {
        return DynamicTest.dynamicTest(name, () -> {
            MemorySegment[] start = copies(touched);
            call.run();                                              // cold: interpreted
            MemorySegment[] cold = copies(touched);
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long deadline = System.nanoTime() + BUDGET_NANOS, best = Long.MAX_VALUE;
            int window = 50;
            while (best > LIMIT_BYTES_PER_CALL && System.nanoTime() < deadline) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < window; i++) call.run();
                best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / window);
            }
            if (best > LIMIT_BYTES_PER_CALL) {
                fail(name + " still allocates " + best + " bytes per call after warm-up: its Vector API code is not intrinsified");
            }
            for (int k = 0; k < touched.length; k++) touched[k].copyFrom(start[k]);
            call.run();                                              // compiled, intrinsified
            for (int k = 0; k < touched.length; k++) {
                long at = cold[k].mismatch(touched[k]);
                if (at >= 0) {
                    long i = at / Float.BYTES;
                    fail(name + ": segment " + k + " differs at float " + i + " between the first call ("
                            + cold[k].getAtIndex(ValueLayout.JAVA_FLOAT, i) + ") and a compiled one ("
                            + touched[k].getAtIndex(ValueLayout.JAVA_FLOAT, i) + "): the result depends on the JIT tier");
                }
            }
        });
    }

    private static MemorySegment[] copies(MemorySegment[] segs) {
        MemorySegment[] out = new MemorySegment[segs.length];
        for (int k = 0; k < segs.length; k++) out[k] = arena.allocate(segs[k].byteSize(), 64).copyFrom(segs[k]);
        return out;
    }

    @TestFactory
    List<DynamicTest> everyKernelRunsWithoutBoxingOnceCompiledAndGivesItsColdBits() {
        List<DynamicTest> tests = new ArrayList<>();
        int m = 48, n = 1024, k = 216;
        MemorySegment a = random((long) m * k), b = random((long) k * n), c = random((long) m * n);
        tests.add(kernel("sgemm NN", () -> Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n), a, b, c));
        tests.add(kernel("sgemm TN", () -> Sgemm.sgemm(true, false, k, n, m, 1f, a, 0, k, c, 0, n, 0f, b, 0, n), a, b, c));
        tests.add(kernel("sgemm NT", () -> Sgemm.sgemm(false, true, m, k, n, 1f, c, 0, n, b, 0, n, 1f, a, 0, k), a, b, c));

        ConvGeometry[] geometries = {
            new ConvGeometry(1, 3, 64, 64, 24, 5, 1, 2, 1),    // thin first layer (direct path)
            new ConvGeometry(1, 12, 64, 64, 48, 3, 2, 1, 1),   // stride 2
            new ConvGeometry(1, 24, 32, 32, 48, 3, 1, 4, 4),   // dilated
            new ConvGeometry(1, 16, 32, 32, 32, 1, 1, 0, 1),   // pointwise
        };
        for (ConvGeometry g : geometries) {
            MemorySegment x = random(g.inputSize()), w = random(g.weightSize()), bias = random(g.outChannels());
            MemorySegment y = random(g.outputSize()), dx = random(g.inputSize()), dw = random(g.weightSize()), db = random(g.outChannels());
            MemorySegment cols = random((long) g.patchSize() * g.outH() * g.outW());
            tests.add(kernel("conv2d forward " + g, () -> Conv2d.forward(g, x, w, bias, y), x, w, bias, y));
            tests.add(kernel("conv2d backwardData " + g, () -> Conv2d.backwardData(g, y, w, dx), y, w, dx));
            tests.add(kernel("conv2d backwardWeight " + g, () -> Conv2d.backwardWeight(g, x, y, dw, db), x, y, dw, db));
            tests.add(kernel("unfold " + g, () -> Im2col.unfold(g, x, cols), x, cols));
            tests.add(kernel("fold " + g, () -> Im2col.fold(g, cols, dx), cols, dx));
        }

        int planes = 24, hw = 4099;   // ragged on purpose: the tail path runs too
        MemorySegment gx = random(2L * planes * hw), gy = random((long) planes * hw), gdx = random(2L * planes * hw);
        for (GateActivation act : GateActivation.values()) {
            tests.add(kernel("gating forward " + act, () -> Gating.forward(act, 1, planes, hw, gx, gy), gx, gy));
            tests.add(kernel("gating backward " + act, () -> Gating.backward(act, 1, planes, hw, gx, gy, gdx), gx, gy, gdx));
        }
        MemorySegment up = random(4L * planes * hw);
        tests.add(kernel("upsample forward", () -> Upsample.forward(planes, 61, 67, gy, up), gy, up));
        tests.add(kernel("upsample backward", () -> Upsample.backward(planes, 61, 67, up, gy), up, gy));
        tests.add(kernel("maxpool forward", () -> MaxPool.forward(planes, 61, 67, gy, up), gy, up));
        tests.add(kernel("maxpool backward", () -> MaxPool.backward(planes, 61, 67, gy, up, gdx), gy, up, gdx));

        long len = 50_001;
        MemorySegment u = random(len), v = random(len), du = random(len), dv = random(len), pos = positive(len);
        for (UnaryOp op : UnaryOp.values()) {
            MemorySegment in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? pos : u;
            tests.add(kernel("unary forward " + op, () -> Unary.forward(op, 0.2f, len, in, v), in, v));
            tests.add(kernel("unary backward " + op, () -> Unary.backward(op, 0.2f, len, in, v, du, dv), in, v, du, dv));
        }
        tests.add(kernel("affine", () -> Unary.affine(len, 0.5f, 0.25f, u, v), u, v));
        tests.add(kernel("axpy", () -> Unary.axpy(len, 0.5f, u, v), u, v));
        tests.add(kernel("fill", () -> Unary.fill(len, 0.5f, v), v));
        MemorySegment pm = random(len), pv = positive(len);
        tests.add(kernel("adam", () -> AdamKernel.step(len, 7, 1e-4f, 0.5f, 0.999f, 1e-8f, du, u, pm, pv), du, u, pm, pv));
        int[] shape = {2, 24, 33, 31};
        long[] dense = {24L * 33 * 31, 33L * 31, 31, 1}, perChannel = {0, 1, 0, 0};
        for (BinaryOp op : BinaryOp.values()) {
            MemorySegment rhs = op == BinaryOp.DIV ? pos : v;
            tests.add(kernel("binary " + op + " same shape", () -> Binary.forward(op, shape, u, 0, dense, rhs, 0, dense, du), u, rhs, du));
            tests.add(kernel("binary " + op + " per channel", () -> Binary.forward(op, shape, u, 0, dense, rhs, 0, perChannel, du), u, rhs, du));
        }
        long[] channelSums = {0, 1, 0, 0};
        tests.add(kernel("strided copy", () -> StridedCopy.copy(shape, u, 0, dense, v, 0, dense, false), u, v));
        tests.add(kernel("strided accumulate (bias gradient)", () -> StridedCopy.copy(shape, u, 0, dense, v, 0, channelSums, true), u, v));
        // reductions return a double: kept in a segment so the cold/compiled comparison covers them
        MemorySegment out = arena.allocate(Double.BYTES, 8);
        tests.add(kernel("sum", () -> out.set(ValueLayout.JAVA_DOUBLE, 0, Reduce.sum(len, u)), u, out));
        tests.add(kernel("dot", () -> out.set(ValueLayout.JAVA_DOUBLE, 0, Reduce.dot(len, u, v)), u, v, out));
        tests.add(kernel("l1", () -> out.set(ValueLayout.JAVA_DOUBLE, 0, Reduce.l1(len, u, v)), u, v, out));
        tests.add(kernel("l1 backward", () -> Reduce.l1Backward(len, 0.5f, u, v, du, dv), u, v, du, dv));
        tests.add(kernel("softmax rows", () -> Softmax.forward(50, 1000, 1, u, v), u, v));
        tests.add(kernel("softmax inner", () -> Softmax.forward(5, 100, 100, u, v), u, v));
        tests.add(kernel("softmax backward", () -> Softmax.backward(50, 1000, 1, v, u, du), v, u, du));
        tests.add(kernel("softmax backward inner", () -> Softmax.backward(5, 100, 100, v, u, du), v, u, du));
        return tests;
    }
}
