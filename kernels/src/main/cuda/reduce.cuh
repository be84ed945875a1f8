// Deterministic reductions into one value (sonogate.kernels.Reduce): sum x, sum |a - b|,
// sum a * b, and the hinge sum max(0, 1 + sign * a). Two passes, no atomics: pass 1 gives each
// block a fixed chunk of SG_REDUCE_CHUNK elements and writes one double partial; pass 2 (one
// block) adds the partials. Each thread accumulates its strided share in double, then the block
// adds the threads' values in a fixed tree. Chunking depends on n only, so the result is the same
// bits on every GPU and every run. Also: the L1 gradient, the per-channel bias gradient, and the
// in-place vector normalisation of spectral norm's power iteration.
#pragma once
#include "common.cuh"

#define SG_REDUCE_SUM 0
#define SG_REDUCE_L1 1
#define SG_REDUCE_DOT 2
#define SG_REDUCE_HINGE 3

SG_HD double sg_reduce_term(int kind, float sign, const float* a, const float* b, sg_index i) {
    switch (kind) {
        case SG_REDUCE_SUM: return (double)a[i];
        case SG_REDUCE_L1: return (double)fabsf(a[i] - b[i]);
        case SG_REDUCE_DOT: return (double)a[i] * (double)b[i];   // exact in double
        default: return (double)fmaxf(0.0f, 1.0f + sign * a[i]);
    }
}

// Thread t's (of T) share of the elements [lo, hi): lo + t, lo + t + T, ...
SG_HD double sg_reduce_thread(int kind, float sign, const float* a, const float* b, sg_index lo, sg_index hi, int t, int T) {
    double acc = 0.0;
    for (sg_index i = lo + t; i < hi; i += T) acc += sg_reduce_term(kind, sign, a, b, i);
    return acc;
}

SG_HD sg_index sg_reduce_blocks(sg_index n) {
    return n == 0 ? 1 : (n + SG_REDUCE_CHUNK - 1) / SG_REDUCE_CHUNK;
}

// L1 gradient: da += s * sign(a - b), db -= s * sign(a - b), s = (float)(scale * g); sign(0) = 0.
SG_HD void sg_l1_backward_at(sg_index i, float s, const float* a, const float* b, float* da, float* db) {
    float d = a[i] - b[i];
    float g = d > 0.0f ? s : (d < 0.0f ? -s : 0.0f);
    if (da) da[i] += g;
    if (db) db[i] -= g;
}

// Thread t's (of T) share of channel ch's bias gradient: dy[b, ch, p] for every b, p = t, t + T, ...
SG_HD double sg_bias_grad_thread(int n, int c, sg_index hw, const float* dy, int ch, int t, int T) {
    double acc = 0.0;
    for (int b = 0; b < n; b++) {
        const float* plane = dy + ((sg_index)b * c + ch) * hw;
        for (sg_index p = t; p < hw; p += T) acc += (double)plane[p];
    }
    return acc;
}

// Thread t's (of T) share of sum v^2.
SG_HD double sg_sumsq_thread(sg_index n, const float* v, int t, int T) {
    double acc = 0.0;
    for (sg_index i = t; i < n; i += T) acc += (double)v[i] * (double)v[i];
    return acc;
}

// The float scale that normalises a vector whose squared norm is sumsq: 1 / max(||v||, eps).
SG_HD float sg_normalize_scale(double sumsq, double eps) {
    double norm = sqrt(sumsq);
    return (float)(1.0 / (norm > eps ? norm : eps));
}

#if defined(__CUDACC__) && !defined(SG_HOST_HARNESS)
// Adds the block's SG_REDUCE_THREADS values in a fixed tree; every thread gets the total. Call it at
// most once per kernel (a second call could overwrite buf[0] before a slow thread has read it).
__device__ double sg_block_sum(double v) {
    __shared__ double buf[SG_REDUCE_THREADS];
    buf[threadIdx.x] = v;
    __syncthreads();
    for (int s = SG_REDUCE_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];
        __syncthreads();
    }
    return buf[0];
}

// Launch with sg_reduce_blocks(n) blocks of SG_REDUCE_THREADS threads.
extern "C" __global__ void sg_reduce_partials(int kind, float sign, sg_index n, const float* a, const float* b, double* partials) {
    sg_index lo = (sg_index)blockIdx.x * SG_REDUCE_CHUNK;
    sg_index hi = lo + SG_REDUCE_CHUNK < n ? lo + SG_REDUCE_CHUNK : n;
    double total = sg_block_sum(sg_reduce_thread(kind, sign, a, b, lo, hi, threadIdx.x, SG_REDUCE_THREADS));
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

// One block of SG_REDUCE_THREADS threads: out = (float) sum of the partials; outDouble (may be null) the double.
extern "C" __global__ void sg_reduce_final(sg_index count, const double* partials, float* out, double* outDouble) {
    double acc = 0.0;
    for (sg_index i = threadIdx.x; i < count; i += SG_REDUCE_THREADS) acc += partials[i];
    double total = sg_block_sum(acc);
    if (threadIdx.x == 0) {
        if (out) out[0] = (float)total;
        if (outDouble) outDouble[0] = total;
    }
}

// g is a one-element device tensor (the loss gradient): no host round trip.
extern "C" __global__ void sg_l1_backward(sg_index n, double scale, const float* g, const float* a, const float* b, float* da, float* db) {
    float s = (float)(scale * (double)g[0]);
    SG_GRID_LOOP(i, n) sg_l1_backward_at(i, s, a, b, da, db);
}

// dbias[ch] += sum over n and hw of dy[n, ch, hw]: one block per channel, fixed order.
extern "C" __global__ void sg_bias_grad(int n, int c, sg_index hw, const float* dy, float* dbias) {
    int ch = blockIdx.x;
    double total = sg_block_sum(sg_bias_grad_thread(n, c, hw, dy, ch, threadIdx.x, SG_REDUCE_THREADS));
    if (threadIdx.x == 0) dbias[ch] += (float)total;
}

// v /= max(||v||, eps) in place, in one block (spectral norm's vectors are short), as
// SpectralNormOp.normalize: the scale is rounded to float once, then each element is scaled.
extern "C" __global__ void sg_normalize(sg_index n, double eps, float* v) {
    float scale = sg_normalize_scale(sg_block_sum(sg_sumsq_thread(n, v, threadIdx.x, SG_REDUCE_THREADS)), eps);
    for (sg_index i = threadIdx.x; i < n; i += SG_REDUCE_THREADS) v[i] = fmaf(v[i], scale, 0.0f);
}
#endif
