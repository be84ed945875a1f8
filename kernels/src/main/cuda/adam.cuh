// One fused Adam step over a flat parameter slab (sonogate.kernels.AdamKernel), same arithmetic:
//   m = b1 m + (1 - b1) g      v = b2 v + (1 - b2) g^2
//   p -= stepSize * m / (sqrt(v) / correction2 + eps)
// with stepSize = (float)(lr / (1 - b1^t)) and correction2 = (float) sqrt(1 - b2^t) computed once
// on the host in double, as the Java kernel does.
#pragma once
#include "common.cuh"

SG_HD void sg_adam_at(sg_index i, float stepSize, float correction2, float b1, float b2, float eps,
                      float* p, const float* g, float* m, float* v) {
    float gv = g[i];
    float mv = b1 * m[i] + (1.0f - b1) * gv;
    float vv = b2 * v[i] + (1.0f - b2) * gv * gv;
    m[i] = mv;
    v[i] = vv;
    p[i] = p[i] - stepSize * (mv / (sqrtf(vv) / correction2 + eps));
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
extern "C" __global__ void sg_adam(sg_index n, float stepSize, float correction2, float b1, float b2, float eps,
                                   float* p, const float* g, float* m, float* v) {
    SG_GRID_LOOP(i, n) sg_adam_at(i, stepSize, correction2, b1, b2, eps, p, g, m, v);
}
#endif
