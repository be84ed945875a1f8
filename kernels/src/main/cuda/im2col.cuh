// im2col / col2im for NCHW input and square kernels (sonogate.kernels.Im2col, ConvGeometry):
// cols [N, C*k*k, OH*OW]; row (ch, ki, kj), column (oy, ox) holds x[ch, oy*s - p + ki*d, ox*s - p + kj*d]
// or 0 outside. fold ADDS cols back into x: each x element gathers its (ki, kj) contributions in
// order (no atomics).
#pragma once
#include "common.cuh"

struct sg_conv {
    int n, c, h, w, k, stride, pad, dil, oh, ow;
};

SG_HD void sg_im2col_at(sg_index i, sg_conv g, const float* x, float* cols) {
    sg_index ohw = (sg_index)g.oh * g.ow, kk = (sg_index)g.k * g.k, patch = g.c * kk;
    sg_index pix = i % ohw, r = (i / ohw) % patch, b = i / (ohw * patch);
    int ch = (int)(r / kk), ki = (int)((r / g.k) % g.k), kj = (int)(r % g.k);
    int oy = (int)(pix / g.ow), ox = (int)(pix % g.ow);
    int ih = oy * g.stride - g.pad + ki * g.dil, iw = ox * g.stride - g.pad + kj * g.dil;
    cols[i] = (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) ? x[((b * g.c + ch) * g.h + ih) * g.w + iw] : 0.0f;
}

SG_HD void sg_col2im_at(sg_index i, sg_conv g, const float* cols, float* x) {
    sg_index iw = i % g.w, ih = (i / g.w) % g.h, ch = (i / ((sg_index)g.w * g.h)) % g.c, b = i / ((sg_index)g.w * g.h * g.c);
    sg_index ohw = (sg_index)g.oh * g.ow, patch = (sg_index)g.c * g.k * g.k;
    float acc = x[i];
    for (int ki = 0; ki < g.k; ki++) {
        sg_index ty = ih + g.pad - (sg_index)ki * g.dil;
        if (ty < 0 || ty % g.stride != 0 || ty / g.stride >= g.oh) continue;
        for (int kj = 0; kj < g.k; kj++) {
            sg_index tx = iw + g.pad - (sg_index)kj * g.dil;
            if (tx < 0 || tx % g.stride != 0 || tx / g.stride >= g.ow) continue;
            sg_index row = (ch * g.k + ki) * g.k + kj;
            acc += cols[(b * patch + row) * ohw + (ty / g.stride) * g.ow + tx / g.stride];
        }
    }
    x[i] = acc;
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_im2col(sg_conv g, const float* x, float* cols) {
    sg_index total = (sg_index)g.n * g.c * g.k * g.k * g.oh * g.ow;
    SG_GRID_LOOP(i, total) sg_im2col_at(i, g, x, cols);
}

extern "C" __global__ void sg_col2im(sg_conv g, const float* cols, float* x) {
    sg_index total = (sg_index)g.n * g.c * g.h * g.w;
    SG_GRID_LOOP(i, total) sg_col2im_at(i, g, cols, x);
}
#endif
