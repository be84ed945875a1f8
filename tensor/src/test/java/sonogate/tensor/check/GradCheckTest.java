package sonogate.tensor.check;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import sonogate.tensor.ops.Ops;

/** The gradient check itself: it must catch a wrong gradient, and must not fail a right one at a kink. */
class GradCheckTest {
    /** Values beside ReLU's kink, three of them closer to it than the finite-difference step (1e-6). */
    private static final double[] NEAR_KINK = {3e-7, -4e-7, 0.8, -1.3, 5e-8, 2.1};

    private static GradCheck.Input fixed(double[] values) {
        return new GradCheck.Input(new int[] {values.length}, GradCheck.Input.Kind.NORMAL, values);
    }

    @Test
    void aRightGradientPassesWithKinksInsideTheStep() {
        GradCheck.check("relu beside its kink", x -> Ops.relu(x[0]), System.nanoTime(), fixed(NEAR_KINK));
    }

    @Test
    void aWrongGradientIsCaughtAtSmoothPoints() {
        // x * detach(x): the tape sees half the true derivative 2x
        assertThrows(AssertionError.class, () ->
                GradCheck.check("x squared, half its gradient", x -> Ops.mul(x[0], Ops.detach(x[0])), System.nanoTime(), GradCheck.Input.normal(3, 4)));
    }

    @Test
    void aWrongGradientIsCaughtAtAKinkToo() {
        // relu(x) + (x - detach(x)): the same values, the tape's slope one too high on both sides
        assertThrows(AssertionError.class, () ->
                GradCheck.check("relu with a wrong slope", x -> Ops.add(Ops.relu(x[0]), Ops.sub(x[0], Ops.detach(x[0]))), System.nanoTime(),
                        fixed(NEAR_KINK)));
    }
}
