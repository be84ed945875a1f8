package sonogate.kernels;

/** Activation on the feature half of a gated convolution (the gate half always gets a sigmoid). */
public enum GateActivation { ELU, RELU }
