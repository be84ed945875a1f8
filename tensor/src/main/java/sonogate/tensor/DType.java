package sonogate.tensor;

/**
 * Element type. F32 is the engine's type on every device; F64 exists on the CPU only, run by the
 * naive {@link ReferenceBackend}, so gradient checks can use finite differences in double.
 */
public enum DType {
    F32(Float.BYTES), F64(Double.BYTES);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }
}
