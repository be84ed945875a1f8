package sonogate.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.tensor.ops.Ops;

class ScopeAndTapeTest {

    @Test
    void scopeFreesEverythingCreatedInside() {
        long inUse = MemoryPool.CPU.inUseBytes();
        Tensor kept;
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.randn(new SplittableRandom(), DType.F32, 8, 8);
            Tensor b = Ops.tanh(Ops.mul(a, a));
            kept = s.detach(Ops.sum(b));
            assertTrue(MemoryPool.CPU.inUseBytes() > inUse);
        }
        assertFalse(kept.isClosed());
        kept.close();
        assertEquals(inUse, MemoryPool.CPU.inUseBytes());
    }

    @Test
    void noGradRecordsNothing() {
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.randn(new SplittableRandom(), DType.F32, 4, 4).requiresGrad(true);
            try (var ng = Tape.noGrad()) {
                Tensor y = Ops.sum(Ops.mul(w, w));
                assertEquals(0, Tape.size());
                assertFalse(y.requiresGrad());
            }
            Ops.sum(Ops.mul(w, w));
            assertEquals(2, Tape.size());
        }
        assertEquals(0, Tape.size(), "closing the recording scope clears the tape");
    }

    @Test
    void gradientsAccumulateAcrossUsesAndBackwardCalls() {
        try (Scope s = Scope.open()) {
            double[] v = {0.5, -1.25, 2.0};
            Tensor x = Tensor.of(DType.F64, v, 3).requiresGrad(true);
            Tape.backward(Ops.sum(Ops.mul(x, x)));          // d/dx sum x^2 = 2x, x used twice
            Tape.backward(Ops.sum(Ops.mulScalar(x, 3.0)));  // + 3
            double[] g = x.grad().toDoubleArray();
            for (int i = 0; i < 3; i++) assertEquals(2 * v[i] + 3, g[i], 1e-12);
            x.zeroGrad();
            assertEquals(0.0, x.grad().toDoubleArray()[1]);
        }
    }

    @Test
    void interiorGradientsAreFreedAfterUse() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.randn(new SplittableRandom(), DType.F32, 5).requiresGrad(true);
            Tensor h = Ops.tanh(x);
            Tape.backward(Ops.sum(h));
            assertNull(h.grad());
            assertTrue(x.grad() != null);
        }
    }

    @Test
    void backwardNeedsAScalarLossThatDependsOnParameters() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(3).requiresGrad(true);
            assertThrows(IllegalArgumentException.class, () -> Tape.backward(Ops.tanh(x)));
            Tape.clear();
            assertThrows(IllegalArgumentException.class, () -> Tape.backward(Ops.sum(Tensor.zeros(3))));
        }
    }

    @Test
    void retainedGraphServesASecondLossOnTheSameForward() {
        // the GAN step's pattern: h = f(x) feeds loss A (through a detached copy) and then loss B
        try (Scope s = Scope.open()) {
            double[] v = {0.5, -1.25, 2.0};
            Tensor x = Tensor.of(DType.F64, v, 3).requiresGrad(true);
            Tensor w = Tensor.of(DType.F64, new double[] {2, 2, 2}, 3).requiresGrad(true);
            Tensor h = Ops.mul(x, x);                                     // x's graph, needed by loss B
            Tape.backward(Ops.sum(Ops.mul(w, Ops.detach(h))), true);      // loss A: only w
            assertNull(x.grad(), "the detached branch sends nothing to x");
            assertTrue(Tape.size() > 0, "retained");
            Tape.backward(Ops.sum(Ops.mul(w, h)));                         // loss B: back through h to x
            double[] gx = x.grad().toDoubleArray(), gw = w.grad().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(4 * v[i], gx[i], 1e-12);
                assertEquals(2 * v[i] * v[i], gw[i], 1e-12, "w's gradient accumulates over both losses");
            }
            assertEquals(0, Tape.size(), "a non-retaining backward clears the tape");
        }
    }
}
