package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tensor;

/** Argument checks shared by the ops: every failure names the op and the shapes involved. */
final class Checks {
    private Checks() {}

    static void rank(String op, Tensor t, int rank, String what) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must have rank " + rank + ", got " + Shapes.str(t.shape()));
        }
    }

    static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": shapes differ: " + Shapes.str(a.shape()) + " vs " + Shapes.str(b.shape()));
        }
    }

    static void sameBackend(String op, Tensor... ts) {
        Tensor first = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (first == null) first = t;
            else if (t.device() != first.device() || t.dtype() != first.dtype()) {
                throw new IllegalArgumentException(op + ": mixes " + first.dtype() + "/" + first.device() + " and "
                        + t.dtype() + "/" + t.device() + " tensors");
            }
        }
    }

    static void finite(String op, Tensor result, Tensor... inputs) {
        double v = result.item();
        if (!Double.isFinite(v)) {
            StringBuilder shapes = new StringBuilder();
            for (Tensor t : inputs) shapes.append(' ').append(Shapes.str(t.shape()));
            throw new ArithmeticException(op + ": non-finite result " + v + " for inputs" + shapes);
        }
    }
}
