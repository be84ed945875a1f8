package sonogate.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Telea inpainting against OpenCV's {@code cv2.inpaint(..., cv2.INPAINT_TELEA)} (Debian
 * python3-opencv, installed by scripts/setup-test-tools; skipped visibly without it) on real
 * B-mode frames with one fixed hole of vessel and chamber shapes: agreement inside the hole as
 * the mean absolute difference in grey levels and the PSNR between the two fills.
 *
 * <p>Exact agreement is not expected: OpenCV rounds every filled pixel to 8 bits before later
 * pixels use it, breaks ties of the marching order its own way, and replaces the paper's
 * first-order term by a normalised gradient nudge of at most one grey level, so it is close to our
 * zero-order variant, the evaluation's baseline, which is what is asserted (mean absolute
 * difference under 3 grey levels, PSNR above 35 dB). Measured: 1.41-2.23 grey levels, 38.7-43.3 dB;
 * the paper's first-order variant is 15-44 grey levels off (printed, not asserted).
 */
class TeleaOpenCvTest {
    static final String[] FRAMES = {
        "bmode-image/hc18_000_HC.png",
        "bmode-video/plus_SpinePhantomFreehand.igs.mha",
        "bmode-video/pocus_Reg_pat1Image_133410.mpeg"};

    @TempDir
    Path tmp;

    @Test
    void agreesWithOpenCv() throws Exception {
        Path data = EvalFixtures.realData();
        assumeTrue(data != null, "SKIPPED: no shared/data/ultrasound folder");
        Path script = tmp.resolve("opencv_inpaint.py");
        try (InputStream in = TeleaOpenCvTest.class.getResourceAsStream("opencv_inpaint.py")) {
            Files.copy(in, script);
        }
        double worstZeroMad = 0, worstZeroPsnr = Double.POSITIVE_INFINITY;
        for (String name : FRAMES) {
            GreyClip clip = GreyClip.read(data.resolve(name), name, 1);
            int w = clip.width(), h = clip.height();
            byte[] grey = clip.frames().get(0), hole = fixedHole(w, h);
            Pgm.write(tmp.resolve("in.pgm"), grey, w, h);
            byte[] m = new byte[hole.length];
            for (int i = 0; i < m.length; i++) m[i] = (byte) (hole[i] != 0 ? 255 : 0);
            Pgm.write(tmp.resolve("mask.pgm"), m, w, h);
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), tmp.resolve("in.pgm").toString(),
                    tmp.resolve("mask.pgm").toString(), tmp.resolve("out.pgm").toString(), "5").redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assumeTrue(p.exitValue() != 3, "SKIPPED: OpenCV (python3-opencv) not installed: " + log);
            assertTrue(p.exitValue() == 0, "opencv_inpaint.py failed: " + log);
            byte[] cv = Pgm.read(tmp.resolve("out.pgm"), w, h);
            float[] img = new float[w * h];
            for (int i = 0; i < img.length; i++) img[i] = grey[i] & 0xFF;
            double[] first = agreement(TeleaInpainting.fill(img, hole, w, h, 5, true), cv, hole);
            double[] zero = agreement(TeleaInpainting.fill(img, hole, w, h, 5, false), cv, hole);
            System.out.printf(Locale.ROOT, "telea vs OpenCV %s (%dx%d, %d hole px): first-order MAD %.2f grey levels, PSNR %.1f dB;"
                    + " zero-order MAD %.2f, PSNR %.1f dB%n", name, w, h, count(hole), first[0], first[1], zero[0], zero[1]);
            worstZeroMad = Math.max(worstZeroMad, zero[0]);
            worstZeroPsnr = Math.min(worstZeroPsnr, zero[1]);
        }
        // The evaluation's Telea (zero order); the first-order figures are printed for the README only.
        assertTrue(worstZeroMad < 3, "Telea differs from OpenCV by " + worstZeroMad + " grey levels on average inside the hole");
        assertTrue(worstZeroPsnr > 35, "Telea vs OpenCV inside the hole: " + worstZeroPsnr + " dB");
    }

    /** Mean absolute difference (grey levels) and PSNR (dB, peak 255) of our rounded fill and OpenCV's inside the hole. */
    static double[] agreement(float[] ours, byte[] cv, byte[] hole) {
        double abs = 0, sq = 0;
        long n = 0;
        for (int i = 0; i < hole.length; i++) {
            if (hole[i] == 0) continue;
            double d = Math.clamp(Math.round(ours[i]), 0, 255) - (cv[i] & 0xFF);
            abs += Math.abs(d);
            sq += d * d;
            n++;
        }
        return new double[] {abs / n, 10 * Math.log10(255.0 * 255.0 * n / Math.max(sq, 1e-9))};
    }

    static long count(byte[] m) {
        long n = 0;
        for (byte b : m) if (b != 0) n++;
        return n;
    }

    /** A chamber (ellipse) and a curved vessel band around the frame's centre, clear of the edges. */
    static byte[] fixedHole(int w, int h) {
        byte[] hole = new byte[w * h];
        double s = Math.min(w, h), cx = 0.5 * w, cy = 0.55 * h;
        for (int y = 2; y < h - 2; y++) {
            for (int x = 2; x < w - 2; x++) {
                double ex = (x - (cx - 0.12 * s)) / (0.10 * s), ey = (y - cy) / (0.07 * s);
                double vesselY = cy - 0.15 * s + 0.05 * s * Math.sin((x - cx) / (0.12 * s));
                boolean vessel = Math.abs(x - cx - 0.05 * s) < 0.25 * s && Math.abs(y - vesselY) < 0.025 * s;
                if (ex * ex + ey * ey <= 1 || vessel) hole[y * w + x] = 1;
            }
        }
        return hole;
    }

    /** Binary PGM (P5), the format OpenCV and we exchange frames in. */
    static final class Pgm {
        static void write(Path file, byte[] grey, int w, int h) throws IOException {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
                out.write(grey);
            }
        }

        static byte[] read(Path file, int w, int h) throws IOException {
            byte[] all = Files.readAllBytes(file);
            String header = "P5\n" + w + " " + h + "\n255\n";
            if (!new String(all, 0, Math.min(all.length, header.length()), StandardCharsets.US_ASCII).equals(header)
                    || all.length != header.length() + w * h) {
                throw new IOException(file + ": not a " + w + "x" + h + " 8-bit PGM as written by OpenCV");
            }
            return java.util.Arrays.copyOfRange(all, header.length(), all.length);
        }
    }
}
