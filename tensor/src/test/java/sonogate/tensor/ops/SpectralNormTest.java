package sonogate.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;

/** Power iteration finds the largest singular value of a matrix built with known singular values. */
class SpectralNormTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void powerIterationConvergesToTheTopSingularValue(DType dtype) {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 5, cols = 7;
        double[] singular = {4.0, 2.5, 1.0, 0.5, 0.25};
        double[][] p = orthonormal(rng, rows), q = orthonormal(rng, cols);
        double[] w = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                for (int s = 0; s < rows; s++) w[i * cols + j] += p[s][i] * singular[s] * q[s][j];
        try (Scope scope = Scope.open(); var ng = Tape.noGrad()) {
            Tensor weight = Tensor.of(dtype, w, rows, cols);
            Tensor u = Tensor.uniform(rng, dtype, 0.1, 1, rows), v = Tensor.uniform(rng, dtype, 0.1, 1, cols);
            Tensor normalized = null;
            for (int it = 0; it < 60; it++) normalized = Ops.spectralNorm(weight, u, v, true);
            double[] out = normalized.toDoubleArray();
            for (int i = 0; i < w.length; i++) assertEquals(w[i] / singular[0], out[i], dtype == DType.F64 ? 1e-9 : 1e-5, "seed " + seed);
        }
    }

    private static double[][] orthonormal(SplittableRandom rng, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i][j] = rng.nextGaussian();
            for (int k = 0; k < i; k++) {
                double d = 0;
                for (int j = 0; j < n; j++) d += m[i][j] * m[k][j];
                for (int j = 0; j < n; j++) m[i][j] -= d * m[k][j];
            }
            double norm = 0;
            for (int j = 0; j < n; j++) norm += m[i][j] * m[i][j];
            for (int j = 0; j < n; j++) m[i][j] /= Math.sqrt(norm);
        }
        return m;
    }
}
