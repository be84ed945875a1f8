package sonogate.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (every thread: kernels, JIT, GC), in nanoseconds, with nanosecond
 * resolution: {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through FFM, as Python's
 * {@code time.process_time()} reads it. The JDK's {@code getProcessCpuTime()} counts in 10 ms ticks on
 * Linux, too coarse for a repetition of a few milliseconds; it is the fallback where libc's call is missing.
 */
final class ProcessCpu {
    private ProcessCpu() {}

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final MethodHandle CLOCK_GETTIME = find();
    // a shared (global) arena: a confined one would stop the Vector API's intrinsics JVM-wide (README)
    private static final MemorySegment TIMESPEC = Arena.global().allocate(16, 8);

    private static MethodHandle find() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("clock_gettime")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static synchronized long nanos() {
        if (CLOCK_GETTIME != null) {
            try {
                if ((int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC) == 0) {
                    return TIMESPEC.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + TIMESPEC.get(ValueLayout.JAVA_LONG, 8);
                }
            } catch (Throwable ignored) {
                // fall back below
            }
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
