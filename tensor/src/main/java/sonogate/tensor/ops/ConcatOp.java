package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Concatenation along an axis (channels for the generator's inputs and branch merge). */
public final class ConcatOp {

    private ConcatOp() {}

    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: no inputs");
        int a = Shapes.axis("concat", axis, xs[0].rank());
        Checks.sameBackend("concat", xs);
        int[] shape = xs[0].shape();
        int total = 0;
        for (Tensor t : xs) {
            int[] s = t.shape();
            boolean fits = s.length == shape.length;
            for (int i = 0; fits && i < s.length; i++) fits = i == a || s[i] == shape[i];
            if (!fits) throw new IllegalArgumentException("concat: " + Shapes.str(s) + " does not match " + Shapes.str(shape) + " outside axis " + a);
            total += s[a];
        }
        shape[a] = total;
        Tensor y = Tensor.empty(xs[0].device(), xs[0].dtype(), shape);
        int start = 0;
        for (Tensor t : xs) {
            try (Tensor slot = slice(y, a, start, t.dim(a))) {
                t.backend().copy(t, slot, false);
            }
            start += t.dim(a);
        }
        if (Tape.needsGrad(xs)) {
            Tensor[] inputs = xs.clone();
            Tape.record("concat", y, inputs, gy -> {
                int from = 0;
                for (Tensor t : inputs) {
                    if (t.requiresGrad()) {
                        try (Tensor part = slice(gy, a, from, t.dim(a))) {
                            t.backend().copy(part, t.gradBuffer(), true);
                        }
                    }
                    from += t.dim(a);
                }
            });
        }
        return y;
    }

    private static Tensor slice(Tensor t, int axis, int start, int length) {
        int[] s = t.shape();
        s[axis] = length;
        return t.view(t.offset() + start * t.strides()[axis], s, t.strides());
    }

}
