package sonogate.tensor;

/** Stride arithmetic for views: broadcasting and padding to the kernels' rank 4. */
final class Strides {
    private Strides() {}

    /** Left-pads a shape with 1s to rank 4. */
    static int[] pad4(int[] shape) {
        if (shape.length > 4) throw new IllegalArgumentException("broadcast ops support rank <= 4, got " + Shapes.str(shape));
        int[] out = {1, 1, 1, 1};
        System.arraycopy(shape, 0, out, 4 - shape.length, shape.length);
        return out;
    }

    /** Left-pads strides with 0s to rank 4. */
    static long[] pad4(long[] strides) {
        if (strides.length > 4) throw new IllegalArgumentException("broadcast ops support rank <= 4");
        long[] out = new long[4];
        System.arraycopy(strides, 0, out, 4 - strides.length, strides.length);
        return out;
    }
}
