package sonogate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tensor;

/** Bad shapes and values fail with an exception naming the op and the shapes, never a crash. */
class BadInputTest {
    private Scope scope;

    @BeforeEach void open() { scope = Scope.open(); }
    @AfterEach void close() { scope.close(); }

    private static void fails(Class<? extends Throwable> type, Executable call, String... mustMention) {
        Throwable e = assertThrows(type, call);
        for (String s : mustMention) assertTrue(e.getMessage().contains(s), "message '" + e.getMessage() + "' should mention " + s);
    }

    @Test
    void convolutionShapeMismatches() {
        Tensor x = Tensor.zeros(1, 3, 8, 8);
        fails(IllegalArgumentException.class, () -> Ops.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, 1, 1, 1), "conv2d", "[4, 2, 3, 3]", "[1, 3, 8, 8]");
        fails(IllegalArgumentException.class, () -> Ops.conv2d(x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(5), 1, 1, 1), "conv2d", "bias");
        fails(IllegalArgumentException.class, () -> Ops.conv2d(x, Tensor.zeros(4, 3, 9, 9), null, 1, 0, 1), "conv2d", "larger than");
        fails(IllegalArgumentException.class, () -> Ops.conv2d(x, Tensor.zeros(4, 3, 3, 3), null, 0, 1, 1), "conv2d");
        fails(IllegalArgumentException.class, () -> Ops.conv2d(Tensor.zeros(3, 8, 8), Tensor.zeros(4, 3, 3, 3), null, 1, 1, 1), "conv2d", "rank 4");
    }

    @Test
    void negativeOrZeroSizes() {
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3, -2), "invalid shape", "[3, -2]");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(0, 4), "invalid shape");
        fails(IllegalArgumentException.class, () -> Ops.reshape(Tensor.zeros(3, 4), 5, -1), "reshape", "[3, 4]");
    }

    @Test
    void elementwiseAndMatmulMismatches() {
        fails(IllegalArgumentException.class, () -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "add", "[2, 3]", "[2, 4]");
        fails(IllegalArgumentException.class, () -> Ops.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]");
        fails(IllegalArgumentException.class, () -> Ops.l1Loss(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), "l1_loss", "[2, 3]");
        fails(IllegalArgumentException.class, () -> Ops.concat(1, Tensor.zeros(1, 2, 4, 4), Tensor.zeros(1, 2, 5, 4)), "concat");
        fails(IllegalArgumentException.class, () -> Ops.narrow(Tensor.zeros(1, 4, 2, 2), 1, 3, 2), "narrow", "[1, 4, 2, 2]");
        fails(IllegalArgumentException.class, () -> Ops.gate(Tensor.zeros(1, 3, 2, 2), sonogate.kernels.GateActivation.ELU), "gate", "even");
        fails(IllegalArgumentException.class, () -> Ops.softmax(Tensor.zeros(2, 3), 2), "softmax", "axis");
        fails(IllegalArgumentException.class, () -> Ops.fold(Tensor.zeros(1, 9, 10), 7, 7, 3, 1, 1, 1), "fold", "positions");
    }

    @Test
    void mixingPrecisionsIsRejected() {
        fails(IllegalArgumentException.class, () -> Ops.mul(Tensor.zeros(2, 3), Tensor.zeros(DType.F64, 2, 3)), "mul", "F32", "F64");
    }

    @Test
    void nonFiniteLossesAreReportedNotPropagated() {
        Tensor a = Tensor.of(new float[] {1, Float.NaN, 3}, 3);
        fails(ArithmeticException.class, () -> Ops.l1Loss(a, Tensor.zeros(3)), "l1_loss", "NaN", "[3]");
        Tensor w = Tensor.zeros(4, 3);
        fails(ArithmeticException.class, () -> Ops.spectralNorm(w, Tensor.zeros(4), Tensor.zeros(3), false), "spectral_norm", "sigma");
    }
}
