package sonogate.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import sonogate.kernels.AdamKernel;
import sonogate.kernels.Binary;
import sonogate.kernels.BinaryOp;
import sonogate.kernels.Conv2d;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.Gating;
import sonogate.kernels.Im2col;
import sonogate.kernels.MaxPool;
import sonogate.kernels.Reduce;
import sonogate.kernels.Sgemm;
import sonogate.kernels.Softmax;
import sonogate.kernels.StridedCopy;
import sonogate.kernels.Unary;
import sonogate.kernels.UnaryOp;
import sonogate.kernels.Upsample;

/** float32 on the CPU: the Vector API kernels of the kernels module, on pooled native memory. */
final class CpuBackend implements Backend {
    static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    private static MemorySegment seg(Tensor t) {
        return t == null ? null : t.cpuSegment();
    }

    private static MemorySegment base(Tensor t) {
        return ((CpuFloatStorage) t.storage()).segment();
    }

    @Override
    public Storage allocate(long elements) {
        return new CpuFloatStorage(MemoryPool.CPU.allocate(elements * Float.BYTES), elements);
    }

    @Override public void conv2d(ConvGeometry g, Tensor x, Tensor w, Tensor bias, Tensor y) { Conv2d.forward(g, seg(x), seg(w), seg(bias), seg(y)); }
    @Override public void conv2dBackwardData(ConvGeometry g, Tensor dy, Tensor w, Tensor dx) { Conv2d.backwardData(g, seg(dy), seg(w), seg(dx)); }
    @Override public void conv2dBackwardWeight(ConvGeometry g, Tensor x, Tensor dy, Tensor dw, Tensor dbias) { Conv2d.backwardWeight(g, seg(x), seg(dy), seg(dw), seg(dbias)); }
    @Override public void unfold(ConvGeometry g, Tensor x, Tensor cols) { Im2col.unfold(g, seg(x), seg(cols)); }
    @Override public void fold(ConvGeometry g, Tensor cols, Tensor x) { Im2col.fold(g, seg(cols), seg(x)); }
    @Override public void gate(GateActivation act, int n, int c, int hw, Tensor x, Tensor y) { Gating.forward(act, n, c, hw, seg(x), seg(y)); }
    @Override public boolean conv2dGated(ConvGeometry g, GateActivation act, Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (!Conv2d.fusesGate(g)) return false;
        Conv2d.forwardGated(g, act, seg(x), seg(w), seg(bias), seg(out));
        return true;
    }
    @Override public void gateBackward(GateActivation act, int n, int c, int hw, Tensor x, Tensor dy, Tensor dx) { Gating.backward(act, n, c, hw, seg(x), seg(dy), seg(dx)); }
    @Override public void upsample2x(int planes, int h, int w, Tensor x, Tensor y) { Upsample.forward(planes, h, w, seg(x), seg(y)); }
    @Override public void upsample2xBackward(int planes, int h, int w, Tensor dy, Tensor dx) { Upsample.backward(planes, h, w, seg(dy), seg(dx)); }
    @Override public void maxPool2x2(int planes, int h, int w, Tensor x, Tensor y) { MaxPool.forward(planes, h, w, seg(x), seg(y)); }
    @Override public void maxPool2x2Backward(int planes, int h, int w, Tensor x, Tensor dy, Tensor dx) { MaxPool.backward(planes, h, w, seg(x), seg(dy), seg(dx)); }

    @Override public void unary(UnaryOp op, double alpha, Tensor x, Tensor y) { Unary.forward(op, (float) alpha, x.numel(), seg(x), seg(y)); }

    @Override
    public void unaryBackward(UnaryOp op, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        Unary.backward(op, (float) alpha, x.numel(), seg(x), seg(y), seg(dy), seg(dx));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor y) {
        int[] shape = Strides.pad4(y.shape());
        Binary.forward(op, shape, base(a), a.offset(), Strides.pad4(a.strides()), base(b), b.offset(), Strides.pad4(b.strides()), seg(y));
    }

    @Override
    public void copy(Tensor src, Tensor dst, boolean accumulate) {
        StridedCopy.copy(src.shape(), base(src), src.offset(), src.strides(), base(dst), dst.offset(), dst.strides(), accumulate);
    }

    @Override public void affine(Tensor x, double scale, double shift, Tensor y) { Unary.affine(x.numel(), (float) scale, (float) shift, seg(x), seg(y)); }
    @Override public void axpy(double a, Tensor x, Tensor y) { Unary.axpy(x.numel(), (float) a, seg(x), seg(y)); }
    @Override public void fill(Tensor y, double value) { Unary.fill(y.numel(), (float) value, seg(y)); }

    @Override public void sum(Tensor x, Tensor out) { out.cpuSegment().set(ValueLayout.JAVA_FLOAT, 0, (float) Reduce.sum(x.numel(), seg(x))); }
    @Override public void l1(Tensor a, Tensor b, Tensor out) { out.cpuSegment().set(ValueLayout.JAVA_FLOAT, 0, (float) Reduce.l1(a.numel(), seg(a), seg(b))); }

    @Override
    public void l1Backward(Tensor g, double scale, Tensor a, Tensor b, Tensor da, Tensor db) {
        Reduce.l1Backward(a.numel(), (float) (scale * g.item()), seg(a), seg(b), seg(da), seg(db));
    }

    @Override public double dot(Tensor a, Tensor b) { return Reduce.dot(a.numel(), seg(a), seg(b)); }
    @Override public void softmax(int outer, int axis, int inner, Tensor x, Tensor y) { Softmax.forward(outer, axis, inner, seg(x), seg(y)); }
    @Override public void softmaxBackward(int outer, int axis, int inner, Tensor y, Tensor dy, Tensor dx) { Softmax.backward(outer, axis, inner, seg(y), seg(dy), seg(dx)); }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, int step, double lr, double beta1, double beta2, double eps) {
        AdamKernel.step(p.numel(), step, (float) lr, (float) beta1, (float) beta2, (float) eps, seg(p), seg(g), seg(m), seg(v));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, long aOff, int lda,
                     Tensor b, long bOff, int ldb, double beta, Tensor c, long cOff, int ldc) {
        Sgemm.sgemm(transA, transB, m, n, k, (float) alpha, base(a), a.offset() + aOff, lda, base(b), b.offset() + bOff, ldb,
                (float) beta, base(c), c.offset() + cOff, ldc);
    }
}
