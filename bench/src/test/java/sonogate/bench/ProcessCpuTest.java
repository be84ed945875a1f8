package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    /** The process clock covers this thread's work, at a resolution far finer than the JDK's 10 ms ticks. */
    @Test
    void countsThisThreadsWorkWithFineResolution() {
        var threads = ManagementFactory.getThreadMXBean();
        long p0 = ProcessCpu.nanos(), t0 = threads.getCurrentThreadCpuTime();
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() - t0 < 3_000_000) sink += Math.sqrt(sink + 1);
        long p1 = ProcessCpu.nanos(), t1 = threads.getCurrentThreadCpuTime();
        assertTrue(sink > 0);
        assertTrue(p1 - p0 >= 0.9 * (t1 - t0), "process CPU " + (p1 - p0) + " ns < this thread's " + (t1 - t0) + " ns");
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < 1000; i++) {
            long a = ProcessCpu.nanos(), b = ProcessCpu.nanos();
            assertTrue(b >= a, "the process clock went back");
            if (b > a) smallest = Math.min(smallest, b - a);
        }
        assertTrue(smallest < 1_000_000, "no step under 1 ms seen: resolution " + smallest + " ns");
    }
}
