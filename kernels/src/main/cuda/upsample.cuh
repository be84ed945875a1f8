// Nearest-neighbour x2 upsampling of `planes` planes of h x w (sonogate.kernels.Upsample):
// y[p, 2i + a, 2j + b] = x[p, i, j]; backward ADDS the four dy of each x element into dx (a
// gather per dx element: no atomics, fixed order).
#pragma once
#include "common.cuh"

SG_HD void sg_upsample2x_forward_at(sg_index i, int h, int w, const float* x, float* y) {
    sg_index w2 = 2 * (sg_index)w, h2 = 2 * (sg_index)h;
    sg_index col = i % w2, row = (i / w2) % h2, p = i / (w2 * h2);
    y[i] = x[(p * h + row / 2) * w + col / 2];
}

SG_HD void sg_upsample2x_backward_at(sg_index i, int h, int w, const float* dy, float* dx) {
    sg_index col = i % w, row = (i / w) % h, p = i / ((sg_index)w * h);
    sg_index w2 = 2 * (sg_index)w;
    sg_index top = (p * 2 * h + 2 * row) * w2 + 2 * col;
    dx[i] += (dy[top] + dy[top + 1]) + (dy[top + w2] + dy[top + w2 + 1]);
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_upsample2x_forward(int planes, int h, int w, const float* x, float* y) {
    sg_index total = (sg_index)planes * 4 * h * w;
    SG_GRID_LOOP(i, total) sg_upsample2x_forward_at(i, h, w, x, y);
}

extern "C" __global__ void sg_upsample2x_backward(int planes, int h, int w, const float* dy, float* dx) {
    sg_index total = (sg_index)planes * h * w;
    SG_GRID_LOOP(i, total) sg_upsample2x_backward_at(i, h, w, dy, dx);
}
#endif
