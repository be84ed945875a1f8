// Element-wise kernels over contiguous floats (sonogate.kernels.Unary, Binary): activations and
// their gradients, affine, axpy, fill, broadcasting binary operations, and the fused bias (+
// activation) of a convolution's output with its bias gradient.
#pragma once
#include "common.cuh"
#include "unary_math.cuh"

#define SG_BINARY_ADD 0
#define SG_BINARY_SUB 1
#define SG_BINARY_MUL 2
#define SG_BINARY_DIV 3

// Shape and element strides of a rank-4 operand (lower ranks padded with leading 1s); a 0 stride
// broadcasts. Passed by value (32 bytes).
struct sg_dims4 {
    sg_index v[4];
};

SG_HD float sg_binary(int op, float a, float b) {
    switch (op) {
        case SG_BINARY_ADD: return a + b;
        case SG_BINARY_SUB: return a - b;
        case SG_BINARY_MUL: return a * b;
        default: return a / b;
    }
}

SG_HD void sg_binary_at(sg_index i, int op, sg_dims4 shape, const float* a, sg_index aOff, sg_dims4 as,
                        const float* b, sg_index bOff, sg_dims4 bs, float* y) {
    sg_index r = i, ai = aOff, bi = bOff;
    for (int d = 3; d >= 0; d--) {
        sg_index q = r / shape.v[d], idx = r - q * shape.v[d];
        r = q;
        ai += idx * as.v[d];
        bi += idx * bs.v[d];
    }
    y[i] = sg_binary(op, a[ai], b[bi]);
}

SG_HD void sg_unary_forward_at(sg_index i, int op, float alpha, const float* x, float* y) {
    y[i] = sg_unary(op, alpha, x[i]);
}

// x or y may be null when the op does not read it (see sonogate.kernels.Unary).
SG_HD void sg_unary_backward_at(sg_index i, int op, float alpha, const float* x, const float* y, const float* dy, float* dx) {
    float xv = x ? x[i] : 0.0f, yv = y ? y[i] : 0.0f;
    dx[i] += sg_unary_grad(op, alpha, xv, yv, dy[i]);
}

// y = fma(x, scale, shift), as Unary.affine.
SG_HD void sg_affine_at(sg_index i, float scale, float shift, const float* x, float* y) {
    y[i] = fmaf(x[i], scale, shift);
}

// y += a * x (fused), as Unary.axpy.
SG_HD void sg_axpy_at(sg_index i, float a, const float* x, float* y) {
    y[i] = fmaf(x[i], a, y[i]);
}

// y = act(y + bias[channel]) over [N, C, HW]; act SG_UNARY_NONE leaves the sum.
SG_HD void sg_bias_act_at(sg_index i, int c, sg_index hw, const float* bias, int act, float alpha, float* y) {
    sg_index ch = (i / hw) % c;
    y[i] = sg_unary(act, alpha, y[i] + bias[ch]);
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_unary_forward(int op, float alpha, sg_index n, const float* x, float* y) {
    SG_GRID_LOOP(i, n) sg_unary_forward_at(i, op, alpha, x, y);
}

extern "C" __global__ void sg_unary_backward(int op, float alpha, sg_index n, const float* x, const float* y,
                                             const float* dy, float* dx) {
    SG_GRID_LOOP(i, n) sg_unary_backward_at(i, op, alpha, x, y, dy, dx);
}

extern "C" __global__ void sg_affine(sg_index n, float scale, float shift, const float* x, float* y) {
    SG_GRID_LOOP(i, n) sg_affine_at(i, scale, shift, x, y);
}

extern "C" __global__ void sg_axpy(sg_index n, float a, const float* x, float* y) {
    SG_GRID_LOOP(i, n) sg_axpy_at(i, a, x, y);
}

extern "C" __global__ void sg_fill(sg_index n, float value, float* y) {
    SG_GRID_LOOP(i, n) y[i] = value;
}

extern "C" __global__ void sg_binary4(int op, sg_dims4 shape, const float* a, sg_index aOff, sg_dims4 as,
                                      const float* b, sg_index bOff, sg_dims4 bs, float* y) {
    sg_index total = shape.v[0] * shape.v[1] * shape.v[2] * shape.v[3];
    SG_GRID_LOOP(i, total) sg_binary_at(i, op, shape, a, aOff, as, b, bOff, bs, y);
}

extern "C" __global__ void sg_bias_act(int n, int c, sg_index hw, const float* bias, int act, float alpha, float* y) {
    sg_index total = (sg_index)n * c * hw;
    SG_GRID_LOOP(i, total) sg_bias_act_at(i, c, hw, bias, act, alpha, y);
}
#endif
