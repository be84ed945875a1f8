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
import java.util.Map;
import java.util.TreeMap;
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

  /** As {@link #require}, for tests that also read stream fields with {@link #probe}. */
  static void requireWithProbe() {
    assumeTrue(TestData.onPath("ffmpeg") && TestData.onPath("ffprobe"),
        "ffmpeg/ffprobe not installed: run scripts/setup-test-tools; skipping the ffmpeg cross-check");
  }

  /** ffprobe's {@code key=value} fields of the first video stream, counting frames by decoding. */
  static Map<String, String> probe(Path file) throws Exception {
    List<String> cmd = List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=codec_name,width,height,r_frame_rate,avg_frame_rate,nb_read_frames,pix_fmt", "-of", "default=noprint_wrappers=1",
        file.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffprobe timed out: " + cmd);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
    Map<String, String> fields = new TreeMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }
    return fields;
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
