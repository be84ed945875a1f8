// The one translation unit scripts/build-cuda compiles into sonogate_kernels.fatbin. Every
// extern "C" __global__ here is listed in sonogate.kernels.cuda.CudaKernel (a test checks the
// sources, the fatbin and that list agree).
#include "gating.cuh"
#include "elementwise.cuh"
#include "strided_copy.cuh"
#include "reduce.cuh"
#include "softmax.cuh"
#include "upsample.cuh"
#include "im2col.cuh"
#include "adam.cuh"
