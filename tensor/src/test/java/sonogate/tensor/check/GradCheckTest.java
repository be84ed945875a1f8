package sonogate.tensor.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sonogate.tensor.DType;
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

    @Test
    void aFloat32OnlyWrongGradientIsCaughtAndNotTakenForAKink() {
        // float64 differentiates x * x; float32 sees x * detach(x), half the gradient, at smooth points
        AssertionError e = assertThrows(AssertionError.class, () ->
                GradCheck.check("x squared, half its float32 gradient",
                        x -> x[0].dtype() == DType.F32 ? Ops.mul(x[0], Ops.detach(x[0])) : Ops.mul(x[0], x[0]), System.nanoTime(),
                        GradCheck.Input.normal(3, 4)));
        assertTrue(e.getMessage().contains("float32 gradient"), e.getMessage());
        assertFalse(e.getMessage().contains("near a kink"), e.getMessage());
    }

    @Test
    void aDrawWithinFloat32RoundingOfAKinkIsToldApart() {
        // relu((1 + x) - 1) for |x| = 1e-8: float64 sees x, float32 sees 0 (1 + 1e-8 rounds to 1), so
        // the float32 ReLU takes the other side of its kink; the float64 gradient jumps within 1e-5,
        // and as the values are fixed every redraw lands there again
        GradCheck.Input one = GradCheck.Input.constant(new double[] {1, 1, 1, 1}, 4);
        GradCheck.Input tiny = new GradCheck.Input(new int[] {4}, GradCheck.Input.Kind.NORMAL, new double[] {1e-8, -1e-8, 0.7, -0.6});
        AssertionError e = assertThrows(AssertionError.class, () ->
                GradCheck.check("relu below float32's resolution", x -> Ops.relu(Ops.sub(Ops.add(x[0], x[1]), x[0])), System.nanoTime(), one, tiny));
        assertTrue(e.getMessage().contains("every draw near a kink"), e.getMessage());
    }
}
