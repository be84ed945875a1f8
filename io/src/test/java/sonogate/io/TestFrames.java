package sonogate.io;

import java.util.Random;

/**
 * Synthetic ultrasound-like frames for writer tests: a smooth moving pattern with speckle (a random
 * field correlated over ~4 pixels, like real speckle, plus a little pixel noise), a dark band like
 * the outside of a sector and, in colour frames, a red/blue flow blob.
 */
final class TestFrames {
  private TestFrames() {}

  /** Frame {@code index} of a clip; {@code channels} 1 (grey) or 3 (grey texture + a colour blob). */
  static Frame frame(int w, int h, int channels, int index, long seed) {
    Random random = new Random(seed * 31 + index);
    int cw = w / 4 + 2, ch = h / 4 + 2;
    double[] coarse = new double[cw * ch];
    for (int i = 0; i < coarse.length; i++) coarse[i] = random.nextGaussian();
    byte[] s = new byte[w * h * channels];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double speckle = bilinear(coarse, cw, x / 4.0, y / 4.0);
        double v = 110 + 60 * Math.sin((x + 2 * index) * 0.11) * Math.cos(y * 0.07) + 25 * speckle + random.nextGaussian() * 2;
        if (x < w / 8) v *= 0.2;
        int g = (int) Math.max(0, Math.min(255, Math.round(v)));
        if (channels == 1) {
          s[y * w + x] = (byte) g;
          continue;
        }
        int at = (y * w + x) * 3;
        s[at] = s[at + 1] = s[at + 2] = (byte) g;
        double dx = x - w * 0.6 - index, dy = y - h * 0.5;
        if (dx * dx + dy * dy < (w * h) / 40.0) {
          boolean up = dy < 0;
          s[at] = (byte) (up ? 200 : 20);
          s[at + 1] = (byte) 40;
          s[at + 2] = (byte) (up ? 30 : 210);
        }
      }
    }
    return new Frame(w, h, channels, s);
  }

  private static double bilinear(double[] grid, int gw, double x, double y) {
    int x0 = (int) x, y0 = (int) y;
    double fx = x - x0, fy = y - y0;
    double a = grid[y0 * gw + x0], b = grid[y0 * gw + x0 + 1], c = grid[(y0 + 1) * gw + x0], d = grid[(y0 + 1) * gw + x0 + 1];
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
}
