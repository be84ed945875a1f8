package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Debian's ffmpeg/ffprobe as an independent decoder of our outputs (scripts/setup-test-tools installs them). */
final class Ffmpeg {
  private Ffmpeg() {}

  /** Skips the calling test visibly when ffmpeg or ffprobe is missing. */
  static void require() {
    assumeTrue(TestData.onPath("ffmpeg") && TestData.onPath("ffprobe"),
        "ffmpeg/ffprobe not installed: run scripts/setup-test-tools; skipping the ffmpeg cross-check");
  }

  /** Runs a command, returns its stdout; fails the test on a non-zero exit or after 60 s. */
  static byte[] run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    byte[] out = readAll(p.getInputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + new String(err.get(), StandardCharsets.UTF_8));
    return out;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** ffprobe's {@code key=value} fields of the first video stream, counting frames by decoding. */
  static java.util.Map<String, String> probe(Path file) throws Exception {
    String text = new String(run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=codec_name,width,height,r_frame_rate,avg_frame_rate,nb_read_frames,pix_fmt", "-of", "default=noprint_wrappers=1",
        file.toString()), StandardCharsets.UTF_8);
    java.util.Map<String, String> fields = new java.util.TreeMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }
    return fields;
  }

  /** Every frame decoded by ffmpeg as {@code gray} (1 byte per pixel) or {@code rgb24} (3). */
  static List<byte[]> decode(Path file, String pixFmt, int width, int height) throws Exception {
    byte[] all = run("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "rawvideo", "-pix_fmt", pixFmt, "-");
    int frameBytes = width * height * (pixFmt.equals("gray") ? 1 : 3);
    assertEquals(0, all.length % frameBytes, "ffmpeg output is not whole " + width + "x" + height + " " + pixFmt + " frames");
    List<byte[]> frames = new ArrayList<>();
    for (int at = 0; at < all.length; at += frameBytes) frames.add(java.util.Arrays.copyOfRange(all, at, at + frameBytes));
    return frames;
  }

  /** Peak signal-to-noise ratio of two 8-bit sample arrays, in dB (infinite when equal). */
  static double psnr(byte[] a, byte[] b) {
    assertEquals(a.length, b.length, "sample counts");
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xFF) - (b[i] & 0xFF);
      se += d * d;
    }
    return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * a.length / se);
  }
}
