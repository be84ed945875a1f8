package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Patch extraction (unfold) and its adjoint (fold) for a {@link ConvGeometry} (outChannels ignored).
 * unfold: x [N,C,H,W] -> cols [N, C*k*k, outH*outW] (overwrites); fold: cols -> x, ADDING.
 */
public final class Im2col {
    private Im2col() {}

    public static void unfold(ConvGeometry g, MemorySegment x, MemorySegment cols) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void fold(ConvGeometry g, MemorySegment cols, MemorySegment x) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void unfoldReference(ConvGeometry g, double[] x, double[] cols) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void foldReference(ConvGeometry g, double[] cols, double[] x) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
