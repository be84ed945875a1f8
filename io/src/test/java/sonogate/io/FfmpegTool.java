package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg as the reference decoder and as the maker of synthetic videos (installed by
 * scripts/setup-test-tools). Tests that need it skip visibly when it is missing.
 */
final class FfmpegTool {
  private FfmpegTool() {}

  static void require() {
    assumeTrue(TestData.onPath("ffmpeg"), "ffmpeg not installed: run scripts/setup-test-tools; skipping ffmpeg cross-checks");
  }

  /** Runs ffmpeg with {@code args} (after -v error -y), failing the test on a non-zero exit. */
  static void run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out: " + cmd);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8));
  }

  /**
   * ffmpeg's decoding of the first video stream of {@code file}, every frame as decoded (no
   * frame-rate conversion), as raw {@code rgb24} (channels 3) or {@code gray} (channels 1).
   */
  static List<byte[]> decode(Path file, int width, int height, int channels) throws Exception {
    List<String> cmd = List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-map", "0:v:0",
        "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", channels == 3 ? "rgb24" : "gray", "-");
    Path errors = Files.createTempFile("ffmpeg", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
      List<byte[]> frames = new ArrayList<>();
      int size = width * height * channels;
      try (InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16)) {
        while (true) {
          byte[] frame = in.readNBytes(size);
          if (frame.length == 0) break;
          assertEquals(size, frame.length, "ffmpeg's output ends inside a frame");
          frames.add(frame);
        }
      }
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out: " + cmd);
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(errors));
      return frames;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /** Peak signal-to-noise ratio of two 8-bit images in dB (infinite when identical). */
  static double psnr(byte[] a, byte[] b) {
    assertEquals(a.length, b.length, "sizes differ");
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      int d = (a[i] & 0xFF) - (b[i] & 0xFF);
      se += d * d;
    }
    return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * a.length / se);
  }
}
