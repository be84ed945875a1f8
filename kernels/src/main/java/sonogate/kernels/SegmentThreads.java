package sonogate.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Guards parallel loops against thread-confined segments: a segment from {@code Arena.ofConfined()}
 * throws WrongThreadException when a pool worker touches it, so kernels given one run serially on
 * the calling thread instead (shared, global and automatic arenas go parallel as usual).
 */
final class SegmentThreads {
    private SegmentThreads() {}

    /** A thread that owns no arena: a segment it can access is accessible by every thread. */
    private static final Thread STRANGER = Thread.ofPlatform().unstarted(() -> {});

    static boolean shareable(MemorySegment seg) {
        return seg == null || seg.isAccessibleBy(STRANGER);
    }

    /** {@code grain} if every segment may be touched by pool workers, else {@code n} (one chunk: serial). */
    static int grain(int grain, int n, MemorySegment... segs) {
        for (MemorySegment s : segs) if (!shareable(s)) return Math.max(1, n);
        return grain;
    }
}
