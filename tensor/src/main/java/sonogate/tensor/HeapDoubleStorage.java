package sonogate.tensor;

/** float64 elements on the Java heap: the reference backend's storage (tests and gradient checks). */
public final class HeapDoubleStorage extends Storage {
    private final double[] data;

    HeapDoubleStorage(long elements) {
        super(elements);
        if (elements > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("F64 tensor too large: " + elements);
        this.data = new double[(int) elements];
    }

    public double[] data() {
        return data;
    }

    @Override public Device device() { return Device.CPU; }
    @Override public DType dtype() { return DType.F64; }
    @Override protected void free() {}
}
