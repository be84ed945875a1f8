package sonogate.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Caching allocator for native CPU memory. Blocks are rounded up to size classes (four per
 * power of two, so at most ~19% slack) and kept on per-class free lists when released, so a
 * training loop that repeats the same shapes reuses the same blocks and stops asking the OS for
 * memory after its first step. The counters are what tests assert on.
 *
 * <p>Every block comes from a shared arena, never a confined one: on JDK 25, once Vector API code
 * has loaded from a confined-arena segment, the JIT stops intrinsifying loads from shared segments
 * in that JVM, and every kernel falls back to boxed vectors (100x slower). Callers that pass their
 * own segments to the kernels should use shared (or global) arenas too.
 */
public final class MemoryPool {

    /** The process-wide pool for CPU tensors. */
    public static final MemoryPool CPU = new MemoryPool();

    private static final int ALIGN = 64;
    private static final int CLASSES = 4 * 64;

    /** One native block; its arena is closed when the pool trims it. */
    public record Block(Arena arena, MemorySegment segment, int sizeClass) {}

    @SuppressWarnings("unchecked")
    private final ArrayDeque<Block>[] free = new ArrayDeque[CLASSES];
    private long reservedBytes;
    private long inUseBytes;
    private long peakReservedBytes;
    private long osAllocations;

    private MemoryPool() {
        for (int i = 0; i < CLASSES; i++) free[i] = new ArrayDeque<>();
    }

    /** A block of at least {@code bytes} bytes (contents undefined), 64-byte aligned. */
    public synchronized Block allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("MemoryPool: negative size " + bytes);
        int sizeClass = sizeClass(Math.max(bytes, ALIGN));
        Block block = free[sizeClass].pollFirst();
        if (block == null) {
            long size = classBytes(sizeClass);
            Arena arena = Arena.ofShared();
            MemorySegment seg;
            try {
                seg = arena.allocate(size, ALIGN);
            } catch (OutOfMemoryError e) {
                arena.close();
                throw new OutOfMemoryError("MemoryPool: cannot allocate " + size + " native bytes (reserved "
                        + reservedBytes + ")");
            }
            block = new Block(arena, seg, sizeClass);
            reservedBytes += size;
            peakReservedBytes = Math.max(peakReservedBytes, reservedBytes);
            osAllocations++;
        }
        inUseBytes += block.segment().byteSize();
        return block;
    }

    synchronized void free(Block block) {
        inUseBytes -= block.segment().byteSize();
        free[block.sizeClass()].addFirst(block);
    }

    /** Returns every cached (unused) block to the OS. */
    public synchronized void trim() {
        for (ArrayDeque<Block> list : free) {
            for (Block b; (b = list.pollFirst()) != null; ) {
                reservedBytes -= b.segment().byteSize();
                b.arena().close();
            }
        }
    }

    /** Native bytes held from the OS, in use or cached. */
    public synchronized long reservedBytes() { return reservedBytes; }
    /** Native bytes handed out to live storages. */
    public synchronized long inUseBytes() { return inUseBytes; }
    public synchronized long peakReservedBytes() { return peakReservedBytes; }
    /** Starts a new peak: the peak becomes the bytes reserved now (benchmarks measure one phase). */
    public synchronized void resetPeak() { peakReservedBytes = reservedBytes; }
    /** How many times the pool asked the OS for memory. */
    public synchronized long osAllocations() { return osAllocations; }

    static int sizeClass(long bytes) {
        int log = 63 - Long.numberOfLeadingZeros(bytes - 1);   // bytes in (2^log, 2^(log+1)]
        if (bytes <= 1) return 0;
        long base = 1L << log;
        int quarter = (int) Math.min(3, (bytes - base - 1) / Math.max(1, base / 4));
        return 4 * log + quarter;
    }

    static long classBytes(int sizeClass) {
        int log = sizeClass / 4;
        long base = 1L << log;
        long size = base + (base / 4) * (sizeClass % 4 + 1);
        return (size + ALIGN - 1) & -ALIGN;
    }
}
