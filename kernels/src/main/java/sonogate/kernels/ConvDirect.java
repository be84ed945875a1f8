package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/** Direct (no im2col) forward convolution for thin stride-1 layers. */
final class ConvDirect {
    private ConvDirect() {}

    static boolean suits(ConvGeometry g) {
        return false;
    }

    static void forward(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        throw new UnsupportedOperationException();
    }
}
