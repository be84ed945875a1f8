// Fused gate of a gated convolution (sonogate.kernels.Gating): x is the conv output
// [N, 2C, HW] whose first C channels are features f and last C gates g;
// y [N, C, HW] = act(f) * sigmoid(g), act = ELU (alpha 1) or ReLU. backward ADDS into dx [N, 2C, HW].
// sigmoid(g) = 1 / (1 + e), e = exp(min(-g, 88)); sigmoid' = s * (e * s) (no cancellation near 1).
#pragma once
#include "common.cuh"

SG_HD float sg_gate_act(int elu, float f) {
    if (f > 0.0f) return f;
    return elu ? expm1f(f) : 0.0f;
}

// Offsets of output element i's feature and gate inputs.
SG_HD void sg_gate_offsets(sg_index i, int c, sg_index hw, sg_index* f, sg_index* g) {
    sg_index plane = i / hw, p = i - plane * hw;
    sg_index b = plane / c, ch = plane - b * c;
    *f = (b * 2 * c + ch) * hw + p;
    *g = *f + (sg_index)c * hw;
}

SG_HD void sg_gate_forward_at(sg_index i, int elu, int c, sg_index hw, const float* x, float* y) {
    sg_index f, g;
    sg_gate_offsets(i, c, hw, &f, &g);
    float s = 1.0f / (1.0f + expf(fminf(-x[g], SG_EXP_CLAMP)));
    y[i] = sg_gate_act(elu, x[f]) * s;
}

SG_HD void sg_gate_backward_at(sg_index i, int elu, int c, sg_index hw, const float* x, const float* dy, float* dx) {
    sg_index f, g;
    sg_gate_offsets(i, c, hw, &f, &g);
    float fv = x[f];
    float e = expf(fminf(-x[g], SG_EXP_CLAMP));
    float s = 1.0f / (1.0f + e);
    float a, da;
    if (fv > 0.0f) {
        a = fv;
        da = 1.0f;
    } else {
        a = elu ? expm1f(fv) : 0.0f;
        da = elu ? a + 1.0f : 0.0f;
    }
    float gs = dy[i] * s;
    dx[f] += gs * da;
    dx[g] += gs * a * (e * s);
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_gate_forward(int elu, int n, int c, sg_index hw, const float* x, float* y) {
    sg_index total = (sg_index)n * c * hw;
    SG_GRID_LOOP(i, total) sg_gate_forward_at(i, elu, c, hw, x, y);
}

extern "C" __global__ void sg_gate_backward(int elu, int n, int c, sg_index hw, const float* x, const float* dy, float* dx) {
    sg_index total = (sg_index)n * c * hw;
    SG_GRID_LOOP(i, total) sg_gate_backward_at(i, elu, c, hw, x, dy, dx);
}
#endif
