// Shared definitions of sonogate's CUDA kernels.
// SG_HOST_HARNESS (defined by the host harness) leaves the __global__ wrappers out.
//
// Every kernel is a thin __global__ wrapper around a __host__ __device__ function that computes one
// output element (or one thread's share of a reduction). The host harness (kernels/src/test/cuda)
// compiles the same functions for the CPU, so the formulas and the index arithmetic are checked
// against the Java kernels without a GPU; only the wrappers' grid-stride loops are GPU-only.
#pragma once

#if defined(__CUDACC__)
#define SG_HD __host__ __device__ __forceinline__
#else
#define SG_HD inline
#endif

#include <math.h>

typedef long long sg_index;

// Grid-stride loop over [0, total): correct for any grid size the host picks.
#define SG_GRID_LOOP(i, total)                                                                   \
    for (sg_index i = (sg_index)blockIdx.x * blockDim.x + threadIdx.x; i < (total);              \
         i += (sg_index)blockDim.x * gridDim.x)

// Threads per block of the reduction kernels (a power of two: the tree halves it).
#define SG_REDUCE_THREADS 256
// Elements per block in the first reduction pass. Fixed, so the partial sums and their order
// depend on n only, never on the GPU: the result is bitwise reproducible across devices.
#define SG_REDUCE_CHUNK 4096

// The largest rank of a strided copy (the engine's tensors have rank <= 5).
#define SG_MAX_RANK 8

// sigmoid arguments are clamped so exp never overflows (as the Java kernels do).
#define SG_EXP_CLAMP 88.0f
