package sonogate.tensor.check;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import sonogate.tensor.DType;
import sonogate.tensor.HeapDoubleStorage;
import sonogate.tensor.Scope;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * The op-check harness (the shape of ggml's test-backend-ops and PyTorch's gradcheck):
 * <ol>
 *   <li>In float64 on the reference backend, the tape's gradients of L = sum(f(x) * R), for a
 *       random projection R, must equal central finite differences of L computed in double.</li>
 *   <li>In float32 on the CPU backend, with the same (float-representable) inputs, f and its
 *       gradients must match the float64 results.</li>
 * </ol>
 * Inputs are fresh random draws on every run; a failure message names the op, input and element.
 */
public final class GradCheck {

    /** One input of the function under test. */
    public record Input(int[] shape, Kind kind, double[] fixedValues) {
        public enum Kind { NORMAL, POSITIVE, CONSTANT }

        /** Standard-normal values; its gradient is checked. */
        public static Input normal(int... shape) { return new Input(shape, Kind.NORMAL, null); }
        /** Values in [0.5, 2): for log, sqrt, divisors. */
        public static Input positive(int... shape) { return new Input(shape, Kind.POSITIVE, null); }
        /** Normal values that do not require grad (masks, state). */
        public static Input constant(int... shape) { return new Input(shape, Kind.CONSTANT, null); }
        /** Given values that do not require grad. */
        public static Input constant(double[] values, int... shape) { return new Input(shape, Kind.CONSTANT, values); }
    }

