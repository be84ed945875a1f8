package sonogate.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.kernels.ConvTestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused gated convolution gives the same bits as the convolution then the gate (each tested against its naive reference). */
class ConvGatedTest {

    /** batch, cin, h, w, cout (even), k, s, p, d: the band path (no direct kernel, not pointwise). */
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(1, 3, 7, 9, 4, 3, 2, 1, 1),
                new ConvGeometry(2, 16, 30, 100, 26, 3, 1, 1, 1),    // 8 row bands per sample, the last one ragged
                new ConvGeometry(1, 16, 32, 32, 64, 3, 1, 1, 1),     // tiny's widest layer shape
                new ConvGeometry(3, 16, 16, 16, 64, 3, 1, 8, 8),     // dilated
                new ConvGeometry(1, 12, 70, 66, 10, 3, 2, 1, 1),     // stride 2, uneven bands
                new ConvGeometry(2, 48, 32, 32, 96, 3, 1, 1, 1),     // small's 4c layers
                new ConvGeometry(1, 5, 3, 5, 2, 3, 1, 1, 1));        // rows narrower than a vector: scalar tails only
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void fusedEqualsConvolutionThenGateBitForBit(ConvGeometry g) {
        assertTrue(Conv2d.fusesGate(g), g + " takes the fused path");
        long seed = System.nanoTime();
        Random rnd = new Random(seed);   // any draw: the claim is bit equality
        for (GateActivation act : GateActivation.values()) {
            for (boolean withBias : new boolean[] {true, false}) {
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment x = segment(arena, random(rnd, g.inputSize()));
                    MemorySegment w = segment(arena, random(rnd, g.weightSize()));
                    MemorySegment b = withBias ? segment(arena, random(rnd, g.outChannels())) : null;
                    long half = g.outputSize() / 2;
                    MemorySegment y = arena.allocate((long) g.outputSize() * Float.BYTES, 64);
                    MemorySegment expected = arena.allocate(half * Float.BYTES, 64);
                    Conv2d.forward(g, x, w, b, y);
                    Gating.forward(act, g.batch(), g.outChannels() / 2, g.outH() * g.outW(), y, expected);
                    MemorySegment fused = segment(arena, random(rnd, half));
                    Conv2d.forwardGated(g, act, x, w, b, fused);
                    assertArrayEquals(expected.toArray(ValueLayout.JAVA_FLOAT), fused.toArray(ValueLayout.JAVA_FLOAT),
                            g + " " + act + (withBias ? " with bias" : "") + " (seed " + seed + ")");
                }
            }
        }
    }

    @Test
    void directAndPointwiseGeometriesAreLeftToTheCaller() {
        ConvGeometry direct = new ConvGeometry(1, 3, 64, 64, 8, 5, 1, 2, 1), pointwise = new ConvGeometry(1, 8, 16, 16, 8, 1, 1, 0, 1);
        for (ConvGeometry g : new ConvGeometry[] {direct, pointwise}) {
            assertTrue(!Conv2d.fusesGate(g), g.toString());
            try (Arena arena = Arena.ofShared()) {
                MemorySegment x = arena.allocate((long) g.inputSize() * 4), w = arena.allocate((long) g.weightSize() * 4);
                MemorySegment out = arena.allocate((long) g.outputSize() * 2);
                assertThrows(IllegalArgumentException.class, () -> Conv2d.forwardGated(g, GateActivation.ELU, x, w, null, out));
            }
        }
    }
}
