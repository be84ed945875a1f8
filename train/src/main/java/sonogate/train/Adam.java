package sonogate.train;

import sonogate.tensor.Tensor;

/**
 * Adam (MODEL.md: lr 1e-4, betas (0.5, 0.999)) over one contiguous range of a parameter slab and
 * its gradient slab: one fused kernel call per step, whatever the number of layers. The moment
 * slabs m and v and the step count are the optimiser's state (what a checkpoint saves).
 */
public final class Adam implements AutoCloseable {
    private final Tensor params, grads, m, v;
    private final double lr, beta1, beta2, eps;
    private int step;

    /** Optimises {@code params} (a contiguous view, e.g. the generator's part of the slab) with {@code grads}. */
    public Adam(Tensor params, Tensor grads, double lr, double beta1, double beta2, double eps) {
        if (!params.sameShape(grads) || !params.isContiguous() || !grads.isContiguous()) {
            throw new IllegalArgumentException("adam: parameters " + params + " and gradients " + grads + " must be contiguous and alike");
        }
        this.params = params;
        this.grads = grads;
        this.m = Tensor.zerosLike(params);
        this.v = Tensor.zerosLike(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** MODEL.md's settings: lr 1e-4, betas (0.5, 0.999), eps 1e-8. */
    public static Adam withSpecDefaults(Tensor params, Tensor grads) {
        return new Adam(params, grads, 1e-4, 0.5, 0.999, 1e-8);
    }

    public void step() {
        step++;
        params.backend().adamStep(params, grads, m, v, step, lr, beta1, beta2, eps);
    }

    public int stepCount() { return step; }
    /** Restores the step count (checkpoint resume); the moments are restored by writing into {@link #firstMoment()} and {@link #secondMoment()}. */
    public void setStepCount(int step) { this.step = step; }
    public Tensor firstMoment() { return m; }
    public Tensor secondMoment() { return v; }

    @Override
    public void close() {
        m.close();
        v.close();
    }
}
