package sonogate.tensor.ops;

import java.util.function.UnaryOperator;
import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Views: narrow (channel slices, split), reshape, permute/transpose, and contiguous copies.
 * A view's backward applies the same view to the input's gradient and adds the output gradient
 * into it, which covers every view kind with one rule.
 */
public final class Views {
    private Views() {}

    /** Elements {@code [start, start + length)} of {@code axis}, without copying. */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = Shapes.axis("narrow", axis, x.rank());
        int[] shape = x.shape();
        if (start < 0 || length <= 0 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") outside axis " + a
                    + " of " + Shapes.str(shape));
        }
        return record("narrow", x, t -> {
            int[] s = t.shape();
            s[a] = length;
            return t.view(t.offset() + start * t.strides()[a], s, t.strides());
        });
    }

    /** Every {@code factor}-th row and column of an NCHW tensor (nearest-neighbour downsampling), as a view. */
    public static Tensor subsample(Tensor x, int factor) {
        Checks.rank("subsample", x, 4, "input");
        if (factor < 1) throw new IllegalArgumentException("subsample: factor " + factor + " for " + Shapes.str(x.shape()));
        int[] s = x.shape();
        int h = (s[2] + factor - 1) / factor, w = (s[3] + factor - 1) / factor;
        return record("subsample", x, t -> {
            long[] st = t.strides();
            return t.view(t.offset(), new int[] {s[0], s[1], h, w}, new long[] {st[0], st[1], st[2] * factor, st[3] * factor});
        });
    }

    /** Splits {@code axis} into consecutive pieces of the given sizes (views). */
    public static Tensor[] split(Tensor x, int axis, int... sizes) {
        int a = Shapes.axis("split", axis, x.rank());
        int total = 0;
        for (int s : sizes) total += s;
        if (total != x.dim(a)) {
            throw new IllegalArgumentException("split: sizes sum to " + total + " but axis " + a + " of " + Shapes.str(x.shape()) + " is " + x.dim(a));
        }
        Tensor[] out = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = narrow(x, a, start, sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    /** Same elements, new shape (one entry may be -1). A view when x is contiguous, else a copy. */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] target = resolve(x, shape);
        Tensor src = contiguous(x);
        Tensor y = record("reshape", src, t -> t.view(t.offset(), target, Shapes.contiguousStrides(target)));
        dropCopy(src, x, Tape.needsGrad(src));   // the view keeps the copy's storage alive
        return y;
    }

    /** Reorders dimensions: output dim i is input dim {@code order[i]} (a strided view). */
    public static Tensor permute(Tensor x, int... order) {
        if (order.length != x.rank()) throw new IllegalArgumentException("permute: order of length " + order.length + " for " + Shapes.str(x.shape()));
        boolean[] seen = new boolean[order.length];
        for (int o : order) {
            if (o < 0 || o >= order.length || seen[o]) throw new IllegalArgumentException("permute: invalid order " + java.util.Arrays.toString(order));
            seen[o] = true;
        }
        return record("permute", x, t -> {
            int[] s = t.shape();
            long[] st = t.strides();
            int[] ns = new int[order.length];
            long[] nst = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                ns[i] = s[order[i]];
                nst[i] = st[order[i]];
            }
            return t.view(t.offset(), ns, nst);
        });
    }

    public static Tensor transpose(Tensor x, int a, int b) {
        int[] order = new int[x.rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int ia = Shapes.axis("transpose", a, x.rank()), ib = Shapes.axis("transpose", b, x.rank());
        order[ia] = ib;
        order[ib] = ia;
        return permute(x, order);
    }

    /** x itself when already contiguous, else a contiguous copy (recorded). */
    public static Tensor contiguous(Tensor x) {
        if (x.isContiguous()) return x;
        Tensor y = Tensor.emptyLike(x);
        x.backend().copy(x, y, false);
        if (Tape.needsGrad(x)) {
            Tape.record("contiguous", y, new Tensor[] {x}, gy -> x.backend().copy(gy, x.gradBuffer(), true));
        }
        return y;
    }

    /**
     * Closes {@code copy}, an op's contiguous copy of its input {@code x}, when the op recorded
     * nothing: no backward will read it, so it need not wait for its scope (inference memory).
     */
    static void dropCopy(Tensor copy, Tensor x, boolean recorded) {
        if (copy != x && !recorded) copy.close();
    }

    private static Tensor record(String op, Tensor x, UnaryOperator<Tensor> view) {
        Tensor y = view.apply(x);
        if (Tape.needsGrad(x)) {
            Tape.record(op, y, new Tensor[] {x}, gy -> {
                try (Tensor gradView = view.apply(x.gradBuffer())) {
                    x.backend().copy(gy, gradView, true);
                }
            });
        }
        return y;
    }

    private static int[] resolve(Tensor x, int[] shape) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(shape));
                infer = i;
            } else if (out[i] <= 0) {
                throw new IllegalArgumentException("reshape: invalid size in " + Shapes.str(shape));
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (x.numel() % known != 0) throw new IllegalArgumentException("reshape: cannot view " + Shapes.str(x.shape()) + " as " + Shapes.str(shape));
            out[infer] = (int) (x.numel() / known);
        }
        if (Shapes.numel(out) != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot view " + Shapes.str(x.shape()) + " (" + x.numel() + " elements) as " + Shapes.str(shape));
        }
        return out;
    }
}
