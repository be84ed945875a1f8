// Element-wise activation functions and their derivatives, with the Java kernels' semantics
// (sonogate.kernels.Unary): op codes are UnaryOp ordinals; derivatives at kinks as there
// (RELU'(0) = 0, LEAKY_RELU'(0) = alpha, ABS'(0) = 0, ELU'(0) = alpha).
#pragma once
#include "common.cuh"

#define SG_UNARY_ELU 0
#define SG_UNARY_SIGMOID 1
#define SG_UNARY_TANH 2
#define SG_UNARY_RELU 3
#define SG_UNARY_LEAKY_RELU 4
#define SG_UNARY_ABS 5
#define SG_UNARY_NEG 6
#define SG_UNARY_SQUARE 7
#define SG_UNARY_SQRT 8
#define SG_UNARY_EXP 9
#define SG_UNARY_LOG 10
// Not a UnaryOp: "no activation" for the fused bias kernel.
#define SG_UNARY_NONE (-1)

// sigmoid from e = exp(-|x|), which never overflows.
SG_HD float sg_sigmoid(float x) {
    float e = expf(-fabsf(x));
    float r = 1.0f / (e + 1.0f);
    return x < 0.0f ? e * r : r;
}

SG_HD float sg_unary(int op, float alpha, float x) {
    switch (op) {
        case SG_UNARY_ELU: return x > 0.0f ? x : expm1f(fminf(x, 0.0f)) * alpha;
        case SG_UNARY_SIGMOID: return sg_sigmoid(x);
        case SG_UNARY_TANH: return tanhf(x);
        case SG_UNARY_RELU: return fmaxf(x, 0.0f);
        case SG_UNARY_LEAKY_RELU: return x > 0.0f ? x : x * alpha;
        case SG_UNARY_ABS: return fabsf(x);
        case SG_UNARY_NEG: return -x;
        case SG_UNARY_SQUARE: return x * x;
        case SG_UNARY_SQRT: return sqrtf(x);
        case SG_UNARY_EXP: return expf(x);
        case SG_UNARY_LOG: return logf(x);
        default: return x;   // SG_UNARY_NONE
    }
}

// dy * f'(x), from whichever of x and y = f(x) the Java kernel reads.
SG_HD float sg_unary_grad(int op, float alpha, float x, float y, float dy) {
    switch (op) {
        case SG_UNARY_ELU: return dy * (x > 0.0f ? 1.0f : y + alpha);
        case SG_UNARY_SIGMOID: return dy * (y - y * y);
        case SG_UNARY_TANH: return dy * (1.0f - y * y);
        case SG_UNARY_RELU: return x > 0.0f ? dy : 0.0f;
        case SG_UNARY_LEAKY_RELU: return dy * (x > 0.0f ? 1.0f : alpha);
        case SG_UNARY_ABS: return x > 0.0f ? dy : (x < 0.0f ? -dy : 0.0f);
        case SG_UNARY_NEG: return -dy;
        case SG_UNARY_SQUARE: return dy * 2.0f * x;
        case SG_UNARY_SQRT: return dy * 0.5f / y;
        case SG_UNARY_EXP: return dy * y;
        case SG_UNARY_LOG: return dy / x;
        default: return dy;
    }
}
