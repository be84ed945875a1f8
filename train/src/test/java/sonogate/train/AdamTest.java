package sonogate.train;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tensor;
import sonogate.tensor.check.GradCheck;

class AdamTest {

    @Test
    void floatOptimiserTracksTheDoubleReferenceOverSteps() {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1037;
        double[] start = new double[n];
        for (int i = 0; i < n; i++) start[i] = (float) rng.nextGaussian();
        try (Scope s = Scope.open()) {
            Tensor p32 = Tensor.of(DType.F32, start, n), g32 = Tensor.zeros(DType.F32, n);
            Tensor p64 = Tensor.of(DType.F64, start, n), g64 = Tensor.zeros(DType.F64, n);
            try (Adam a32 = Adam.withSpecDefaults(p32, g32); Adam a64 = Adam.withSpecDefaults(p64, g64)) {
                for (int step = 0; step < 20; step++) {
                    double[] g = new double[n];
                    for (int i = 0; i < n; i++) g[i] = (float) rng.nextGaussian();
                    try (Tensor t32 = Tensor.of(DType.F32, g, n); Tensor t64 = Tensor.of(DType.F64, g, n)) {
                        g32.backend().copy(t32, g32, false);
                        g64.backend().copy(t64, g64, false);
                    }
                    a32.step();
                    a64.step();
                }
                GradCheck.compare("adam float vs double after 20 steps (seed " + seed + ")", p32.toDoubleArray(), p64.toDoubleArray(), 1e-6);
                double moved = 0;
                for (int i = 0; i < n; i++) moved = Math.max(moved, Math.abs(p64.toDoubleArray()[i] - start[i]));
                if (moved < 1e-4) throw new AssertionError("parameters did not move: " + moved + " (seed " + seed + ")");
            }
        }
    }
}
