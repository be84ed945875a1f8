package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import sonogate.io.ClipInfo;
import sonogate.io.Frame;
import sonogate.io.UltrasoundRegion;

/** Sector detection on synthetic displays: fans (convex, phased array), rectangles, dual views. */
class SectorEstimatorTest {
  static final int W = 400, H = 300;
  final long seed = System.nanoTime();
  final SplittableRandom rng = new SplittableRandom(seed);

  /**
   * Speckle inside {@code inside}, black outside, with a dark chamber inside, white text in the top
   * left corner, a colour bar at the right edge and a green ECG trace along the bottom.
   */
  Frame display(BiPredicate<Integer, Integer> inside, int chamberX, int chamberY) {
    byte[] s = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int v = 0;
        if (inside.test(x, y)) {
          boolean chamber = Math.hypot((x - chamberX) / 1.5, y - chamberY) < 28;
          v = chamber ? rng.nextInt(0, 9) : 20 + rng.nextInt(180);
        }
        set(s, x, y, v, v, v);
      }
    }
    for (int k = 0; k < 8; k++) for (int d = 0; d < 9; d++) set(s, 6 + 6 * k + (d % 2), 6 + d, 255, 255, 255);
    for (int y = 40; y < 160; y++) for (int x = W - 10; x < W - 4; x++) set(s, x, y, 255 - y, 40, y);
    for (int x = 20; x < W - 20; x++) {
      int y = H - 12 + (int) (6 * Math.sin(x * 0.4) * (x % 40 < 5 ? 1 : 0.1));
      set(s, x, y, 40, 230, 60);
      set(s, x, y + 1, 40, 230, 60);
    }
    return new Frame(W, H, 3, s);
  }

  static void set(byte[] s, int x, int y, int r, int g, int b) {
    int i = 3 * (y * W + x);
    s[i] = (byte) r;
    s[i + 1] = (byte) g;
    s[i + 2] = (byte) b;
  }

  static boolean inFan(int x, int y, double ax, double ay, double rMin, double rMax, double half) {
    double r = Math.hypot(x - ax, y - ay);
    return r >= rMin && r <= rMax && y > ay && Math.abs(Math.atan2(x - ax, y - ay)) <= half;
  }

  static double iou(Sector s, BiPredicate<Integer, Integer> truth) {
    long inter = 0, union = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean a = s.contains(x, y), b = truth.test(x, y);
        if (a && b) inter++;
        if (a || b) union++;
      }
    }
    return (double) inter / union;
  }

  Sector estimate(Frame f) {
    return SectorEstimator.estimate(List.of(f), SectorEstimator.Settings.defaults());
  }

  void checkFan(double ax, double ay, double rMin, double rMax, double halfDeg) {
    double half = Math.toRadians(halfDeg);
    BiPredicate<Integer, Integer> truth = (x, y) -> inFan(x, y, ax, ay, rMin, rMax, half);
    Sector s = estimate(display(truth, (int) ax + 20, (int) (ay + 0.6 * rMax)));
    String what = "fan apex " + ax + "," + ay + " half " + halfDeg + " (seed " + seed + "): " + s.parts();
    assertEquals(Sector.Source.ESTIMATED, s.source());
    assertEquals(1, s.parts().size(), what);
    Sector.Part p = s.parts().get(0);
    assertEquals(Sector.Kind.FAN, p.kind(), what);
    assertEquals(ax, p.apexX(), 0.03 * H, what);
    assertEquals(ay, p.apexY(), 0.03 * H, what);
    assertEquals(-half, p.angleMin(), Math.toRadians(2.5), what);
    assertEquals(half, p.angleMax(), Math.toRadians(2.5), what);
    assertEquals(rMax, p.rMax(), 0.03 * H, what);
    assertTrue(iou(s, truth) > 0.95, what + " IoU " + iou(s, truth));
    assertFalse(s.contains(8, 8), "text is outside");
    assertFalse(s.contains(W - 7, 100), "colour bar is outside");
    assertFalse(s.contains(W / 2, H - 8), "ECG is outside");
  }

  @Test
  void convexProbeFan() {
    checkFan(W / 2.0, -80, 100, 360, 32);
  }

  @Test
  void phasedArrayFan() {
    checkFan(W / 2.0 + 10, 4, 6, 270, 44);
  }

  @Test
  void linearProbeRectangle() {
    BiPredicate<Integer, Integer> truth = (x, y) -> x >= 80 && x <= 320 && y >= 30 && y <= 260;
    Sector s = estimate(display(truth, 200, 150));
    assertEquals(1, s.parts().size(), s.parts().toString());
    Sector.Part p = s.parts().get(0);
    assertEquals(Sector.Kind.RECTANGLE, p.kind(), "seed " + seed + ": " + p);
    assertEquals(80, p.x0(), 3);
    assertEquals(320, p.x1(), 3);
    assertEquals(30, p.y0(), 3);
    assertEquals(260, p.y1(), 3);
    assertTrue(iou(s, truth) > 0.97, "IoU " + iou(s, truth));
  }

  @Test
  void dualViewHasTwoParts() {
    BiPredicate<Integer, Integer> truth = (x, y) -> y >= 30 && y <= 260 && ((x >= 30 && x <= 190) || (x >= 210 && x <= 370));
    Sector s = estimate(display(truth, 110, 150));
    assertEquals(2, s.parts().size(), "seed " + seed + ": " + s.parts());
    assertTrue(iou(s, truth) > 0.95, "IoU " + iou(s, truth));
    assertFalse(s.contains(200, 150), "the gap between the views");
  }

  @Test
  void nothingToGoByIsTheWholeFrame() {
    Sector s = estimate(new Frame(W, H, 1, new byte[W * H]));
    assertEquals(Sector.Source.WHOLE_FRAME, s.source());
    assertEquals(W * H, s.area());
  }

  @Test
  void dicomRegionsGiveRectanglesAndColourBoxes() {
    UltrasoundRegion tissue = new UltrasoundRegion(1, UltrasoundRegion.DATA_TISSUE, 0, 10, 20, 200, 250, 3, 3, 0.1, 0.1);
    UltrasoundRegion flow = new UltrasoundRegion(1, UltrasoundRegion.DATA_COLOR_FLOW, 0, 50, 60, 120, 140, 3, 3, 0.1, 0.1);
    UltrasoundRegion ecg = new UltrasoundRegion(4, 10, 0, 0, 270, 399, 299, 4, 0, 0.1, 0.1);
    ClipInfo info = new ClipInfo(null, "DICOM", "", "US", 1, W, H, 3, "RGB", 8, Double.NaN, Double.NaN, Double.NaN,
        List.of(tissue, flow, ecg));
    Sector s = SectorEstimator.fromRegions(info);
    assertEquals(Sector.Source.DICOM_REGIONS, s.source());
    assertEquals(1, s.parts().size());
    assertEquals(191 * 231, s.area());
    assertTrue(s.contains(10, 20) && s.contains(200, 250) && !s.contains(201, 250) && !s.contains(100, 280));
    assertEquals(List.of(new Sector.Rect(50, 60, 120, 140)), s.colourBoxes());
    ClipInfo none = new ClipInfo(null, "DICOM", "", "US", 1, W, H, 3, "RGB", 8, Double.NaN, Double.NaN, Double.NaN, List.of(ecg));
    assertNull(SectorEstimator.fromRegions(none));
  }
}
