package sonogate.kernels;

/** Naive double-precision conv2d, the oracle for {@link Conv2d}. Same conventions (backward passes add). */
public final class Conv2dReference {
    private Conv2dReference() {}

    public static void forward(ConvGeometry g, double[] x, double[] w, double[] bias, double[] y) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void backwardData(ConvGeometry g, double[] dy, double[] w, double[] dx) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static void backwardWeight(ConvGeometry g, double[] x, double[] dy, double[] dw, double[] dbias) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
