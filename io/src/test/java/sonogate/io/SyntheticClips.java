package sonogate.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ultrasound-like test frames, fresh for each seed: a grey speckled fan with smooth structures
 * and, in colour clips, a moving red/blue blob with soft edges (like a colour-flow box). Used as
 * the source of the synthetic files the video tests write.
 */
final class SyntheticClips {
  private SyntheticClips() {}

  /** {@code frames} RGB frames (or grey when {@code colour} is false) of {@code width x height}. */
  static List<Frame> frames(int width, int height, int frames, boolean colour, long seed) {
    Random random = new Random(seed);
    double phase = random.nextDouble() * 6;
    List<Frame> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      int c = colour ? 3 : 1;
      byte[] s = new byte[width * height * c];
      double bx = width * (0.3 + 0.4 * f / Math.max(1, frames - 1));
      double by = height * 0.5;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double tissue = 90 + 50 * Math.sin(x * 0.07 + phase + f * 0.2) * Math.cos(y * 0.05) + random.nextGaussian() * 12;
          double inFan = Math.hypot(x - width / 2.0, y + height * 0.2) < height * 1.1 ? 1 : 0.1;
          int g = clamp(tissue * inFan);
          int i = (y * width + x) * c;
          if (c == 1) {
            s[i] = (byte) g;
            continue;
          }
          double d = Math.hypot(x - bx, y - by) / (height * 0.25);
          double flow = Math.max(0, 1 - d * d); // soft-edged blob
          boolean towards = x < bx;
          s[i] = (byte) clamp(g * (1 - flow) + flow * (towards ? 230 : 30));
          s[i + 1] = (byte) clamp(g * (1 - flow) + flow * 40);
          s[i + 2] = (byte) clamp(g * (1 - flow) + flow * (towards ? 30 : 220));
        }
      }
      out.add(new Frame(width, height, c, s));
    }
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** Writes the frames' samples back to back (ffmpeg's rawvideo input). */
  static Path writeRaw(List<Frame> frames, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Frame f : frames) out.write(f.samples());
    }
    return file;
  }
}
