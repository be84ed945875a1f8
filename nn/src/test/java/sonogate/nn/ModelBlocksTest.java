package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sonogate.tensor.check.GradCheck.Input.constant;
import static sonogate.tensor.check.GradCheck.Input.normal;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.kernels.GateActivation;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.check.GradCheck;
import sonogate.tensor.ops.Ops;

class ModelBlocksTest {

    /** A vessel-like hole: a thick diagonal band, on random frames it never covers everything. */
    static double[] bandMask(int n, int size) {
        double[] m = new double[n * size * size];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++)
                    m[(b * size + i) * size + j] = Math.abs(i - j - b * 3) < size / 6 ? 1 : 0;
        return m;
    }

    @Test
    void gatedConvBlockGradientsInDouble() {
        GradCheck.check("gated conv (upsample, k3 s1 d2)",
                x -> Ops.gate(Ops.conv2d(Ops.upsample2x(x[0]), x[1], x[2], 1, 2, 2), GateActivation.ELU), System.nanoTime(),
                normal(2, 3, 5, 6), normal(8, 3, 3, 3), normal(8));
        GradCheck.check("gated conv (k5 s2, ReLU features)",
                x -> Ops.gate(Ops.conv2d(x[0], x[1], x[2], 2, 2, 1), GateActivation.RELU), System.nanoTime(),
                normal(1, 3, 9, 8), normal(6, 3, 5, 5), normal(6));
    }

    @Test
    void contextualAttentionGradientsInDouble() {
        GradCheck.check("contextual attention [2,3,8,8], mask 32x32",
                x -> ContextualAttention.apply(x[0], x[1]), System.nanoTime(),
                new GradCheck.Tolerance(1e-6, 1e-5, 2e-4),
                normal(2, 3, 8, 8), constant(bandMask(2, 32), 2, 1, 32, 32));
    }

    @Test
    void contextualAttentionEqualsANaiveLoopImplementation() {
        try (Scope s = Scope.open(); var ng = Tape.noGrad()) {
            long seed = System.nanoTime();
            SplittableRandom rng = new SplittableRandom(seed);
            int n = 2, c = 3, h = 12, w = 8;
            Tensor f = Tensor.randn(rng, DType.F64, n, c, h, w);
            Tensor hole = Tensor.of(DType.F64, bandMask(n, 48), n, 1, 48, 48);
            Tensor hole32 = Ops.contiguous(Ops.narrow(hole, 3, 0, 32));   // 48 x 32 frame: features are 1/4 of it
            double[] ours = ContextualAttention.apply(f, hole32).toDoubleArray();
            double[] naive = naiveAttention(f.toDoubleArray(), hole32.toDoubleArray(), n, c, h, w, 4);
            double energy = 0;
            for (double v : naive) energy += v * v;
            assertTrue(energy > 1e-3, "the case must paste something (some background patches valid), seed " + seed);
            GradCheck.compare("contextual attention vs naive loops (seed " + seed + ")", ours, naive, 1e-12);
        }
    }

    /** DeepFill v2's contextual attention written out with loops, straight from MODEL.md. */
    static double[] naiveAttention(double[] f, double[] hole, int n, int c, int h, int w, int maskScale) {
        int hh = h / 2, hw = w / 2, l = hh * hw, mh = h * maskScale, mw = w * maskScale;
        double[] out = new double[n * c * h * w];
        for (int b = 0; b < n; b++) {
            double[][][] fd = new double[c][hh][hw];
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < hh; i++)
                    for (int j = 0; j < hw; j++) fd[ch][i][j] = f[((b * c + ch) * h + 2 * i) * w + 2 * j];
            double[][] patch = new double[l][c * 9];
            double[] norm = new double[l];
            for (int p = 0; p < l; p++) {
                int pi = p / hw, pj = p % hw, q = 0;
                for (int ch = 0; ch < c; ch++)
                    for (int di = -1; di <= 1; di++)
                        for (int dj = -1; dj <= 1; dj++, q++) {
                            int y = pi + di, x = pj + dj;
                            patch[p][q] = y >= 0 && y < hh && x >= 0 && x < hw ? fd[ch][y][x] : 0;
                            norm[p] += patch[p][q] * patch[p][q];
                        }
                norm[p] = Math.sqrt(norm[p] + 1e-4);
            }
            double[][] score = new double[l][l];
            for (int bg = 0; bg < l; bg++)
                for (int fg = 0; fg < l; fg++)
                    for (int q = 0; q < c * 9; q++) score[bg][fg] += patch[bg][q] / norm[bg] * patch[fg][q];
            // fuse along the row-major flattening, then along the column-major one
            score = diagonalSum(score);
            double[][] transposed = new double[l][l];
            for (int bg = 0; bg < l; bg++)
                for (int fg = 0; fg < l; fg++) transposed[columnMajor(bg, hh, hw)][columnMajor(fg, hh, hw)] = score[bg][fg];
            transposed = diagonalSum(transposed);
            for (int bg = 0; bg < l; bg++)
                for (int fg = 0; fg < l; fg++) score[bg][fg] = transposed[columnMajor(bg, hh, hw)][columnMajor(fg, hh, hw)];
            // valid background patches: no hole pixel in the 3x3 patch of the mask subsampled to half feature size
            double[] valid = new double[l];
            int step = maskScale * 2;
            for (int p = 0; p < l; p++) {
                boolean clean = true;
                for (int di = -1; di <= 1; di++)
                    for (int dj = -1; dj <= 1; dj++) {
                        int y = p / hw + di, x = p % hw + dj;
                        if (y >= 0 && y < hh && x >= 0 && x < hw && hole[(b * mh + y * step) * mw + x * step] != 0) clean = false;
                    }
                valid[p] = clean ? 1 : 0;
            }
            for (int fg = 0; fg < l; fg++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                double[] a = new double[l];
                for (int bg = 0; bg < l; bg++) max = Math.max(max, 10 * score[bg][fg] * valid[bg]);
                for (int bg = 0; bg < l; bg++) sum += a[bg] = Math.exp(10 * score[bg][fg] * valid[bg] - max);
                int fi = fg / hw, fj = fg % hw;
                for (int bg = 0; bg < l; bg++) {
                    double weight = a[bg] / sum * valid[bg];
                    int bi = bg / hw, bj = bg % hw;
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < 4; ky++)
                            for (int kx = 0; kx < 4; kx++) {
                                int sy = 2 * bi - 1 + ky, sx = 2 * bj - 1 + kx, oy = 2 * fi - 1 + ky, ox = 2 * fj - 1 + kx;
                                if (sy < 0 || sy >= h || sx < 0 || sx >= w || oy < 0 || oy >= h || ox < 0 || ox >= w) continue;
                                out[((b * c + ch) * h + oy) * w + ox] += 0.25 * weight * f[((b * c + ch) * h + sy) * w + sx];
                            }
                }
            }
        }
        return out;
    }

    private static double[][] diagonalSum(double[][] s) {
        int l = s.length;
        double[][] out = new double[l][l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
                for (int t = -1; t <= 1; t++)
                    if (i + t >= 0 && i + t < l && j + t >= 0 && j + t < l) out[i][j] += s[i + t][j + t];
        return out;
    }

    private static int columnMajor(int rowMajor, int rows, int cols) {
        return (rowMajor % cols) * rows + rowMajor / cols;
    }

    @Test
    void tinyTranslatorKeepsKnownPixelsAndEveryParameterLearns() {
        ModelConfig cfg = ModelConfig.TINY;
        try (Translator t = new Translator(cfg, Device.CPU, 7); Scope s = Scope.open()) {
            long seed = System.nanoTime();
            SplittableRandom rng = new SplittableRandom(seed);
            Tensor x = Tensor.uniform(rng, DType.F32, -1, 1, 2, 1, 64, 64);
            Tensor m = Tensor.of(DType.F32, bandMask(2, 64), 2, 1, 64, 64);
            Generator.Output g = t.generator().forward(x, m);
            assertArrayEquals(new int[] {2, 1, 64, 64}, g.composite().shape());
            double[] xs = x.toDoubleArray(), ms = m.toDoubleArray(), out = g.composite().toDoubleArray(), x2 = g.refined().toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                assertTrue(Math.abs(x2[i]) <= 1, "tanh output");
                assertEquals(ms[i] == 0 ? (float) xs[i] : x2[i], out[i], 1e-6, "composite at " + i + " (seed " + seed + ")");
            }
            Tensor scores = t.discriminator().forward(g.composite(), m, true);
            assertArrayEquals(new int[] {2, cfg.discriminatorChannels()[5]}, scores.shape());
            Tensor loss = Ops.add(Ops.add(Ops.l1Loss(g.coarse(), x), Ops.l1Loss(g.refined(), x)), Ops.mean(scores));
            Tape.backward(loss);
            for (ParameterStore.Entry e : t.parameters().parameters().values()) {
                double norm = 0;
                for (double v : e.tensor().grad().toDoubleArray()) norm += v * v;
                assertTrue(norm > 0, "no gradient reached " + e.name() + " (seed " + seed + ")");
            }
        }
    }
}
