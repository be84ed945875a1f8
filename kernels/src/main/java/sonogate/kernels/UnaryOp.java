package sonogate.kernels;

/** Element-wise functions. {@code alpha} is ELU's alpha and LeakyReLU's negative slope; others ignore it. */
public enum UnaryOp { ELU, SIGMOID, TANH, RELU, LEAKY_RELU, ABS, NEG, SQUARE, SQRT, EXP, LOG }
