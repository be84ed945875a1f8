package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Results that must not depend on how work is split: a reduction gives the same bits on one thread
 * as spread over the pool, and an element-wise kernel gives an element the same bits whether it
 * falls in a vector body or in a scalar tail. (Cold versus compiled code: IntrinsificationTest.)
 */
class DeterminismTest {
    private static final int L = Simd.LANES;
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    private MemorySegment random(Arena arena, long n, double scale) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        for (long i = 0; i < n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (scale * (2 * rng.nextDouble() - 1)));
        return s;
    }

    /** Blocks of 1024 values around 1 alternating with blocks around 2^30: the double partial sums round. */
    private MemorySegment wideRange(Arena arena, long n) {
        MemorySegment s = arena.allocate(n * Float.BYTES, 64);
        for (long i = 0; i < n; i++) {
            double scale = (i / 1024) % 2 == 0 ? 1 : 0x1p30;
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (scale * (2 * rng.nextDouble() - 1)));
        }
        return s;
    }

    /** A confined copy: kernels never hand a confined segment to pool workers, so they run it on one thread. */
    private static MemorySegment confinedCopy(Arena confined, MemorySegment s) {
        return confined.allocate(s.byteSize(), 64).copyFrom(s);
    }

    private void sameBits(MemorySegment expected, MemorySegment actual, long n, String what) {
        for (long i = 0; i < n; i++) {
            int e = expected.getAtIndex(ValueLayout.JAVA_INT, i), a = actual.getAtIndex(ValueLayout.JAVA_INT, i);
            if (e != a) fail(what + ": element " + i + " is " + Float.intBitsToFloat(a) + ", expected " + Float.intBitsToFloat(e) + " (seed " + seed + ")");
        }
    }

    @Test
    void reductionsGiveTheSameBitsOnOneThreadAsOnThePool() {
        long n = 5 * 65_536 + 1_234;   // several parallel chunks and a ragged end
        try (Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
            MemorySegment a = wideRange(shared, n), b = wideRange(shared, n);
            MemorySegment a1 = confinedCopy(confined, a), b1 = confinedCopy(confined, b);
            assertEquals(Double.doubleToRawLongBits(Reduce.sum(n, a1)), Double.doubleToRawLongBits(Reduce.sum(n, a)), "sum (seed " + seed + ")");
            assertEquals(Double.doubleToRawLongBits(Reduce.dot(n, a1, b1)), Double.doubleToRawLongBits(Reduce.dot(n, a, b)), "dot (seed " + seed + ")");
            assertEquals(Double.doubleToRawLongBits(Reduce.l1(n, a1, b1)), Double.doubleToRawLongBits(Reduce.l1(n, a, b)), "l1 (seed " + seed + ")");
        }
    }

    /**
     * Unary forward over the n elements from {@code shift} on, against one call over all of them:
     * with every shift below L, each element is once in a scalar tail and otherwise in a vector.
     */
    @Test
    void unaryGivesAnElementTheSameBitsInBodyAndTail() {
        int wide = 6 * L + 5;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = random(arena, wide, 12), pos = random(arena, wide, 1);
            for (long i = 0; i < wide; i++) pos.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.abs(pos.getAtIndex(ValueLayout.JAVA_FLOAT, i)) * 50);
            MemorySegment whole = arena.allocate((long) wide * Float.BYTES, 64), part = arena.allocate((long) wide * Float.BYTES, 64);
            for (UnaryOp op : UnaryOp.values()) {
                MemorySegment in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? pos : x;
                Unary.forward(op, 0.3f, wide, in, whole);
                for (int shift = 1; shift < L; shift++) {
                    long off = (long) shift * Float.BYTES;
                    Unary.forward(op, 0.3f, wide - shift, in.asSlice(off), part.asSlice(off));
                    sameBits(whole.asSlice(off), part.asSlice(off), wide - shift, "unary " + op + " from element " + shift);
                }
            }
        }
    }

    @Test
    void gatingGivesAnElementTheSameBitsInBodyAndTail() {
        int hw = 3 * L + 5, c = 3;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = random(arena, 2L * c * hw, 12), dy = random(arena, (long) c * hw, 1);
            // the same planes widened to a whole number of vectors: each tail element moves into a vector
            int wideHw = (hw + L - 1) / L * L;
            MemorySegment xWide = arena.allocate(2L * c * wideHw * Float.BYTES, 64), dyWide = arena.allocate((long) c * wideHw * Float.BYTES, 64);
            for (int p = 0; p < 2 * c; p++) MemorySegment.copy(x, (long) p * hw * Float.BYTES, xWide, (long) p * wideHw * Float.BYTES, (long) hw * Float.BYTES);
            for (int p = 0; p < c; p++) MemorySegment.copy(dy, (long) p * hw * Float.BYTES, dyWide, (long) p * wideHw * Float.BYTES, (long) hw * Float.BYTES);
            for (GateActivation act : GateActivation.values()) {
                MemorySegment y = arena.allocate((long) c * hw * Float.BYTES, 64), yWide = arena.allocate((long) c * wideHw * Float.BYTES, 64);
                MemorySegment dx = arena.allocate(2L * c * hw * Float.BYTES, 64), dxWide = arena.allocate(2L * c * wideHw * Float.BYTES, 64);
                Gating.forward(act, 1, c, hw, x, y);
                Gating.forward(act, 1, c, wideHw, xWide, yWide);
                Gating.backward(act, 1, c, hw, x, dy, dx);
                Gating.backward(act, 1, c, wideHw, xWide, dyWide, dxWide);
                for (int p = 0; p < c; p++) {
                    sameBits(yWide.asSlice((long) p * wideHw * Float.BYTES), y.asSlice((long) p * hw * Float.BYTES), hw, act + " forward, plane " + p);
                }
                for (int p = 0; p < 2 * c; p++) {
                    sameBits(dxWide.asSlice((long) p * wideHw * Float.BYTES), dx.asSlice((long) p * hw * Float.BYTES), hw, act + " backward, plane " + p);
                }
            }
        }
    }

    /** As for unary: Adam over the elements from {@code shift} on, and over the first {@code shift} (all tail). */
    @Test
    void adamGivesAnElementTheSameBitsInBodyAndTail() {
        int n = 6 * L + 7;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment g = random(arena, n, 1), p0 = random(arena, n, 1), m0 = random(arena, n, 0.1), v0 = random(arena, n, 0.01);
            for (long i = 0; i < n; i++) v0.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.abs(v0.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
            MemorySegment[] whole = {copy(arena, p0), copy(arena, m0), copy(arena, v0)};
            AdamKernel.step(n, 3, 1e-3f, 0.5f, 0.999f, 1e-8f, whole[0], g, whole[1], whole[2]);
            String[] names = {"p", "m", "v"};
            for (int shift = 1; shift < L; shift++) {
                MemorySegment[] split = {copy(arena, p0), copy(arena, m0), copy(arena, v0)};
                long off = (long) shift * Float.BYTES;
                AdamKernel.step(n - shift, 3, 1e-3f, 0.5f, 0.999f, 1e-8f, split[0].asSlice(off), g.asSlice(off), split[1].asSlice(off), split[2].asSlice(off));
                AdamKernel.step(shift, 3, 1e-3f, 0.5f, 0.999f, 1e-8f, split[0], g, split[1], split[2]);
                for (int k = 0; k < 3; k++) sameBits(whole[k], split[k], n, "adam " + names[k] + " split at " + shift);
            }
        }
    }

    /** A ragged softmax column (scalar code) against the same column inside a full vector of columns. */
    @Test
    void softmaxGivesAColumnTheSameBitsInBodyAndTail() {
        int axis = 37, ragged = L + 3, full = 2 * L;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = random(arena, (long) axis * ragged, 20), dy = random(arena, (long) axis * ragged, 1);
            MemorySegment xFull = arena.allocate((long) axis * full * Float.BYTES, 64), dyFull = arena.allocate((long) axis * full * Float.BYTES, 64);
            for (int a = 0; a < axis; a++) {
                MemorySegment.copy(x, (long) a * ragged * Float.BYTES, xFull, (long) a * full * Float.BYTES, (long) ragged * Float.BYTES);
                MemorySegment.copy(dy, (long) a * ragged * Float.BYTES, dyFull, (long) a * full * Float.BYTES, (long) ragged * Float.BYTES);
            }
            MemorySegment y = arena.allocate((long) axis * ragged * Float.BYTES, 64), yFull = arena.allocate((long) axis * full * Float.BYTES, 64);
            MemorySegment dx = arena.allocate((long) axis * ragged * Float.BYTES, 64), dxFull = arena.allocate((long) axis * full * Float.BYTES, 64);
            Softmax.forward(1, axis, ragged, x, y);
            Softmax.forward(1, axis, full, xFull, yFull);
            Softmax.backward(1, axis, ragged, y, dy, dx);
            Softmax.backward(1, axis, full, yFull, dyFull, dxFull);
            for (int a = 0; a < axis; a++) {
                sameBits(yFull.asSlice((long) a * full * Float.BYTES), y.asSlice((long) a * ragged * Float.BYTES), ragged, "softmax forward, row " + a);
                sameBits(dxFull.asSlice((long) a * full * Float.BYTES), dx.asSlice((long) a * ragged * Float.BYTES), ragged, "softmax backward, row " + a);
            }
        }
    }

    private static MemorySegment copy(Arena arena, MemorySegment s) {
        return arena.allocate(s.byteSize(), 64).copyFrom(s);
    }
}
