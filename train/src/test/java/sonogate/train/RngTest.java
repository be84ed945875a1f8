package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void resumingFromTheStateContinuesTheSameSequence() {
        long seed = System.nanoTime();
        Rng a = new Rng(seed);
        for (int i = 0; i < 37; i++) a.nextLong();
        Rng b = Rng.fromState(a.state());
        for (int i = 0; i < 1000; i++) assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void uniformValuesLookUniform() {
        long seed = System.nanoTime();
        Rng r = new Rng(seed);
        int n = 100_000;
        double sum = 0, sumSq = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1, "seed " + seed);
            sum += u;
            sumSq += u * u;
            buckets[r.nextInt(10)]++;
        }
        assertEquals(0.5, sum / n, 0.01, "seed " + seed);
        assertEquals(1.0 / 12, sumSq / n - (sum / n) * (sum / n), 0.005, "seed " + seed);
        for (int c : buckets) assertEquals(n / 10.0, c, n / 10.0 * 0.1, "seed " + seed);
    }
}
