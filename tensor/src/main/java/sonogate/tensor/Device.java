package sonogate.tensor;

/** Where a tensor's storage lives. Model code never branches on it; the {@link Backend} does. */
public enum Device { CPU, CUDA }
