package sonogate.io.mask;

import java.util.SplittableRandom;
import sonogate.io.Frame;

/**
 * A synthetic scanner display for tests: a speckle sector (fan or rectangle) on black, colour flow
 * blobs with velocity-like colours inside a colour box with a 1-px outline, and the graphics a
 * scanner draws: a colour bar beside the sector and one over it, coloured text strokes, an ECG
 * trace, a caliper cross and a flat marker disc inside the sector. {@code truth} is the flow plus
 * the outline; {@code graphics} everything coloured that must stay out of the mask.
 */
final class SyntheticDisplay {
  final int w, h;
  final byte[] rgb;
  final boolean[] sector, truth, graphics;

  SyntheticDisplay(int w, int h, boolean fan, long seed) {
    this.w = w;
    this.h = h;
    int n = w * h;
    rgb = new byte[3 * n];
    sector = new boolean[n];
    truth = new boolean[n];
    graphics = new boolean[n];
    SplittableRandom rng = new SplittableRandom(seed);
    double ax = w / 2.0, ay = -0.15 * h, half = Math.toRadians(35), rMax = 1.05 * h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        boolean in = fan
            ? Math.hypot(x - ax, y - ay) <= rMax && Math.abs(Math.atan2(x - ax, y - ay)) <= half && y >= 0.05 * h
            : x >= 0.2 * w && x < 0.8 * w && y >= 0.1 * h && y < 0.85 * h;
        sector[i] = in;
        int v = in ? 25 + rng.nextInt(150) : 0;
        set(i, v + rng.nextInt(-3, 4), v + rng.nextInt(-3, 4), v + rng.nextInt(-3, 4));
      }
    }
    // Colour box (rectangle in the middle of the sector) with flow blobs inside and its outline.
    int bx0 = (int) (0.38 * w), bx1 = (int) (0.62 * w), by0 = (int) (0.3 * h), by1 = (int) (0.7 * h);
    for (int y = by0; y <= by1; y++) {
      for (int x = bx0; x <= bx1; x++) {
        int i = y * w + x;
        boolean edge = x == bx0 || x == bx1 || y == by0 || y == by1;
        double d1 = Math.hypot(x - 0.46 * w, y - 0.42 * h) / (0.07 * h);
        double d2 = Math.hypot((x - 0.55 * w) / 1.6, y - 0.58 * h) / (0.06 * h);
        if (edge) {
          set(i, 176, 176, 108);
          truth[i] = true;
        } else if (d1 < 1 || d2 < 1) {
          double speed = Math.min(1, 0.3 + 0.7 * (1 - Math.min(d1, d2)) + 0.2 * rng.nextDouble());
          if (d1 < 1) set(i, (int) (110 + 145 * speed), (int) (200 * Math.max(0, speed - 0.6)), 0);
          else set(i, 0, (int) (200 * Math.max(0, speed - 0.4)), (int) (110 + 145 * speed));
          truth[i] = true;
        }
      }
    }
    // A colour bar outside the sector (right edge) and one over it (left part), vertical gradients.
    bar((int) (0.92 * w), (int) (0.2 * h), 6, (int) (0.5 * h));
    bar((int) (0.27 * w), (int) (0.25 * h), 5, (int) (0.35 * h));
    // Coloured "text": thin strokes in and out of the sector.
    for (int k = 0; k < 6; k++) {
      int x0 = (int) (0.25 * w) + 7 * k, y0 = (int) (0.8 * h) - 8;
      for (int d = 0; d < 7; d++) graphic(x0 + (k % 2 == 0 ? d / 2 : 3), y0 + d, 240, 160, 40);
      for (int d = 0; d < 4; d++) graphic(x0 + d, y0 + 3, 240, 160, 40);
    }
    for (int k = 0; k < 8; k++) for (int d = 0; d < 6; d++) graphic(4 + 5 * k + (d % 2), 4 + d, 200, 200, 60);
    // ECG trace under the sector (green, 2 px).
    for (int x = (int) (0.1 * w); x < (int) (0.9 * w); x++) {
      int y = (int) (0.93 * h + 0.03 * h * Math.sin(x * 0.3) * (x % 25 < 4 ? 3 : 0.2));
      graphic(x, Math.min(h - 1, y), 40, 220, 60);
      graphic(x, Math.min(h - 1, y + 1), 40, 220, 60);
    }
    // A caliper cross and a flat marker disc inside the sector, away from the box.
    int cx = (int) (0.72 * w), cy = (int) (0.35 * h);
    for (int d = -4; d <= 4; d++) {
      graphic(cx + d, cy, 230, 230, 60);
      graphic(cx, cy + d, 230, 230, 60);
    }
    int mx = (int) (0.3 * w), my = (int) (0.65 * h);
    for (int y = my - 5; y <= my + 5; y++) {
      for (int x = mx - 5; x <= mx + 5; x++) if (Math.hypot(x - mx, y - my) <= 5) graphic(x, y, 250, 140, 20);
    }
  }

  private void bar(int x0, int y0, int bw, int bh) {
    for (int y = y0; y < y0 + bh; y++) {
      double u = (y - y0) / (double) (bh - 1);
      int r = u < 0.5 ? (int) (255 * (1 - 2 * u) + 60) : 0, b = u >= 0.5 ? (int) (255 * (2 * u - 1) + 60) : 0;
      for (int x = x0; x < x0 + bw; x++) graphic(x, y, Math.min(255, r), u < 0.5 ? (int) (200 * (0.5 - u)) : (int) (200 * (u - 0.5)), Math.min(255, b));
    }
  }

  private void graphic(int x, int y, int r, int g, int b) {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    int i = y * w + x;
    set(i, r, g, b);
    graphics[i] = true;
    truth[i] = false;
  }

  private void set(int i, int r, int g, int b) {
    rgb[3 * i] = (byte) Math.max(0, Math.min(255, r));
    rgb[3 * i + 1] = (byte) Math.max(0, Math.min(255, g));
    rgb[3 * i + 2] = (byte) Math.max(0, Math.min(255, b));
  }

  Frame frame() {
    return new Frame(w, h, 3, rgb.clone());
  }
}
