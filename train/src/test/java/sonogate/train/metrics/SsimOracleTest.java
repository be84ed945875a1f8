package sonogate.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.train.Rng;

/**
 * SSIM and PSNR against an independent implementation: scikit-image's (installed by
 * scripts/setup-test-tools) when /usr/bin/python3 has it, else the numpy implementation in
 * ssim_oracle.py; skipped, with a message, when there is no python3 with numpy.
 */
class SsimOracleTest {
    private static final double TOLERANCE = 1e-4;

    record Case(String name, int h, int w, float[] a, float[] b, float[] mask) {}

    @Test
    void agreesWithAnIndependentImplementation(@TempDir Path dir) throws Exception {
        String python = findPython();
        Assumptions.assumeTrue(python != null, "SKIPPED: no python3 with numpy; run scripts/setup-test-tools for the SSIM oracle");
        long seed = System.nanoTime();
        Rng rng = new Rng(seed);
        List<Case> cases = cases(rng);
        Path input = dir.resolve("cases.bin");
        writeCases(input, cases);
        Path script = dir.resolve("ssim_oracle.py");
        try (InputStream in = SsimOracleTest.class.getResourceAsStream("ssim_oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(python, script.toString(), input.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "oracle failed: " + out);
        String[] lines = out.strip().split("\n");
        String oracle = lines[0].strip();
        System.out.println("SSIM/PSNR oracle: " + oracle + " (" + cases.size() + " cases, seed=" + seed + ")");
        if (!oracle.equals("skimage")) System.out.println("NOTE: scikit-image missing; compared with the numpy fallback");
        assertEquals(cases.size() + 1, lines.length, out);
        double worst = 0;
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            String[] f = lines[k + 1].strip().split(" ");
            double refMean = Double.parseDouble(f[0]), refMask = Double.parseDouble(f[1]), refPsnr = Double.parseDouble(f[2]);
            double mean = Ssim.mean(c.a(), c.b(), c.h(), c.w());
            double inMask = Ssim.meanInMask(c.a(), c.b(), c.mask(), c.h(), c.w());
            double psnr = Metrics.psnr(c.a(), c.b(), c.h(), c.w());
            String ctx = "seed=" + seed + " case " + c.name() + " " + c.w() + "x" + c.h() + " vs " + oracle;
            assertEquals(refMean, mean, TOLERANCE, ctx + " mean SSIM");
            assertEquals(refMask, inMask, TOLERANCE, ctx + " SSIM in mask");
            assertEquals(refPsnr, psnr, TOLERANCE, ctx + " PSNR");
            worst = Math.max(worst, Math.max(Math.abs(refMean - mean), Math.abs(refMask - inMask)));
        }
        System.out.printf("SSIM largest difference from %s: %.2e%n", oracle, worst);
    }

    private static List<Case> cases(Rng rng) {
        List<Case> cases = new ArrayList<>();
        int[][] sizes = {{11, 11}, {11, 37}, {23, 64}, {48, 64}, {100, 100}, {64, 17}};
        for (int[] s : sizes) {
            int h = s[0], w = s[1], n = h * w;
            float[] u1 = new float[n], u2 = new float[n], struct = new float[n], noisy = new float[n], blurred = new float[n];
            float[] blobMask = new float[n], randomMask = new float[n];
            double fx = rng.uniform(0.05, 0.4), fy = rng.uniform(0.05, 0.4);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    u1[i] = (float) rng.uniform(-1, 1);
                    u2[i] = (float) rng.uniform(-1, 1);
                    double v = 0.6 * Math.sin(fx * x) * Math.cos(fy * y) + 0.3 * (2.0 * x / w - 1);
                    v += ((x / 4 + y / 4) % 2 == 0) ? 0.1 : -0.1;
                    struct[i] = (float) Math.max(-1, Math.min(1, v));
                    noisy[i] = (float) Math.max(-1, Math.min(1, v + 0.15 * rng.nextGaussian()));
                    blobMask[i] = Math.hypot(x - w * 0.4, y - h * 0.6) < Math.min(h, w) * 0.3 ? 1f : 0f;
                    randomMask[i] = rng.nextDouble() < 0.2 ? 1f : 0f;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    int cnt = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx, yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                                acc += struct[yy * w + xx];
                                cnt++;
                            }
                        }
                    }
                    blurred[y * w + x] = (float) (acc / cnt);
                }
            }
            float[] dark = new float[n], flat = new float[n];
            java.util.Arrays.fill(dark, -1f);
            java.util.Arrays.fill(flat, 0.2f);
            String tag = h + "x" + w;
            cases.add(new Case("random/random " + tag, h, w, u1, u2, randomMask));
            cases.add(new Case("structured/noisy " + tag, h, w, struct, noisy, blobMask));
            cases.add(new Case("structured/blurred " + tag, h, w, struct, blurred, randomMask));
            cases.add(new Case("structured/random " + tag, h, w, struct, u1, blobMask));
            cases.add(new Case("black/flat " + tag, h, w, dark, flat, blobMask));
            cases.add(new Case("flat/structured " + tag, h, w, flat, struct, randomMask));
        }
        return cases;
    }

    private static void writeCases(Path file, List<Case> cases) throws IOException {
        int bytes = 4;
        for (Case c : cases) bytes += 8 + 12 * c.h() * c.w();
        ByteBuffer buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(cases.size());
        for (Case c : cases) {
            buf.putInt(c.h()).putInt(c.w());
            for (float v : c.a()) buf.putFloat(v);
            for (float v : c.b()) buf.putFloat(v);
            for (float v : c.mask()) buf.putFloat(v);
        }
        Files.write(file, buf.array());
    }

    /** /usr/bin/python3 first (Debian's, where setup-test-tools installs scikit-image), then python3 on PATH. */
    private static String findPython() {
        for (String cand : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(cand, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return cand;
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        return null;
    }
}
