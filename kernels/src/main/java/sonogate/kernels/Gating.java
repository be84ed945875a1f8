package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Fused gate of a gated convolution: x is the conv output [N, 2C, HW] whose first C channels are
 * features f and last C gates g; y [N, C, HW] = act(f) * sigmoid(g). backward ADDS into dx [N, 2C, HW].
 */
public final class Gating {
    private Gating() {}

    public static void forward(GateActivation act, int n, int c, int hw, MemorySegment x, MemorySegment y) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void backward(GateActivation act, int n, int c, int hw, MemorySegment x, MemorySegment dy, MemorySegment dx) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void forwardReference(GateActivation act, int n, int c, int hw, double[] x, double[] y) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void backwardReference(GateActivation act, int n, int c, int hw, double[] x, double[] dy, double[] dx) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
