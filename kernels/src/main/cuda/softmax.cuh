// Softmax over the middle axis of a contiguous [outer, axis, inner] array (sonogate.kernels.Softmax),
// optionally masked (attention: mask[a] == 0 excludes position a of every column; a column with no
// allowed position is all zeros). One thread per (outer, inner) column: threads of a warp read
// consecutive inner positions (coalesced when inner > 1); max, then exp and the sum in double,
// then the scale. backward ADDS y * (dy - sum(dy * y)) into dx.
#pragma once
#include "common.cuh"

SG_HD void sg_softmax_column(sg_index col, int axis, sg_index inner, const float* x, const float* mask, float* y) {
    sg_index o = col / inner, j = col - o * inner;
    sg_index base = o * axis * inner + j;
    float mx = -INFINITY;
    for (int a = 0; a < axis; a++) {
        if (mask && mask[a] == 0.0f) continue;
        mx = fmaxf(mx, x[base + a * inner]);
    }
    double sum = 0.0;
    for (int a = 0; a < axis; a++) {
        float e = (mask && mask[a] == 0.0f) ? 0.0f : expf(x[base + a * inner] - mx);
        y[base + a * inner] = e;
        sum += (double)e;
    }
    float inv = sum > 0.0 ? (float)(1.0 / sum) : 0.0f;
    for (int a = 0; a < axis; a++) y[base + a * inner] *= inv;
}

SG_HD void sg_softmax_backward_column(sg_index col, int axis, sg_index inner, const float* y, const float* dy, float* dx) {
    sg_index o = col / inner, j = col - o * inner;
    sg_index base = o * axis * inner + j;
    double s = 0.0;
    for (int a = 0; a < axis; a++) s += (double)dy[base + a * inner] * (double)y[base + a * inner];
    float sf = (float)s;
    for (int a = 0; a < axis; a++) {
        sg_index p = base + a * inner;
        dx[p] += (dy[p] - sf) * y[p];
    }
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_softmax_forward(int outer, int axis, sg_index inner, const float* x, const float* mask, float* y) {
    sg_index columns = (sg_index)outer * inner;
    SG_GRID_LOOP(col, columns) sg_softmax_column(col, axis, inner, x, mask, y);
}

extern "C" __global__ void sg_softmax_backward(int outer, int axis, sg_index inner, const float* y, const float* dy, float* dx) {
    sg_index columns = (sg_index)outer * inner;
    SG_GRID_LOOP(col, columns) sg_softmax_backward_column(col, axis, inner, y, dy, dx);
}
#endif
