package sonogate.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-thread scratch buffers for kernels (im2col columns, packed panels): grown on demand, then
 * reused, so a steady training loop allocates no native memory in kernels. {@link #reservedBytes()}
 * lets tests assert that it stays flat.
 *
 * <p>Slots are owned by kernels so that nested kernel calls never share one: slot 3 is
 * {@link Conv2d#COL_SLOT} (the im2col columns, which are Sgemm's B operand while it runs; Sgemm
 * itself packs into heap arrays); slot 2 is Conv2d's regrouped output gradient of small planes;
 * slot 1 is the band output of {@link Conv2d#forwardGated} before its gate (also
 * {@link ConvWinograd}'s, which runs instead of it); slot 0 is {@link ConvWinograd}'s GEMM products
 * (its input transform takes slot 3, as the GEMM's B operand).
 */
public final class Scratch {
    private Scratch() {}

    public static final int SLOTS = 4;
    private static final AtomicLong RESERVED = new AtomicLong();
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /**
     * This thread's scratch segment {@code slot} holding at least {@code floats} floats (64-byte
     * aligned). Its contents are undefined; it stays valid until this thread asks for the same slot again.
     */
    public static MemorySegment floats(int slot, long floats) {
        if (floats < 0) throw new IllegalArgumentException("Scratch: negative size " + floats);
        return BUFFERS.get().get(slot, floats * Float.BYTES);
    }

    /** Native bytes held by all threads' scratch buffers. */
    public static long reservedBytes() {
        return RESERVED.get();
    }

    private static final class Buffers {
        final Arena[] arenas = new Arena[SLOTS];
        final MemorySegment[] segments = new MemorySegment[SLOTS];

        MemorySegment get(int slot, long bytes) {
            MemorySegment seg = segments[slot];
            if (seg != null && seg.byteSize() >= bytes) return seg.asSlice(0, bytes);
            if (arenas[slot] != null) {
                RESERVED.addAndGet(-segments[slot].byteSize());
                arenas[slot].close();
            }
            long capacity = Math.max(bytes, seg == null ? 0 : seg.byteSize() + seg.byteSize() / 2);
            capacity = (capacity + 63) & ~63L;
            Arena arena = Arena.ofShared();
            arenas[slot] = arena;
            segments[slot] = arena.allocate(capacity, 64);
            RESERVED.addAndGet(capacity);
            return segments[slot].asSlice(0, bytes);
        }
    }
}
