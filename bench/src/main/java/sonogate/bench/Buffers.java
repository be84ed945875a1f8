package sonogate.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Native float buffers for benchmarks: 64-byte aligned, filled with uniform random values in [-1, 1). */
public final class Buffers {
    private Buffers() {}

    /** {@code floats} random floats from {@code arena} (use a shared arena: kernels run on pool threads). */
    public static MemorySegment random(Arena arena, long floats, long seed) {
        MemorySegment s = arena.allocate(Math.max(1, floats) * Float.BYTES, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < floats; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (2 * r.nextDouble() - 1));
        return s;
    }

    /** {@code floats} zeros. */
    public static MemorySegment zeros(Arena arena, long floats) {
        return arena.allocate(Math.max(1, floats) * Float.BYTES, 64);
    }
}
