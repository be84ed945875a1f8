package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Matrix product: [M,K] x [K,N], or batched [B,M,K] x [B,K,N] where either side may be 2-D
 * (shared by every batch). Forward and both gradients are GEMMs on the same buffers; the
 * gradient of a shared operand accumulates over the batch through beta = 1.
 */
public final class MatmulOp {
    private MatmulOp() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.sameBackend("matmul", a, b);
        if (a.rank() < 2 || a.rank() > 3 || b.rank() < 2 || b.rank() > 3) {
            throw new IllegalArgumentException("matmul: operands must have rank 2 or 3, got " + Shapes.str(a.shape()) + " x " + Shapes.str(b.shape()));
        }
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        int batchA = a.rank() == 3 ? a.dim(0) : 1, batchB = b.rank() == 3 ? b.dim(0) : 1;
        if (b.dim(-2) != k || (batchA != batchB && batchA != 1 && batchB != 1)) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " x " + Shapes.str(b.shape()) + " do not multiply");
        }
        int batch = Math.max(batchA, batchB);
        boolean batched = a.rank() == 3 || b.rank() == 3;
        Tensor ac = Views.contiguous(a), bc = Views.contiguous(b);
        Tensor y = batched ? Tensor.empty(a.device(), a.dtype(), batch, m, n) : Tensor.empty(a.device(), a.dtype(), m, n);
        long strideA = batchA == 1 ? 0 : (long) m * k, strideB = batchB == 1 ? 0 : (long) k * n, strideY = (long) m * n;
        for (int i = 0; i < batch; i++) {
            a.backend().gemm(false, false, m, n, k, 1.0, ac, i * strideA, k, bc, i * strideB, n, 0.0, y, i * strideY, n);
        }
        boolean recorded = Tape.needsGrad(ac, bc);
        Views.dropCopy(ac, a, recorded);
        Views.dropCopy(bc, b, recorded);
        if (recorded) {
            Tape.record("matmul", y, new Tensor[] {ac, bc}, gy -> {
                for (int i = 0; i < batch; i++) {
                    if (ac.requiresGrad()) {   // dA = dY * B^T
                        ac.backend().gemm(false, true, m, k, n, 1.0, gy, i * strideY, n, bc, i * strideB, n, 1.0, ac.gradBuffer(), i * strideA, k);
                    }
                    if (bc.requiresGrad()) {   // dB = A^T * dY
                        bc.backend().gemm(true, false, k, n, m, 1.0, ac, i * strideA, k, gy, i * strideY, n, 1.0, bc.gradBuffer(), i * strideB, n);
                    }
                }
            });
        }
        return y;
    }
}
