package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * sum and mean, over everything (to a scalar) or over chosen axes. An axis reduction is a copy
 * that accumulates into a zero-stride view of the output; its backward is the broadcast copy back.
 */
public final class Reductions {
    private Reductions() {}

    /** Sum of all elements, a scalar (shape []). */
    public static Tensor sum(Tensor x) {
        Tensor xc = Views.contiguous(x);
        Tensor y = Tensor.empty(x.device(), x.dtype());
        x.backend().sum(xc, y);
        boolean recorded = Tape.needsGrad(xc);
        Views.dropCopy(xc, x, recorded);
        if (recorded) {
            Tape.record("sum", y, new Tensor[] {xc}, gy -> {
                try (Tensor g = Arithmetic.expand(gy, xc.shape())) {
                    xc.backend().copy(g, xc.gradBuffer(), true);
                }
            });
        }
        return y;
    }

    /** Mean of all elements, a scalar. */
    public static Tensor mean(Tensor x) {
        return Arithmetic.mulScalar(sum(x), 1.0 / x.numel());
    }

    /** Sum over {@code axes}; reduced axes stay as size 1 when {@code keepDims}. */
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        int[] shape = x.shape();
        int[] kept = shape.clone();
        for (int a : axes) kept[Shapes.axis("sum", a, shape.length)] = 1;
        Tensor y = Tensor.zeros(x.device(), x.dtype(), kept);
        try (Tensor yv = Arithmetic.expand(y, shape)) {
            x.backend().copy(x, yv, true);
        }
        if (Tape.needsGrad(x)) {
            Tape.record("sum_axes", y, new Tensor[] {x}, gy -> {
                try (Tensor g = Arithmetic.expand(gy, shape)) {
                    x.backend().copy(g, x.gradBuffer(), true);
                }
            });
        }
        if (keepDims) return y;
        int[] squeezed = new int[shape.length - distinct(axes, shape.length)];
        for (int i = 0, j = 0; i < shape.length; i++) if (!contains(axes, i, shape.length)) squeezed[j++] = shape[i];
        return Views.reshape(y, squeezed.length == 0 ? new int[0] : squeezed);
    }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        long count = 1;
        for (int a : axes) count *= x.dim(a);
        return Arithmetic.mulScalar(sum(x, keepDims, axes), 1.0 / count);
    }

    private static boolean contains(int[] axes, int axis, int rank) {
        for (int a : axes) if (Shapes.axis("sum", a, rank) == axis) return true;
        return false;
    }

    private static int distinct(int[] axes, int rank) {
        int n = 0;
        for (int i = 0; i < rank; i++) if (contains(axes, i, rank)) n++;
        return n;
    }
}
