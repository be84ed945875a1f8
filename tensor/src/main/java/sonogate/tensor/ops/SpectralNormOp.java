package sonogate.tensor.ops;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/**
 * Spectral normalisation of a weight (Miyato et al. 2018, as in PyTorch's spectral_norm): the
 * weight viewed as W [Cout, K] is divided by sigma = u^T W v, where u [Cout] and v [K] are
 * persistent estimates of its top singular vectors. In training mode one power iteration per call
 * refines them in place (v = norm(W^T u), u = norm(W v)); in inference they are used as stored.
 * As in PyTorch, u and v are constants for autodiff, so
 * dL/dW = (G - (sum(G * W) / sigma) u v^T) / sigma for G = dL/d(W / sigma).
 */
public final class SpectralNormOp {
    private SpectralNormOp() {}

    private static final double EPS = 1e-12;

    public static Tensor spectralNorm(Tensor w, Tensor u, Tensor v, boolean powerIteration) {
        Checks.sameBackend("spectral_norm", w, u, v);
        if (w.rank() < 2) throw new IllegalArgumentException("spectral_norm: weight must have rank >= 2, got " + Shapes.str(w.shape()));
        int rows = w.dim(0), cols = (int) (w.numel() / rows);
        if (u.numel() != rows || v.numel() != cols || !u.isContiguous() || !v.isContiguous()) {
            throw new IllegalArgumentException("spectral_norm: weight " + Shapes.str(w.shape()) + " needs contiguous u [" + rows
                    + "] and v [" + cols + "], got " + Shapes.str(u.shape()) + " and " + Shapes.str(v.shape()));
        }
        Tensor wc = Views.contiguous(w);
        Tensor wv = Tensor.empty(w.device(), w.dtype(), rows);
        if (powerIteration) {
            // v = normalize(W^T u); u = normalize(W v)
            w.backend().gemm(true, false, cols, 1, rows, 1.0, wc, 0, cols, u, 0, 1, 0.0, v, 0, 1);
            normalize(v);
            w.backend().gemm(false, false, rows, 1, cols, 1.0, wc, 0, cols, v, 0, 1, 0.0, u, 0, 1);
            normalize(u);
        }
        w.backend().gemm(false, false, rows, 1, cols, 1.0, wc, 0, cols, v, 0, 1, 0.0, wv, 0, 1);
        double sigma = w.backend().dot(u, wv);
        wv.close();
        if (sigma == 0 || !Double.isFinite(sigma)) {   // power iteration keeps it > 0; 0 or NaN means a dead or broken weight
            throw new ArithmeticException("spectral_norm: sigma " + sigma + " for weight " + Shapes.str(w.shape()));
        }
        Tensor y = Tensor.emptyLike(wc);
        w.backend().affine(wc, 1.0 / sigma, 0.0, y);
        if (Tape.needsGrad(wc)) {
            Tensor uFixed = snapshot(u), vFixed = snapshot(v);
            Tape.record("spectral_norm", y, new Tensor[] {wc, uFixed, vFixed}, gy -> {
                double gw = wc.backend().dot(gy, wc);
                Tensor dw = wc.gradBuffer();
                wc.backend().axpy(1.0 / sigma, gy, dw);
                wc.backend().gemm(false, false, rows, cols, 1, -gw / (sigma * sigma), uFixed, 0, 1, vFixed, 0, cols, 1.0, dw, 0, cols);
            });
        }
        return y;
    }

    /** The vectors as used by this forward pass (a later power iteration must not change this step's gradient). */
    private static Tensor snapshot(Tensor t) {
        Tensor s = Tensor.emptyLike(t);
        t.backend().copy(t, s, false);
        return s;
    }

    private static void normalize(Tensor t) {
        t.backend().normalize(t, EPS);
    }
}
