package sonogate.tensor;

/**
 * A reference-counted block of elements on one device. Views share a storage; it returns to its
 * allocator when the last tensor using it is closed.
 */
public abstract class Storage {
    private final long elements;
    private int refs = 1;

    protected Storage(long elements) {
        this.elements = elements;
    }

    public abstract Device device();

    public abstract DType dtype();

    /** Capacity in elements. */
    public final long elements() {
        return elements;
    }

    /** Gives the memory back to its allocator; called once, when the last reference goes. */
    protected abstract void free();

    final synchronized void retain() {
        if (refs <= 0) throw new IllegalStateException("storage already freed");
        refs++;
    }

    final void release() {
        boolean last;
        synchronized (this) {
            if (refs <= 0) return;
            last = --refs == 0;
        }
        if (last) free();
    }

    final synchronized boolean isLive() {
        return refs > 0;
    }
}
