package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Float conv2d on the CPU. Segments start at element 0 of each contiguous NCHW tensor.
 * forward overwrites y; the backward passes ADD into dx / dw / db (autodiff accumulates).
 * bias and dbias may be null.
 */
public final class Conv2d {
    private Conv2d() {}

    public static void forward(ConvGeometry g, MemorySegment x, MemorySegment w, MemorySegment bias, MemorySegment y) {
        throw new UnsupportedOperationException("Conv2d.forward: not implemented yet");
    }

    public static void backwardData(ConvGeometry g, MemorySegment dy, MemorySegment w, MemorySegment dx) {
        throw new UnsupportedOperationException("Conv2d.backwardData: not implemented yet");
    }

    public static void backwardWeight(ConvGeometry g, MemorySegment x, MemorySegment dy, MemorySegment dw, MemorySegment dbias) {
        throw new UnsupportedOperationException("Conv2d.backwardWeight: not implemented yet");
    }
}
