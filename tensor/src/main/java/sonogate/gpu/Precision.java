package sonogate.gpu;

/**
 * Arithmetic of the GPU's matrix work (convolutions and GEMMs): FP32 = full float32 (cuDNN
 * CUDNN_FMA_MATH, cuBLAS default math: no tensor-core rounding); TF32 = inputs rounded to TF32 on
 * the tensor cores, float32 accumulation (about 3e-4 relative error; cuDNN CUDNN_DEFAULT_MATH,
 * cuBLAS CUBLAS_TF32_TENSOR_OP_MATH). Element-wise kernels are float32 either way. bf16 mixed
 * precision is not built.
 */
public enum Precision { FP32, TF32 }
