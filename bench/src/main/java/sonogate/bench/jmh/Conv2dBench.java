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
import sonogate.kernels.Conv2d;
import sonogate.kernels.ConvGeometry;

/**
 * Conv2d forward, backward-data and backward-weight at the model's layer shapes
 * ({@link ModelShapes#layers}: config small or base, batch 1 or 4). Every pass is rated at the
 * forward FLOPs, {@link ConvGeometry#flops()} = 2 * N*Cout*outH*outW * Cin*k*k (the {@code gflop}
 * counter is GFLOP/s; bias and the weight-gradient bias sum are not counted). The backward passes
 * accumulate into dx / dw, as in training.
 * Example: {@code sonogate bench jmh Conv2dBench.forward -p config=base -p batch=4 -p layer=h4}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class Conv2dBench {
    @Param({"small", "base"})
    public String config;

    @Param({"1", "4"})
    public int batch;

    @Param({"in5", "down1", "h2", "down2", "h4", "h4d2", "h4d8", "h4d16", "merge", "up2", "up1", "h1", "out"})
    public String layer;

    private Arena arena;
    private ConvGeometry g;
    private MemorySegment x, w, bias, y, dy, dx, dw, dbias;
    private double gflop;

    @Setup(Level.Trial)
    public void setup() {
        g = ModelShapes.layer(config, layer, batch).geometry();
        gflop = g.flops() * 1e-9;
        arena = Arena.ofShared();
        x = Buffers.random(arena, g.inputSize(), 1);
        w = Buffers.random(arena, g.weightSize(), 2);
        bias = Buffers.random(arena, g.outChannels(), 3);
        y = Buffers.zeros(arena, g.outputSize());
        dy = Buffers.random(arena, g.outputSize(), 4);
        dx = Buffers.zeros(arena, g.inputSize());
        dw = Buffers.zeros(arena, g.weightSize());
        dbias = Buffers.zeros(arena, g.outChannels());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void forward(Counters.Flops f) {
        Conv2d.forward(g, x, w, bias, y);
        f.gflop += gflop;
    }

    @Benchmark
    public void backwardData(Counters.Flops f) {
        Conv2d.backwardData(g, dy, w, dx);
        f.gflop += gflop;
    }

    @Benchmark
    public void backwardWeight(Counters.Flops f) {
        Conv2d.backwardWeight(g, x, dy, dw, dbias);
        f.gflop += gflop;
    }
}
