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
    void fallsBackToNonDeterministicAndSaysSo() {
        AlgorithmChoice.Choice c = AlgorithmChoice.choose(new Cudnn.Perf[] {perf(3, 0, 0.1f, 0, false)}, 1 << 20, true, "x");
        assertEquals(3, c.perf().algo());
        assertFalse(c.deterministic());
        assertThrows(IllegalStateException.class, () -> AlgorithmChoice.choose(new Cudnn.Perf[] {perf(1, 3, 0, 0, true)}, 1, true, "forward"));
    }
}
