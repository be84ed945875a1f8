package sonogate.kernels;

/** Element-wise binary operations with broadcasting. */
public enum BinaryOp { ADD, SUB, MUL, DIV }
