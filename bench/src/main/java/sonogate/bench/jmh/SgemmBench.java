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
import sonogate.bench.OpenBlas;
import sonogate.kernels.Parallel;
import sonogate.kernels.Sgemm;

/**
 * SGEMM C[M,N] = A[M,K] B[K,N] (row-major, no transposes, alpha 1, beta 0) at the model's im2col
 * shapes and CPU-NOTES.md's, ours ({@code impl=sonogate}) and OpenBLAS's ({@code impl=openblas},
 * with as many threads as our pool). FLOPs per call = 2 M N K: the {@code gflop} counter is GFLOP/s.
 * Shapes are {@link ModelShapes#allGemms()} by name (a test keeps the two lists equal).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class SgemmBench {
    @Param({"small.in5", "small.down1", "small.h2", "small.down2", "small.h4", "small.merge", "small.up2",
            "small.up1", "small.h1", "small.out",
            "base.in5", "base.down1", "base.h2", "base.down2", "base.h4", "base.merge", "base.up2",
            "base.up1", "base.h1", "base.out",
            "notes.384x1728x4096", "notes.192x1728x16384", "notes.96x864x65536", "notes.128x576x1024",
            "notes.64x288x256", "notes.1024x1024x1024"})
    public String shape;

    @Param({"sonogate", "openblas"})
    public String impl;

    private Arena arena;
    private MemorySegment a, b, c;
    private int m, n, k;
    private double gflop;
    private OpenBlas blas;

    @Setup(Level.Trial)
    public void setup() {
        ModelShapes.Gemm g = ModelShapes.gemm(shape);
        m = g.m();
        n = g.n();
        k = g.k();
        gflop = g.flops() * 1e-9;
        if (impl.equals("openblas")) {
            blas = OpenBlas.require();
            blas.setNumThreads(Parallel.threads());
        } else if (!impl.equals("sonogate")) {
            throw new IllegalArgumentException("impl: sonogate or openblas, not " + impl);
        }
        arena = Arena.ofShared();
        a = Buffers.random(arena, (long) m * k, 1);
        b = Buffers.random(arena, (long) k * n, 2);
        c = Buffers.zeros(arena, (long) m * n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void sgemm(Counters.Flops f) {
        if (blas != null) blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        else Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        f.gflop += gflop;
    }
}
