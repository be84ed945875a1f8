package sonogate.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import sonogate.bench.Buffers;
import sonogate.bench.ModelShapes;
import sonogate.kernels.GateActivation;
import sonogate.kernels.Gating;

/**
 * The fused ELU gate after a gated conv: x [N, 2C, HW] -> y [N, C, HW], and its backward, at the
 * output of the model layers {@code in5} (H), {@code h2} (H/2) and {@code h4} (H/4). Rated in GB/s of
 * compulsory traffic ({@code gbyte} counter): forward reads 2C and writes C channels, backward reads
 * x (2C) and dy (C) and reads and writes dx (2C): 3 and 7 * N*C*HW*4 bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GatingBench {
    @Param({"small", "base"})
    public String config;

    @Param({"1", "4"})
    public int batch;

    @Param({"in5", "h2", "h4"})
    public String layer;

    private Arena arena;
    private int n, c, hw;
    private MemorySegment x, y, dy, dx;
    private double fwdGbyte, bwdGbyte;

    @Setup(Level.Trial)
    public void setup() {
        ModelShapes.Gate g = ModelShapes.gates(ModelShapes.config(config), batch).stream()
                .filter(t -> t.name().equals(config + "." + layer + ".b" + batch)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no gate after layer " + layer));
        n = g.n();
        c = g.c();
        hw = g.hw();
        fwdGbyte = g.forwardBytes() * 1e-9;
        bwdGbyte = g.backwardBytes() * 1e-9;
        long half = (long) n * c * hw;
        arena = Arena.ofShared();
        x = Buffers.random(arena, 2 * half, 1);
        y = Buffers.zeros(arena, half);
        dy = Buffers.random(arena, half, 2);
        dx = Buffers.zeros(arena, 2 * half);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void forward(Counters.Bytes b) {
        Gating.forward(GateActivation.ELU, n, c, hw, x, y);
        b.gbyte += fwdGbyte;
    }

    @Benchmark
    public void backward(Counters.Bytes b) {
        Gating.backward(GateActivation.ELU, n, c, hw, x, dy, dx);
        b.gbyte += bwdGbyte;
    }
}
