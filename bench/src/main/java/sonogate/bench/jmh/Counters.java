package sonogate.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH secondary metrics that read as rates: in Throughput mode JMH divides an OPERATIONS counter by
 * the iteration time, so {@code gflop} shows up as GFLOP/s and {@code gbyte} as GB/s next to the
 * primary ops/s (calls per second).
 */
public final class Counters {
    private Counters() {}

    /** Incremented by the GFLOPs of each call: reported as GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /** Incremented by the GB of compulsory memory traffic of each call: reported as GB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbyte;

        @Setup(Level.Iteration)
        public void reset() {
            gbyte = 0;
        }
    }
}
