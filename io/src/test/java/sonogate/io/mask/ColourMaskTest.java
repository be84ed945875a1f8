package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import sonogate.io.ClipInfo;
import sonogate.io.Frame;
import sonogate.io.UltrasoundRegion;

class ColourMaskTest {
  static final int W = 120, H = 96;
  static final long SEED = System.nanoTime();

  /** Noisy grey speckle (chroma <= 8), two flow blobs with varied colour, and lone colour specks. */
  static Frame blobs(long seed, boolean[] truth) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] s = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x, v = rng.nextInt(20, 220);
        boolean disc = (x - 40) * (x - 40) + (y - 40) * (y - 40) <= 12 * 12;
        boolean rect = x >= 75 && x < 100 && y >= 55 && y < 80;
        int r = v + rng.nextInt(-4, 5), g = v + rng.nextInt(-4, 5), b = v + rng.nextInt(-4, 5);
        if (disc) { r = 130 + rng.nextInt(125); g = rng.nextInt(90); b = 0; }
        if (rect) { r = 0; g = rng.nextInt(150); b = 120 + rng.nextInt(135); }
        truth[i] = disc || rect;
        s[3 * i] = (byte) r;
        s[3 * i + 1] = (byte) g;
        s[3 * i + 2] = (byte) b;
      }
    }
    for (int k = 0; k < 8; k++) {   // isolated chroma specks far from the blobs: noise, not flow
      int i = 90 * W + 5 + 9 * k;
      s[3 * i] = (byte) 250; s[3 * i + 1] = 0; s[3 * i + 2] = 0;
    }
    return new Frame(W, H, 3, s);
  }

  static double iou(byte[] mask, boolean[] truth) {
    long inter = 0, union = 0;
    for (int i = 0; i < mask.length; i++) {
      boolean m = mask[i] != 0;
      if (m && truth[i]) inter++;
      if (m || truth[i]) union++;
    }
    return union == 0 ? 1 : (double) inter / union;
  }

  static boolean[] dilate(boolean[] t, int w, int h, int r) {
    return Morphology.dilate(t, w, h, r);
  }

  @Test
  void plantedBlobsAreFoundAndSpecksDropped() {
    for (long seed = SEED; seed < SEED + 3; seed++) {
      boolean[] truth = new boolean[W * H];
      Frame f = blobs(seed, truth);
      ColourMask.Result res = new ColourMask().apply(f);
      double iou = iou(res.colour(), truth);
      assertTrue(iou >= 0.95, "seed " + seed + ": IoU " + iou);
      double dilatedIou = iou(res.mask(), dilate(truth, W, H, MaskSettings.defaults().dilation()));
      assertTrue(dilatedIou >= 0.95, "seed " + seed + ": dilated IoU " + dilatedIou);
      assertEquals(0, res.colour()[90 * W + 5], "lone speck removed");
      for (int i = 0; i < W * H; i++) {   // grey: luminance outside the mask, 0 inside
        int r = f.samples()[3 * i] & 0xFF, g = f.samples()[3 * i + 1] & 0xFF, b = f.samples()[3 * i + 2] & 0xFF;
        int expected = res.mask()[i] != 0 ? 0 : (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        assertEquals(expected, res.grey()[i] & 0xFF, 1);
      }
    }
  }

  @Test
  void maskIsTheColourEstimateDilatedBySettingsDilation() {
    boolean[] truth = new boolean[W * H];
    Frame f = blobs(SEED, truth);
    for (int d : new int[] {0, 1, 3}) {
      ColourMask.Result r = new ColourMask(MaskSettings.defaults().withDilation(d), null).apply(f);
      boolean[] c = new boolean[W * H];
      for (int i = 0; i < c.length; i++) c[i] = r.colour()[i] != 0;
      boolean[] expected = Morphology.dilate(c, W, H, d);
      for (int i = 0; i < c.length; i++) assertEquals(expected[i] ? 1 : 0, r.mask()[i], "dilation " + d + " pixel " + i);
    }
  }

  @Test
  void thresholdIsTunable() {
    // A blob of chroma 40 (with varied colour): colour at threshold 30, not at 50.
    byte[] s = new byte[W * H * 3];
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int i = 0; i < W * H; i++) {
      int x = i % W, y = i / W, v = 60 + rng.nextInt(60);
      boolean blob = Math.hypot(x - 60, y - 48) < 15;
      s[3 * i] = (byte) (blob ? v + 40 : v);
      s[3 * i + 1] = (byte) (blob ? v + rng.nextInt(10) : v);
      s[3 * i + 2] = (byte) v;
    }
    Frame f = new Frame(W, H, 3, s);
    assertTrue(new ColourMask(MaskSettings.defaults().withThreshold(30), null).apply(f).colourCoverage() > 0.05);
    assertEquals(0.0, new ColourMask(MaskSettings.defaults().withThreshold(50), null).apply(f).colourCoverage());
    assertThrows(IllegalArgumentException.class, () -> MaskSettings.defaults().withThreshold(256));
  }

  /**
   * Flow touching a display panel of one dull colour (ALOKA's header: chroma 25, between the
   * hysteresis thresholds): the panel stays out, while a faint rim of varied colour around the
   * flow (what hysteresis is for) still joins, and so does a small flat patch of the same dull
   * colour inside the flow (slow flow on a display with few colour levels).
   */
  @Test
  void hysteresisDoesNotGrowIntoAFlatPanelButStillTakesAFaintRim() {
    SplittableRandom rng = new SplittableRandom(SEED);
    byte[] s = new byte[W * H * 3];
    boolean[] flow = new boolean[W * H], panel = new boolean[W * H], rim = new boolean[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x, v = rng.nextInt(20, 220);
        int r = v + rng.nextInt(-4, 5), g = v + rng.nextInt(-4, 5), b = v + rng.nextInt(-4, 5);
        panel[i] = y < 16;                                                             // the header, full width
        flow[i] = !panel[i] && x >= 30 && x < 70 && y < 60;                           // a vessel up to the header
        boolean patch = x >= 45 && x < 55 && y >= 35 && y < 45;                       // 100 pixels, inside the vessel
        rim[i] = !panel[i] && !flow[i] && x >= 27 && x < 73 && y < 63;               // 3 faint pixels around it
        if (panel[i]) { r = 40; g = 45; b = 65; }
        if (flow[i]) { r = 0; g = rng.nextInt(120); b = 130 + rng.nextInt(125); }
        if (patch) { r = 40; g = 45; b = 65; }
        if (rim[i]) { r = 60 + rng.nextInt(20); g = 60 + rng.nextInt(20); b = 78 + rng.nextInt(20); }   // chroma 16..30: weak
        s[3 * i] = (byte) r;
        s[3 * i + 1] = (byte) g;
        s[3 * i + 2] = (byte) b;
      }
    }
    ColourMask.Result res = new ColourMask(MaskSettings.defaults(), Sector.wholeFrame(W, H)).apply(new Frame(W, H, 3, s));
    int panelIn = 0, flowIn = 0, rimIn = 0, flowN = 0, rimN = 0;
    for (int i = 0; i < W * H; i++) {
      boolean m = res.colour()[i] != 0;
      if (panel[i] && m) panelIn++;
      if (flow[i]) { flowN++; if (m) flowIn++; }
      if (rim[i]) {
        int chroma = Math.max(s[3 * i] & 0xFF, Math.max(s[3 * i + 1] & 0xFF, s[3 * i + 2] & 0xFF))
            - Math.min(s[3 * i] & 0xFF, Math.min(s[3 * i + 1] & 0xFF, s[3 * i + 2] & 0xFF));
        if (chroma > MaskSettings.defaults().lowThreshold()) { rimN++; if (m) rimIn++; }
      }
    }
    assertEquals(0, panelIn, "panel pixels in the mask (seed " + SEED + ")");
    assertEquals(flowN, flowIn, "flow pixels in the mask (seed " + SEED + ")");
    assertTrue(rimIn >= 0.95 * rimN, "faint rim pixels joined: " + rimIn + " of " + rimN + " (seed " + SEED + ")");
  }

  @Test
  void scannerGraphicsStayOutAndTheColourBoxOutlineIsIn() {
    for (boolean fan : new boolean[] {true, false}) {
      for (long seed = SEED; seed < SEED + 2; seed++) {
        SyntheticDisplay d = new SyntheticDisplay(320, 240, fan, seed);
        ColourMask.Result r = new ColourMask().apply(d.frame());
        double iou = iou(r.colour(), d.truth);
        assertTrue(iou >= 0.95, (fan ? "fan" : "linear") + " seed " + seed + ": IoU " + iou);
        int leaked = 0;
        for (int i = 0; i < d.graphics.length; i++) if (d.graphics[i] && r.mask()[i] != 0) leaked++;
        assertEquals(0, leaked, (fan ? "fan" : "linear") + " seed " + seed + ": graphics pixels in the mask");
      }
    }
  }

  @Test
  void dicomColourFlowRegionsBoundTheMask() {
    boolean[] truth = new boolean[W * H];
    Frame f = blobs(SEED, truth);
    UltrasoundRegion tissue = new UltrasoundRegion(1, UltrasoundRegion.DATA_TISSUE, 0, 0, 0, W - 1, H - 1, 3, 3, 0.1, 0.1);
    UltrasoundRegion flow = new UltrasoundRegion(1, UltrasoundRegion.DATA_COLOR_FLOW, 0, 10, 20, 55, 60, 3, 3, 0.1, 0.1);
    ColourMask.Result r = new ColourMask(MaskSettings.defaults(), SectorEstimator.fromRegions(info(List.of(tissue, flow)))).apply(f);
    int box = ColourMask.BOX_OUTLINE;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inBox = x >= 10 - box && x <= 55 + box && y >= 20 - box && y <= 60 + box;
        if (!inBox) assertEquals(0, r.colour()[y * W + x], "outside the colour-flow region at " + x + "," + y);
        else if (truth[y * W + x]) assertEquals(1, r.colour()[y * W + x], "flow inside the region at " + x + "," + y);
      }
    }
    // A tissue region alone restricts the mask to it.
    UltrasoundRegion left = new UltrasoundRegion(1, UltrasoundRegion.DATA_TISSUE, 0, 0, 0, 59, H - 1, 3, 3, 0.1, 0.1);
    ColourMask.Result l = new ColourMask(MaskSettings.defaults(), SectorEstimator.fromRegions(info(List.of(left)))).apply(f);
    int margin = MaskSettings.defaults().sectorMargin();
    for (int y = 0; y < H; y++) for (int x = 60 + margin; x < W; x++) assertEquals(0, l.colour()[y * W + x]);
    assertTrue(l.colourCoverage() > 0.03);
  }

  static ClipInfo info(List<UltrasoundRegion> regions) {
    return new ClipInfo(null, "DICOM", "", "US", 1, W, H, 3, "RGB", 8, Double.NaN, Double.NaN, Double.NaN, regions);
  }

  @Test
  void smallEnclosedHolesAreFilledAsANaiveFloodFillSays() {
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int trial = 0; trial < 40; trial++) {
      int w = 3 + rng.nextInt(30), h = 3 + rng.nextInt(30), maxHole = rng.nextInt(12);
      boolean[] m = new boolean[w * h];
      double p = rng.nextDouble();
      int bx0 = rng.nextInt(w), by0 = rng.nextInt(h), bx1 = bx0 + rng.nextInt(w - bx0), by1 = by0 + rng.nextInt(h - by0);
      for (int y = by0; y <= by1; y++) for (int x = bx0; x <= bx1; x++) m[y * w + x] = rng.nextDouble() < p;
      boolean[] expected = m.clone();
      // Naive: flood each background region (4-connected) from scratch.
      boolean[] seen = new boolean[w * h];
      for (int start = 0; start < w * h; start++) {
        if (m[start] || seen[start]) continue;
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(start));
        List<Integer> region = new ArrayList<>();
        seen[start] = true;
        boolean edge = false;
        while (!queue.isEmpty()) {
          int q = queue.poll(), x = q % w, y = q / w;
          region.add(q);
          edge |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
          int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
          for (int[] d : steps) {
            int xx = x + d[0], yy = y + d[1];
            if (xx < 0 || yy < 0 || xx >= w || yy >= h || m[yy * w + xx] || seen[yy * w + xx]) continue;
            seen[yy * w + xx] = true;
            queue.add(yy * w + xx);
          }
        }
        if (!edge && region.size() <= maxHole) for (int q : region) expected[q] = true;
      }
      ColourMask.fillHoles(m, w, h, maxHole);
      assertArrayEquals(expected, m, "trial " + trial + " " + w + "x" + h + " max " + maxHole);
    }
  }

  @Test
  void greyFramesHaveAnEmptyMask() {
    byte[] s = new byte[W * H];
    for (int i = 0; i < s.length; i++) s[i] = (byte) i;
    ColourMask.Result r = new ColourMask().apply(new Frame(W, H, 1, s));
    assertEquals(0.0, r.coverage());
    assertArrayEquals(s, r.grey());
  }

  // ------------------------------------------------------------------ temporal smoothing

  /** A clip of blob frames; frame k's disc has chroma {@code chroma[k]} (0 = no disc). */
  static List<Frame> pulsingClip(int[] chroma) {
    List<Frame> clip = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(SEED);
    for (int c : chroma) {
      boolean[] truth = new boolean[W * H];
      Frame f = blobs(rng.nextLong(), truth);
      byte[] s = f.samples();
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int i = 3 * (y * W + x);
          if ((x - 40) * (x - 40) + (y - 40) * (y - 40) > 12 * 12) continue;
          int v = 90 + rng.nextInt(40);
          s[i] = (byte) (v + c);
          s[i + 1] = (byte) v;
          s[i + 2] = (byte) (v + rng.nextInt(3));
        }
      }
      clip.add(f);
    }
    return clip;
  }

  static List<ColourMask.Result> stream(ColourMask cm, List<Frame> clip) {
    List<ColourMask.Result> out = new ArrayList<>();
    cm.stream(clip.iterator()).forEachRemaining(out::add);
    return out;
  }

  static int at(ColourMask.Result r, int x, int y) {
    return r.colour()[y * W + x];
  }

  @Test
  void weakColourBetweenStrongFramesJoinsAndDropoutsAreBridged() {
    // Frames 0, 1, 3, 4: a strong disc (chroma 60); frame 2: weak (chroma 20, between the thresholds).
    List<Frame> weak = pulsingClip(new int[] {60, 60, 20, 60, 60});
    ColourMask temporal = new ColourMask();
    ColourMask off = new ColourMask(MaskSettings.defaults().withTemporal(0, false), null);
    assertEquals(1, at(stream(temporal, weak).get(2), 40, 40));
    assertEquals(0, at(stream(off, weak).get(2), 40, 40));
    // Frame 2 without any disc: bridged only with fillDropouts.
    List<Frame> gap = pulsingClip(new int[] {60, 60, 0, 60, 60});
    assertEquals(1, at(stream(temporal, gap).get(2), 40, 40));
    assertEquals(0, at(stream(new ColourMask(MaskSettings.defaults().withTemporal(1, false), null), gap).get(2), 40, 40));
    // Colour is never dropped: a disc in one frame only is masked in that frame, not in the others.
    List<ColourMask.Result> flash = stream(temporal, pulsingClip(new int[] {0, 0, 60, 0, 0}));
    assertEquals(1, at(flash.get(2), 40, 40));
    assertEquals(0, at(flash.get(0), 40, 40));
    assertEquals(0, at(flash.get(4), 40, 40));
    // Weak colour without a strong neighbour in time stays out.
    assertEquals(0, at(stream(temporal, pulsingClip(new int[] {0, 20, 0})).get(1), 40, 40));
  }

  @Test
  void streamWithoutTemporalSmoothingEqualsApply() {
    List<Frame> clip = pulsingClip(new int[] {60, 0, 60, 20});
    Sector sector = SectorEstimator.estimate(clip, SectorEstimator.Settings.defaults());
    ColourMask cm = new ColourMask(MaskSettings.defaults().withTemporal(0, false), sector);
    List<ColourMask.Result> s = stream(cm, clip);
    for (int i = 0; i < clip.size(); i++) {
      ColourMask.Result a = cm.apply(clip.get(i));
      assertArrayEquals(a.mask(), s.get(i).mask());
      assertArrayEquals(a.grey(), s.get(i).grey());
      assertArrayEquals(a.colour(), s.get(i).colour());
    }
  }

  /** Counts how many frames have been taken from it. */
  static final class Counting implements Iterator<Frame> {
    final List<Frame> frames;
    int taken;

    Counting(List<Frame> frames) {
      this.frames = frames;
    }

    public boolean hasNext() {
      return taken < frames.size();
    }

    public Frame next() {
      return frames.get(taken++);
    }
  }

  @Test
  void streamReadsAheadBoundedly() {
    List<Frame> clip = pulsingClip(new int[20]);
    for (int radius : new int[] {0, 1, 3}) {
      MaskSettings s = MaskSettings.defaults().withTemporal(radius, true);
      Sector sector = SectorEstimator.estimate(clip.subList(0, 1), s.sector());
      Counting src = new Counting(clip);
      Iterator<ColourMask.Result> it = new ColourMask(s, sector).stream(src);
      for (int k = 0; k < clip.size(); k++) {
        it.next();
        assertTrue(src.taken <= Math.min(clip.size(), k + 1 + radius), "radius " + radius + ": " + src.taken + " taken at result " + k);
      }
      // Estimating the sector reads the first sampleFrames frames before the first result, no more.
      Counting est = new Counting(clip);
      Iterator<ColourMask.Result> e = new ColourMask(s, null).stream(est);
      e.next();
      assertEquals(Math.max(s.sector().sampleFrames(), radius + 1), est.taken);
    }
  }

  @Test
  void streamFollowsFrameSizeChanges() {
    List<Frame> clip = new ArrayList<>(pulsingClip(new int[] {60, 60}));
    SyntheticDisplay d = new SyntheticDisplay(160, 128, true, SEED);
    clip.add(d.frame());
    clip.add(d.frame());
    clip.addAll(pulsingClip(new int[] {60}));
    List<ColourMask.Result> out = stream(new ColourMask(), clip);
    assertEquals(clip.size(), out.size());
    for (int i = 0; i < clip.size(); i++) {
      assertEquals(clip.get(i).width(), out.get(i).width());
      assertEquals(clip.get(i).height(), out.get(i).height());
      assertTrue(out.get(i).colourCoverage() > 0.01, "frame " + i);
    }
  }
}
