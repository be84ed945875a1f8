package sonogate.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An n-dimensional array (NCHW for images) over a {@link Storage}: shape, strides and offset in
 * elements, so channel slices, reshapes, permutes and broadcasts are views without copies.
 * Tensors that require grad collect gradients in {@link #grad()} when {@link Tape#backward} runs.
 *
 * <p>Lifetime: a tensor is owned by the innermost open {@link Scope} when it is created (or by the
 * caller when none is open) and is closed with it; closing returns its memory to the pool.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final long offset;
    private final int[] shape;
    private final long[] strides;
    private boolean requiresGrad;
    private boolean interior;   // produced by a recorded op (its gradient is freed after use)
    private Tensor grad;
    private boolean closed;
    private String name;

    private Tensor(Storage storage, long offset, int[] shape, long[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // ---- creation -------------------------------------------------------------------------

    /** Uninitialised tensor of the given type on the CPU. */
    public static Tensor empty(DType dtype, int... shape) {
        return empty(Device.CPU, dtype, shape);
    }

    public static Tensor empty(Device device, DType dtype, int... shape) {
        Shapes.checkValid("tensor", shape);
        Storage s = Backend.of(device, dtype).allocate(Shapes.numel(shape));
        return owned(new Tensor(s, 0, shape.clone(), Shapes.contiguousStrides(shape)));
    }

    public static Tensor empty(int... shape) {
        return empty(DType.F32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(dtype, 0, shape);
    }

    public static Tensor zeros(Device device, DType dtype, int... shape) {
        Tensor t = empty(device, dtype, shape);
        t.backend().fill(t, 0);
        return t;
    }

    public static Tensor zeros(int... shape) {
        return full(DType.F32, 0, shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        return full(Device.CPU, dtype, value, shape);
    }

    public static Tensor full(Device device, DType dtype, double value, int... shape) {
        Tensor t = empty(device, dtype, shape);
        t.backend().fill(t, value);
        return t;
    }

    /**
     * A contiguous copy of this tensor on {@code device} (a new tensor even when it is already
     * there). Copies between the CPU and an accelerator are done by the accelerator's backend.
     */
    public Tensor to(Device device) {
        checkOpen();
        Tensor t = empty(device, dtype(), shape);
        Backend copier = device == Device.CPU ? backend() : t.backend();
        copier.copy(this, t, false);
        return t;
    }

    /** An empty tensor like {@code t} (same device, type and shape, contiguous). */
    public static Tensor emptyLike(Tensor t) {
        return empty(t.device(), t.dtype(), t.shape);
    }

    public static Tensor zerosLike(Tensor t) {
        Tensor z = emptyLike(t);
        z.backend().fill(z, 0);
        return z;
    }

    /** A float32 tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(DType.F32, shape);
        MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_FLOAT, 0, data.length);
        return t;
    }

    /** A tensor of {@code dtype} holding {@code data} (rounded to float for F32). */
    public static Tensor of(DType dtype, double[] data, int... shape) {
        checkLength(data.length, shape);
        Tensor t = empty(dtype, shape);
        if (dtype == DType.F64) {
            System.arraycopy(data, 0, ((HeapDoubleStorage) t.storage).data(), 0, data.length);
        } else {
            MemorySegment seg = t.cpuSegment();
            for (int i = 0; i < data.length; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) data[i]);
        }
        return t;
    }

    /** Standard-normal values (Box-Muller on a seeded generator: reproducible). */
    public static Tensor randn(SplittableRandom rng, DType dtype, int... shape) {
        double[] d = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < d.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            d[i] = r * Math.cos(2 * Math.PI * u2);
            if (i + 1 < d.length) d[i + 1] = r * Math.sin(2 * Math.PI * u2);
        }
        return of(dtype, d, shape);
    }

    /** Uniform values in [lo, hi). */
    public static Tensor uniform(SplittableRandom rng, DType dtype, double lo, double hi, int... shape) {
        double[] d = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * rng.nextDouble();
        return of(dtype, d, shape);
    }

    private static void checkLength(int length, int[] shape) {
        Shapes.checkValid("tensor", shape);
        if (length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("tensor: " + length + " values for shape " + Shapes.str(shape));
        }
    }

    private static Tensor owned(Tensor t) {
        Scope s = Scope.current();
        if (s != null) s.adopt(t);
        return t;
    }

    /**
     * A view sharing this tensor's storage: no copy, no autodiff record (ops in
     * {@code sonogate.tensor.ops} record the differentiable views). Strides may be 0 (broadcast).
     */
    public Tensor view(long newOffset, int[] newShape, long[] newStrides) {
        checkOpen();
        if (newShape.length != newStrides.length) throw new IllegalArgumentException("view: shape/stride rank mismatch");
        long last = newOffset;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] <= 0 || newStrides[i] < 0) throw new IllegalArgumentException("view: invalid shape " + Shapes.str(newShape));
            last += (newShape[i] - 1) * newStrides[i];
        }
        if (newOffset < 0 || last >= storage.elements()) {
            throw new IllegalArgumentException("view: " + Shapes.str(newShape) + " at offset " + newOffset + " exceeds storage of " + storage.elements());
        }
        storage.retain();
        return owned(new Tensor(storage, newOffset, newShape.clone(), newStrides.clone()));
    }

    // ---- shape ----------------------------------------------------------------------------

    public int[] shape() { return shape.clone(); }
    public int dim(int i) { return shape[Shapes.axis("dim", i, shape.length)]; }
    public int rank() { return shape.length; }
    public long numel() { return Shapes.numel(shape); }
    public long[] strides() { return strides.clone(); }
    public long offset() { return offset; }
    public Storage storage() { checkOpen(); return storage; }
    public DType dtype() { return storage.dtype(); }
    public Device device() { return storage.device(); }
    public Backend backend() { return Backend.of(device(), dtype()); }

    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    // ---- data -----------------------------------------------------------------------------

    /** The CPU float segment starting at this tensor's first element (contiguous F32 CPU tensors). */
    public MemorySegment cpuSegment() {
        checkOpen();
        if (!(storage instanceof CpuFloatStorage s)) {
            throw new IllegalStateException("tensor " + Shapes.str(shape) + " is " + dtype() + " on " + device() + ", not F32 on CPU");
        }
        return s.segment().asSlice(offset * Float.BYTES, (s.elements() - offset) * Float.BYTES);
    }

    /** All elements in row-major order, as doubles (a device tensor is copied to the CPU first). */
    public double[] toDoubleArray() {
        checkOpen();
        if (device() != Device.CPU) {
            try (Tensor host = to(Device.CPU)) {
                return host.toDoubleArray();
            }
        }
        long n = numel();
        double[] out = new double[(int) n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            out[i] = read(elementOffset(idx));
            increment(idx);
        }
        return out;
    }

    public float[] toFloatArray() {
        double[] d = toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** The single value of a one-element tensor (from a device tensor: a copy to the host, which waits for the device). */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor " + Shapes.str(shape) + " has " + numel() + " elements");
        if (device() != Device.CPU) return toDoubleArray()[0];
        return read(offset);
    }

    public double get(int... index) {
        if (device() != Device.CPU) {
            try (Tensor host = to(Device.CPU)) {
                return host.get(index);
            }
        }
        if (index.length != shape.length) throw new IllegalArgumentException("get: index rank " + index.length + " for shape " + Shapes.str(shape));
        long off = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " outside " + Shapes.str(shape));
            off += index[i] * strides[i];
        }
        return read(off);
    }

    private long elementOffset(int[] idx) {
        long off = offset;
        for (int i = 0; i < idx.length; i++) off += idx[i] * strides[i];
        return off;
    }

    private void increment(int[] idx) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) return;
            idx[d] = 0;
        }
    }

    private double read(long elementOffset) {
        checkOpen();
        return switch (storage) {
            case CpuFloatStorage s -> s.segment().getAtIndex(ValueLayout.JAVA_FLOAT, elementOffset);
            case HeapDoubleStorage s -> s.data()[(int) elementOffset];
            default -> throw new IllegalStateException("tensor on " + device() + ": copy it to the CPU first");
        };
    }

    // ---- autodiff -------------------------------------------------------------------------

    /** Marks this tensor as a leaf whose gradient {@link Tape#backward} computes. */
    public Tensor requiresGrad(boolean on) {
        this.requiresGrad = on;
        return this;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    void markInterior() {
        requiresGrad = true;
        interior = true;
    }

    boolean isInterior() {
        return interior;
    }

    /** Drops the gradient buffer of an interior tensor once backward has consumed it. */
    void releaseGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** The accumulated gradient, or null before any backward pass reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /** The gradient buffer, created zeroed on first use. It lives as long as this tensor. */
    public Tensor gradBuffer() {
        if (grad == null) {
            Scope s = Scope.current();
            // The gradient belongs to this tensor, not to whatever scope happens to be open.
            grad = zerosLike(this);
            if (s != null) s.detach(grad);
        }
        return grad;
    }

    /**
     * Makes {@code buffer} (same shape, type and device; typically a view into a model's gradient
     * slab) this tensor's gradient buffer, so an optimiser can update all gradients in one pass.
     */
    public Tensor useGradBuffer(Tensor buffer) {
        if (!sameShape(buffer) || buffer.dtype() != dtype() || buffer.device() != device()) {
            throw new IllegalArgumentException("useGradBuffer: " + buffer + " does not match " + this);
        }
        if (grad != null && grad != buffer) grad.close();
        grad = buffer;
        return this;
    }

    /** Zeroes the gradient (keeps the buffer: no allocation in the next step). */
    public void zeroGrad() {
        if (grad != null) grad.backend().fill(grad, 0);
    }

    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    public String name() {
        return name;
    }

    // ---- lifetime -------------------------------------------------------------------------

    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException("tensor " + (name != null ? name + " " : "") + Shapes.str(shape) + " used after close");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.release();
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    @Override
    public String toString() {
        return "Tensor" + (name != null ? "(" + name + ")" : "") + Shapes.str(shape) + " " + dtype() + " " + device()
                + (requiresGrad ? " grad" : "") + (closed ? " closed" : "");
    }
}
