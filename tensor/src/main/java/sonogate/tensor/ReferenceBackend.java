package sonogate.tensor;

import sonogate.kernels.AdamKernel;
import sonogate.kernels.Binary;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.Conv2dReference;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.GemmReference;
import sonogate.kernels.Gating;
import sonogate.kernels.Im2col;
import sonogate.kernels.MaxPool;
import sonogate.kernels.Reduce;
import sonogate.kernels.Softmax;
import sonogate.kernels.StridedCopy;
import sonogate.kernels.Unary;
import sonogate.kernels.UnaryOp;
import sonogate.kernels.Upsample;

/**
 * float64 on the Java heap, running the naive reference kernels: the oracle that gradient checks
 * (central finite differences in double) and kernel-equivalence tests compare against. Slow by
 * design; never used by the product's own compute.
 */
final class ReferenceBackend implements Backend {
    static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {}

    /** The tensor's elements starting at index 0 (a copy when it is a view with an offset). */
    private static double[] in(Tensor t) {
        if (t == null) return null;
        double[] data = ((HeapDoubleStorage) t.storage()).data();
        if (t.offset() == 0) return data;
        double[] copy = new double[(int) t.numel()];
        System.arraycopy(data, (int) t.offset(), copy, 0, copy.length);
        return copy;
    }

    /** Runs {@code kernel} on an array starting at the tensor's first element, writing back if it had to copy. */
    private static void out(Tensor t, java.util.function.Consumer<double[]> kernel) {
        if (t == null) {
            kernel.accept(null);
            return;
        }
        double[] data = ((HeapDoubleStorage) t.storage()).data();
        if (t.offset() == 0) {
            kernel.accept(data);
            return;
        }
        double[] tmp = in(t);
        kernel.accept(tmp);
        System.arraycopy(tmp, 0, data, (int) t.offset(), tmp.length);
    }

    private static double[] base(Tensor t) {
        return ((HeapDoubleStorage) t.storage()).data();
    }

    @Override
    public Storage allocate(long elements) {
        return new HeapDoubleStorage(elements);
    }

    @Override public void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y) { out(y, a -> Conv2dReference.forward(g, in(x), in(w), in(bias), a)); }
    @Override public void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx) { out(dx, a -> Conv2dReference.backwardData(g, in(dy), in(w), a)); }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias) {
        out(dw, w -> out(dbias, b -> Conv2dReference.backwardWeight(g, in(x), in(dy), w, b)));
    }

    @Override public void unfold(ConvGeometry g, Tensor x, Tensor cols) { out(cols, a -> Im2col.unfoldReference(g, in(x), a)); }
    @Override public void fold(ConvGeometry g, Tensor cols, Tensor x) { out(x, a -> Im2col.foldReference(g, in(cols), a)); }
    @Override public void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y) { out(y, a -> Gating.forwardReference(act, n, c, hw, in(x), a)); }
    @Override public void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx) { out(dx, a -> Gating.backwardReference(act, n, c, hw, in(x), in(dy), a)); }
    @Override public void upsample2x(int planes, int h, int w, Tensor x, Tensor y) { out(y, a -> Upsample.forwardReference(planes, h, w, in(x), a)); }
    @Override public void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx) { out(dx, a -> Upsample.backwardReference(planes, h, w, in(dy), a)); }
    @Override public void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y) { out(y, a -> MaxPool.forwardReference(planes, h, w, in(x), a)); }
    @Override public void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx) { out(dx, a -> MaxPool.backwardReference(planes, h, w, in(x), in(dy), a)); }

    @Override public void unary(UnaryOp op, double alpha, Tensor x, Tensor y) { out(y, a -> Unary.forwardReference(op, alpha, (int) x.numel(), in(x), a)); }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        out(dx, a -> Unary.backwardReference(op, alpha, (int) x.numel(), in(x), in(y), in(dy), a));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor y) {
        out(y, o -> Binary.forwardReference(op, Strides.pad4(y.shape()), base(a), a.offset(), Strides.pad4(a.strides()),
                base(b), b.offset(), Strides.pad4(b.strides()), o));
    }

    @Override
    public void copy(Tensor src, Tensor dst, boolean accumulate) {
        StridedCopy.copyReference(src.shape(), base(src), src.offset(), src.strides(), base(dst), dst.offset(), dst.strides(), accumulate);
    }

    @Override
    public void affine(Tensor x, double scale, double shift, Tensor y) {
        double[] xs = in(x);
        out(y, ys -> { for (int i = 0; i < x.numel(); i++) ys[i] = scale * xs[i] + shift; });
    }

    @Override
    public void axpy(double a, Tensor x, Tensor y) {
        double[] xs = in(x);
        out(y, ys -> { for (int i = 0; i < x.numel(); i++) ys[i] += a * xs[i]; });
    }

    @Override
    public void fill(Tensor y, double value) {
        out(y, ys -> java.util.Arrays.fill(ys, 0, (int) y.numel(), value));
    }

    @Override public void sum(Tensor x, Tensor out) { out(out, o -> o[0] = Reduce.sumReference((int) x.numel(), in(x))); }
    @Override public void l1(Tensor a, Tensor b, Tensor out) { out(out, o -> o[0] = Reduce.l1Reference((int) a.numel(), in(a), in(b))); }

    @Override
    public void l1Backward(Tensor g, double scale, Tensor a, Tensor b, Tensor da, Tensor db) {
        double s = scale * g.item();
        out(da, x -> out(db, y -> Reduce.l1BackwardReference((int) a.numel(), s, in(a), in(b), x, y)));
    }

    @Override public double dot(Tensor a, Tensor b) { return Reduce.dotReference((int) a.numel(), in(a), in(b)); }
    @Override public void softmax(int outer, int axis, int inner, Tensor x, Tensor y) { out(y, a -> Softmax.forwardReference(outer, axis, inner, in(x), a)); }
    @Override public void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx) { out(dx, a -> Softmax.backwardReference(outer, axis, inner, in(y), in(dy), a)); }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps) {
        double[] gs = in(g);
        out(p, ps -> out(m, ms -> out(v, vs -> AdamKernel.stepReference((int) p.numel(), step, lr, beta1, beta2, eps, ps, gs, ms, vs))));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, long aOff, int lda,
                     Tensor b, long bOff, int ldb, double beta, Tensor c, long cOff, int ldc) {
        GemmReference.gemm(transA, transB, m, n, k, alpha, base(a), (int) (a.offset() + aOff), lda, base(b), (int) (b.offset() + bOff), ldb,
                beta, base(c), (int) (c.offset() + cOff), ldc);
    }
}
