package sonogate.io.overlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.io.Frame;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;

class CfdOverlayTest {
  static final int W = 240, H = 180;
  /** A fresh draw per test (checked over 150 runs): printed, so a failure can be replayed. */
  final long seed = System.nanoTime();

  {
    System.out.println("CfdOverlayTest seed " + seed);
  }

  /** Grey speckle in a fan (or a rectangle) on black. */
  static Frame bmode(boolean fan, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] s = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean in = fan ? Math.hypot(x - W / 2.0, y + 40) < 210 && Math.abs(Math.atan2(x - W / 2.0, y + 40)) < Math.toRadians(35) && y > 5
            : x > 30 && x < 210 && y > 10 && y < 170;
        s[y * W + x] = (byte) (in ? 20 + rng.nextInt(170) : 0);
      }
    }
    return new Frame(W, H, 1, s);
  }

  static Sector sector(Frame f) {
    return SectorEstimator.estimate(List.of(f), SectorEstimator.Settings.defaults());
  }

  static int chroma(byte[] rgb, int i) {
    int r = rgb[3 * i] & 0xFF, g = rgb[3 * i + 1] & 0xFF, b = rgb[3 * i + 2] & 0xFF;
    return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
  }

  @Test
  void sameSeedSameFramesInAnyOrder() {
    Frame f = bmode(true, seed);
    Sector s = sector(f);
    CfdOverlay a = CfdOverlay.plan(s, CfdOverlay.Settings.defaults(), seed), b = CfdOverlay.plan(s, CfdOverlay.Settings.defaults(), seed);
    CfdOverlay.Rendered late = b.render(f, 7);
    CfdOverlay.Rendered early = b.render(f, 0);
    assertArrayEquals(a.render(f, 0).frame().samples(), early.frame().samples());
    assertArrayEquals(a.render(f, 7).frame().samples(), late.frame().samples());
    assertArrayEquals(a.render(f, 7).truth(), late.truth());
    CfdOverlay other = CfdOverlay.plan(s, CfdOverlay.Settings.defaults(), seed + 1);
    assertFalse(java.util.Arrays.equals(other.render(f, 0).truth(), early.truth()), "another seed, another overlay");
  }

  /**
   * Fixed seeds: a fresh draw (rectangle, seed 32994092202417, frame 6) showed that near the
   * maximum the box can run out of candidate pixels, so a frame may fall short of its target; the
   * shortfall is bounded here, not ruled out.
   */
  @Test
  void colourStaysInTheBoxInTheSectorAndFollowsTheCoverageTarget() {
    for (boolean fan : new boolean[] {true, false}) {
      for (long caseSeed : new long[] {1, 2, 32994092202417L}) {
        Frame f = bmode(fan, caseSeed);
        Sector s = sector(f);
        CfdOverlay.Settings settings = CfdOverlay.Settings.defaults().with(FlowPalette.VELOCITY, CfdOverlay.Outline.NONE);
        CfdOverlay o = CfdOverlay.plan(s, settings, caseSeed);
        boolean[] box = o.colourBox();
        for (int i = 0; i < box.length; i++) if (box[i]) assertTrue(s.contains(i % W, i / W), "box outside the sector");
        for (int t = 0; t < 30; t += 6) {
          CfdOverlay.Rendered r = o.render(f, t);
          int n = 0;
          for (int i = 0; i < box.length; i++) {
            if (r.truth()[i] == 0) {
              for (int ch = 0; ch < 3; ch++) assertEquals(f.samples()[i], r.frame().samples()[3 * i + ch], "untouched B-mode");
              continue;
            }
            n++;
            assertTrue(box[i], "colour outside the box");
            assertTrue(chroma(r.frame().samples(), i) >= 90, "colour pixels are clearly colour");
          }
          String what = (fan ? "fan" : "rectangle") + " seed " + caseSeed + " frame " + t;
          double coverage = (double) n / o.partArea();
          assertTrue(coverage <= o.coverage(t) + 1.0 / o.partArea() + 1e-9, what + ": " + coverage + " above the target " + o.coverage(t));
          assertTrue(coverage >= o.coverage(t) - 0.05, what + ": " + coverage + " far below the target " + o.coverage(t));
          assertTrue(coverage >= settings.coverageMin() - 1e-9 && coverage <= settings.coverageMax() + 1e-9, what + ": " + coverage);
        }
      }
    }
  }

  @Test
  void outlinesAreColouredTruthOrGreyNonTruth() {
    Frame f = bmode(false, seed);
    Sector s = sector(f);
    for (CfdOverlay.Outline outline : CfdOverlay.Outline.values()) {
      CfdOverlay o = CfdOverlay.plan(s, CfdOverlay.Settings.defaults().with(FlowPalette.POWER, outline), seed);
      boolean[] box = o.colourBox();
      CfdOverlay.Rendered r = o.render(f, 0);
      int edges = 0;
      for (int i = 0; i < box.length; i++) {
        int x = i % W, y = i / W;
        boolean edge = box[i] && (!box[i - 1] || !box[i + 1] || !box[i - W] || !box[i + W]);
        if (!edge) continue;
        edges++;
        byte[] px = r.frame().samples();
        switch (outline) {
          case COLOURED -> {
            assertEquals(1, r.truth()[i]);
            assertTrue(chroma(px, i) > 30);
          }
          case GREY -> {
            assertEquals(0, r.truth()[i]);
            assertEquals(0, chroma(px, i));
          }
          case NONE -> assertEquals(r.truth()[i] == 0, chroma(px, i) == 0, "at " + x + "," + y);
        }
      }
      assertTrue(edges > 100, outline + " outline: " + edges + " edge pixels (seed " + seed + ")");
    }
  }

  @Test
  void palettesPaintClearColours() {
    for (FlowPalette p : FlowPalette.values()) {
      for (int k = -1000; k <= 1000; k++) {
        int c = p.rgb(k / 1000.0), r = c >> 16, g = (c >> 8) & 0xFF, b = c & 0xFF;
        assertTrue(Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) >= 90, p + " at " + k);
        if (p == FlowPalette.POWER || k > 0) assertTrue(r > b, p + " at " + k + ": red to yellow");
        else if (k < 0) assertTrue(b > r, p + " at " + k + ": blue to cyan");
      }
    }
    // A velocity overlay shows both directions over a few clips; power shows none of the blues.
    Frame f = bmode(true, seed);
    Sector s = sector(f);
    int blue = 0, red = 0;
    for (long k = 0; k < 4; k++) {
      CfdOverlay.Rendered r = CfdOverlay.plan(s, CfdOverlay.Settings.defaults().with(FlowPalette.VELOCITY, CfdOverlay.Outline.NONE), seed + k).render(f, 0);
      for (int i = 0; i < W * H; i++) {
        if (r.truth()[i] == 0) continue;
        byte[] px = r.frame().samples();
        if ((px[3 * i + 2] & 0xFF) > (px[3 * i] & 0xFF)) blue++;
        else red++;
      }
    }
    assertTrue(blue > 0 && red > 0, "red " + red + ", blue " + blue + " (seed " + seed + ")");
  }

  @Test
  void flowMovesSmoothly() {
    Frame f = bmode(true, seed);
    CfdOverlay o = CfdOverlay.plan(sector(f), CfdOverlay.Settings.defaults(), seed);
    byte[] prev = o.render(f, 0).truth();
    double sum = 0;
    for (int t = 1; t <= 12; t++) {
      byte[] cur = o.render(f, t).truth();
      long inter = 0, union = 0;
      for (int i = 0; i < cur.length; i++) {
        if (cur[i] != 0 && prev[i] != 0) inter++;
        if (cur[i] != 0 || prev[i] != 0) union++;
      }
      sum += (double) inter / union;
      prev = cur;
    }
    byte[] first = o.render(f, 0).truth(), later = o.render(f, 24).truth();
    assertTrue(sum / 12 > 0.6, "consecutive frames overlap: " + sum / 12 + " (seed " + seed + ")");
    assertFalse(java.util.Arrays.equals(first, later), "the flow moves");
  }
}
