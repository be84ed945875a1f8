package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelBenchTest {

    @Test
    void parsesOptions() throws Exception {
        KernelBench.Options o = KernelBench.parse(new String[] {"--json", "out/k.json", "--threads", "2", "--quick",
                "--filter", "gemm"});
        assertEquals(Path.of("out/k.json"), o.json());
        assertEquals(2, o.threads());
        assertTrue(o.quick());
        assertEquals("gemm", o.filter());
        assertEquals(0, KernelBench.parse(new String[0]).threads());
    }

    @Test
    void rejectsBadOptions() {
        for (String[] bad : List.of(new String[] {"--threads", "0"}, new String[] {"--threads", "two"},
                new String[] {"--json"}, new String[] {"--json", "--quick"}, new String[] {"--fast"})) {
            assertThrows(UsageException.class, () -> KernelBench.parse(bad), String.join(" ", bad));
        }
    }

    @Test
    void usageErrorsExitWithTwoBeforeTouchingAnyKernel() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KernelBench.run(new String[] {"--bogus"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("sonogate bench kernels: unknown option '--bogus'"));
        assertEquals(0, KernelBench.run(new String[] {"--help"}, new PrintStream(new ByteArrayOutputStream()), System.err));
    }

    @Test
    void measureTakesMediansAndMarksThrowingSidesNotAvailable() {
        var runner = new KernelBench.Runner(new KernelBench.Options(null, 0, true, "", false), null,
                new PrintStream(new ByteArrayOutputStream()));
        double[] r = runner.measure(List.of(
                new KernelBench.Side("sleepy", () -> sleepNanos(200_000), 1e9),
                new KernelBench.Side("missing", () -> {
                    throw new UnsupportedOperationException("not implemented yet");
                }, 1e9)));
        // 1e9 work units per >= 0.2 ms call: at most 5000 "G"-units per second, and clearly positive.
        assertTrue(r[0] > 10 && r[0] <= 5000, "rate " + r[0]);
        assertTrue(Double.isNaN(r[1]));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Median.of(new double[] {3, 1, 2}));
        assertEquals(2.5, Median.of(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Median.of(new double[0])));
    }

    private static void sleepNanos(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }
}