    /** Tolerances: the double FD check, the float forward and the float gradients (relative to max(1, max|ref|)). */
    public record Tolerance(double finiteDifference, double forward32, double gradient32) {
        public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-5, 1e-4);
    }

    private static final double EPS = 1e-6;
    /** Relative size of the nudges that tell a draw beside a kink from a wrong float32 gradient. */
    private static final double NUDGE = 1e-5;
    /** Fresh draws after draws that sit within float32 rounding of a kink, before giving up. */
    private static final int MAX_REDRAWS = 3;

    /** The float32 gradients missed the float64 ones at a draw where the float64 gradient itself jumps nearby. */
    private static final class NearKink extends RuntimeException {
        NearKink(String message) {
            super(message, null, false, false);
        }
    }

    private GradCheck() {}

    public static void check(String name, Function<Tensor[], Tensor> f, long seed, Input... inputs) {
        check(name, f, seed, Tolerance.DEFAULT, inputs);
    }

    /**
     * A draw whose float32 gradients miss the float64 ones only because it lies within float32
     * rounding of a kink (a ReLU input or two max-pool candidates that float32 orders the other way)
     * is replaced by a fresh one, up to {@value #MAX_REDRAWS} times; a wrong float32 gradient misses
     * on every draw and still fails.
     */
    public static void check(String name, Function<Tensor[], Tensor> f, long seed, Tolerance tol, Input... inputs) {
        long draw = seed;
        for (int redraws = 0; ; redraws++) {
            try {
                run(name, f, draw, tol, inputs);
                return;
            } catch (NearKink e) {
                if (redraws == MAX_REDRAWS) {
                    throw new AssertionError(e.getMessage() + " [seed " + draw + "; first seed " + seed + ", every draw near a kink]");
                }
                System.out.println("GradCheck " + name + ": seed " + draw + " lies within float32 rounding of a kink; drawing again");
                draw = new SplittableRandom(draw).nextLong();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " [seed " + draw + (draw == seed ? "" : "; first seed " + seed) + "]", e);
            }
        }
    }

    private static void run(String name, Function<Tensor[], Tensor> f, long seed, Tolerance tol, Input... inputs) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] values = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) values[i] = draw(rng, inputs[i]);

        try (Scope scope = Scope.open()) {
            Tensor[] x64 = make(DType.F64, inputs, values);
            Tensor y64 = f.apply(x64);
            double[] projection = new double[(int) y64.numel()];
            for (int i = 0; i < projection.length; i++) projection[i] = (float) rng.nextGaussian();
            Tensor r64 = Tensor.of(DType.F64, projection, y64.shape());
            Tape.backward(Ops.sum(Ops.mul(y64, r64)));
            double[] forward64 = y64.toDoubleArray();
            List<double[]> grads64 = gradients(x64);

            // 1. tape gradients vs finite differences, all in double
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].kind() == Input.Kind.CONSTANT) continue;
                double[] data = ((HeapDoubleStorage) x64[i].storage()).data();
                double[] numeric = new double[data.length], left = new double[data.length], right = new double[data.length];
                double centre = projected(f, x64, r64);
                for (int j = 0; j < data.length; j++) {
                    double saved = data[j];
                    data[j] = saved + EPS;
                    double plus = projected(f, x64, r64);
                    data[j] = saved - EPS;
                    double minus = projected(f, x64, r64);
                    data[j] = saved;
                    numeric[j] = (plus - minus) / (2 * EPS);
                    left[j] = (centre - minus) / EPS;
                    right[j] = (plus - centre) / EPS;
                }
                acceptKinks(grads64.get(i), numeric, left, right, tol.finiteDifference());
                compare(name + ": float64 gradient of input " + i + " " + Shapes.str(inputs[i].shape()) + " vs finite differences",
                        grads64.get(i), numeric, tol.finiteDifference());
            }

            // 2. the float32 engine vs the float64 reference
            Tensor[] x32 = make(DType.F32, inputs, values);
            Tensor y32 = f.apply(x32);
            compare(name + ": float32 forward vs float64 " + Shapes.str(y32.shape()), y32.toDoubleArray(), forward64, tol.forward32());
            Tensor r32 = Tensor.of(DType.F32, projection, y32.shape());
            Tape.backward(Ops.sum(Ops.mul(y32, r32)));
            List<double[]> grads32 = gradients(x32);
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].kind() == Input.Kind.CONSTANT) continue;
                String what = name + ": float32 gradient of input " + i + " " + Shapes.str(inputs[i].shape()) + " vs float64";
                try {
                    compare(what, grads32.get(i), grads64.get(i), tol.gradient32());
                } catch (AssertionError e) {
                    if (gradientJumpsNearby(f, inputs, values, r64, grads64, rng, tol.gradient32())) throw new NearKink(e.getMessage());
                    throw e;
                }
            }
            for (Tensor t : x32) t.close();
            for (Tensor t : x64) t.close();
        }
    }

    /**
     * A kink (ReLU at 0, a max-pool tie, a hinge) within the finite-difference step makes the
     * central difference a blend of two slopes, not a derivative: a fresh draw in CI put one there.
     * Where the two one-sided differences disagree and the tape's gradient lies between them (it is
     * the slope of the side the point is on), that gradient is accepted as the reference; anywhere
     * else the central difference stays the reference.
     */
    private static void acceptKinks(double[] tape, double[] numeric, double[] left, double[] right, double tolerance) {
        double scale = 1;
        for (double v : numeric) scale = Math.max(scale, Math.abs(v));
        double slack = tolerance * scale;
        for (int j = 0; j < numeric.length; j++) {
            boolean kink = Math.abs(right[j] - left[j]) > slack;
            double lo = Math.min(left[j], right[j]) - slack, hi = Math.max(left[j], right[j]) + slack;
            if (kink && tape[j] >= lo && tape[j] <= hi) numeric[j] = tape[j];
        }
    }

    /**
     * Whether the float64 gradient changes by more than {@code tolerance} under nudges of the inputs
     * by up to {@value #NUDGE} of their size: the draw then lies that close to a kink, and float32's
     * rounding of the forward pass may have put it on the other side. The first two nudges move every
     * input up, then down, by the full amount, which carries any value that close to a ReLU's or
     * hinge's kink across it for certain; the random ones after them reorder near-ties (max-pool).
     */
    private static boolean gradientJumpsNearby(Function<Tensor[], Tensor> f, Input[] inputs, double[][] values, Tensor r64,
                                               List<double[]> grads64, SplittableRandom rng, double tolerance) {
        for (int nudge = 0; nudge < 6; nudge++) {
            double[][] moved = new double[values.length][];
            for (int i = 0; i < values.length; i++) {
                moved[i] = values[i].clone();
                if (inputs[i].kind() == Input.Kind.CONSTANT) continue;
                for (int j = 0; j < moved[i].length; j++) {
                    double step = nudge == 0 ? 1 : nudge == 1 ? -1 : rng.nextDouble(-1, 1);
                    moved[i][j] += NUDGE * Math.max(1, Math.abs(moved[i][j])) * step;
                }
            }
            try (Scope scope = Scope.open()) {
                Tensor[] x = make(DType.F64, inputs, moved);
                Tape.backward(Ops.sum(Ops.mul(f.apply(x), r64)));
                List<double[]> grads = gradients(x);
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i].kind() == Input.Kind.CONSTANT) continue;
                    try {
                        compare("nudged", grads.get(i), grads64.get(i), tolerance);
                    } catch (AssertionError jump) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static double projected(Function<Tensor[], Tensor> f, Tensor[] x, Tensor r) {
        try (Scope s = Scope.open(); var ng = Tape.noGrad()) {
            return Ops.sum(Ops.mul(f.apply(x), r)).item();
        }
    }

    private static Tensor[] make(DType dtype, Input[] inputs, double[][] values) {
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = Tensor.of(dtype, values[i], inputs[i].shape()).requiresGrad(inputs[i].kind() != Input.Kind.CONSTANT);
        }
        return out;
    }

    private static List<double[]> gradients(Tensor[] xs) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : xs) out.add(t.grad() == null ? new double[(int) t.numel()] : t.grad().toDoubleArray());
        return out;
    }

    private static double[] draw(SplittableRandom rng, Input in) {
        if (in.fixedValues() != null) return in.fixedValues().clone();
        double[] v = new double[(int) Shapes.numel(in.shape())];
        for (int i = 0; i < v.length; i++) {
            // Float-representable values, so both precisions see exactly the same inputs.
            v[i] = (float) (in.kind() == Input.Kind.POSITIVE ? 0.5 + 1.5 * rng.nextDouble() : rng.nextGaussian());
        }
        return v;
    }

    /** Fails unless max|actual - expected| <= tol * max(1, max|expected|). */
    public static void compare(String what, double[] actual, double[] expected, double tol) {
        if (actual.length != expected.length) throw new AssertionError(what + ": length " + actual.length + " vs " + expected.length);
        double scale = 1, worst = 0;
        int at = -1;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= worst)) {   // also catches NaN
                worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                at = i;
            }
        }
        if (worst > tol * scale) {
            throw new AssertionError(String.format("%s: relative error %.3g > %.1g at element %d (got %.9g, expected %.9g)",
                    what, worst / scale, tol, at, actual[at], expected[at]));
        }
    }
}
