package sonogate.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlgorithmChoiceTest {
    private static Cudnn.Perf perf(int algo, int status, float ms, long memory, boolean det) {
        return new Cudnn.Perf(algo, status, ms, memory, det, Cudnn.FMA_MATH);
    }

    @Test
    void fastestDeterministicWithinTheWorkspace() {
        Cudnn.Perf[] found = {
            perf(3, 0, 0.1f, 10, false),        // fastest, but atomics
            perf(5, 9, 0.2f, 0, true),          // failed (CUDNN_STATUS_NOT_SUPPORTED)
            perf(6, 0, 0.3f, 1 << 30, true),    // too much workspace
            perf(1, 0, 0.4f, 1 << 20, true),
            perf(0, 0, 0.9f, 0, true),
        };
        AlgorithmChoice.Choice c = AlgorithmChoice.choose(found, 256 << 20, true, "backward-filter");
        assertEquals(1, c.perf().algo());
        assertTrue(c.deterministic());
        assertEquals(3, AlgorithmChoice.choose(found, 256 << 20, false, "backward-filter").perf().algo());
    }

    @Test
    void aNearlyAsFastAlgorithmWithLessWorkspaceWins() {
        Cudnn.Perf[] found = {
            perf(7, 0, 1.00f, 200 << 20, true),   // fastest, 200 MiB of workspace
            perf(2, 0, 1.08f, 1 << 20, true),     // 8% slower, 1 MiB: kept
            perf(0, 0, 1.09f, 1 << 20, true),     // as lean, slower
            perf(1, 0, 1.30f, 0, true),           // leaner still, but 30% slower
        };
        assertEquals(2, AlgorithmChoice.choose(found, 256 << 20, true, "forward").perf().algo());
        // the slack is relative to the fastest usable one: with 7 over the limit, 2 is the fastest
        assertEquals(2, AlgorithmChoice.choose(found, 100 << 20, true, "forward").perf().algo());
        assertEquals(4, AlgorithmChoice.choose(new Cudnn.Perf[] {found[3], perf(4, 0, 1.10f, 8, true)}, 1 << 20, true, "forward").perf().algo());
        assertEquals(1, AlgorithmChoice.choose(new Cudnn.Perf[] {found[3], perf(4, 0, 1.25f, 8, true)}, 1 << 20, true, "forward").perf().algo());
    }

    @Test
    void fallsBackToNonDeterministicAndSaysSo() {
        AlgorithmChoice.Choice c = AlgorithmChoice.choose(new Cudnn.Perf[] {perf(3, 0, 0.1f, 0, false)}, 1 << 20, true, "x");
        assertEquals(3, c.perf().algo());
        assertFalse(c.deterministic());
        assertThrows(IllegalStateException.class, () -> AlgorithmChoice.choose(new Cudnn.Perf[] {perf(1, 3, 0, 0, true)}, 1, true, "forward"));
    }
}
