package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColourMaskTest {
  static final int W = 120, H = 96;

  /** Noisy grey speckle (chroma <= 8), two colour blobs (a red disc, a blue rectangle), and lone colour pixels. */
  static Frame synthetic(long seed, boolean[] truth) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] s = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x, v = rng.nextInt(20, 220);
        boolean disc = (x - 40) * (x - 40) + (y - 40) * (y - 40) <= 12 * 12;
        boolean rect = x >= 75 && x < 100 && y >= 55 && y < 80;
        int r = v + rng.nextInt(-4, 5), g = v + rng.nextInt(-4, 5), b = v + rng.nextInt(-4, 5);
        if (disc) { r = 200 + rng.nextInt(40); g = 30; b = 40; }
        if (rect) { r = 20; g = 60 + rng.nextInt(30); b = 230; }
        truth[i] = disc || rect;
        s[3 * i] = (byte) r;
        s[3 * i + 1] = (byte) g;
        s[3 * i + 2] = (byte) b;
      }
    }
    for (int k = 0; k < 12; k++) {   // isolated chroma specks far from the blobs: noise, not flow
      int x = 5 + 9 * k, y = 88;
      int i = y * W + x;
      s[3 * i] = (byte) 250; s[3 * i + 1] = 0; s[3 * i + 2] = 0;
    }
    return new Frame(W, H, 3, s);
  }

  static double iou(byte[] mask, boolean[] truth) {
    int inter = 0, union = 0;
    for (int i = 0; i < mask.length; i++) {
      boolean m = mask[i] != 0;
      if (m && truth[i]) inter++;
      if (m || truth[i]) union++;
    }
    return (double) inter / union;
  }

  static boolean[] dilate(boolean[] t, int r) {
    byte[] b = new byte[t.length];
    for (int i = 0; i < t.length; i++) b[i] = (byte) (t[i] ? 1 : 0);
    ColourMask.dilate(b, W, H, r);
    boolean[] out = new boolean[t.length];
    for (int i = 0; i < t.length; i++) out[i] = b[i] != 0;
    return out;
  }

  @Test
  void plantedBlobsAreFoundWithIouAbove95PercentAndSpecksRemoved() {
    for (long seed = 1; seed <= 3; seed++) {
      boolean[] truth = new boolean[W * H];
      Frame f = synthetic(seed, truth);
      ColourMask.Result raw = new ColourMask(ColourMask.DEFAULT_THRESHOLD, ColourMask.DEFAULT_MIN_COMPONENT, 0, List.of()).apply(f);
      double iouRaw = iou(raw.mask(), truth);
      assertTrue(iouRaw >= 0.95, "undilated IoU " + iouRaw);
      ColourMask.Result res = new ColourMask().apply(f);
      double iou = iou(res.mask(), dilate(truth, ColourMask.DEFAULT_DILATION));
      assertTrue(iou >= 0.95, "IoU " + iou);
      assertEquals(0, res.mask()[88 * W + 5], "lone speck removed");
      // grey: luminance outside the mask, 0 inside
      for (int i = 0; i < W * H; i++) {
        if (res.mask()[i] != 0) {
          assertEquals(0, res.grey()[i]);
        } else {
          int r = f.samples()[3 * i] & 0xFF, g = f.samples()[3 * i + 1] & 0xFF, b = f.samples()[3 * i + 2] & 0xFF;
          assertEquals(Math.round(0.299 * r + 0.587 * g + 0.114 * b), res.grey()[i] & 0xFF, 1);
        }
      }
    }
  }

  @Test
  void dilationGrowsTheMaskByTheRadius() {
    byte[] m = new byte[W * H];
    m[50 * W + 50] = 1;
    ColourMask.dilate(m, W, H, 2);
    int n = 0;
    for (byte b : m) n += b;
    assertEquals(25, n);
    assertEquals(1, m[52 * W + 52]);
    assertEquals(0, m[53 * W + 50]);
  }

  @Test
  void regionRestrictsTheMaskAndFollowsDicomRegionTypes() {
    boolean[] truth = new boolean[W * H];
    Frame f = synthetic(7, truth);
    ColourMask.Rect left = new ColourMask.Rect(0, 0, 59, H - 1);
    ColourMask.Result r = new ColourMask(30, 16, 2, List.of(left)).apply(f);
    for (int y = 0; y < H; y++) for (int x = 60; x < W; x++) assertEquals(0, r.mask()[y * W + x]);
    assertTrue(r.coverage() > 0.03);

    UltrasoundRegion tissue = new UltrasoundRegion(1, UltrasoundRegion.DATA_TISSUE, 0, 0, 0, W - 1, H - 1, 3, 3, 0.1, 0.1);
    UltrasoundRegion flow = new UltrasoundRegion(1, UltrasoundRegion.DATA_COLOR_FLOW, 0, 10, 20, 500, 30, 3, 3, 0.1, 0.1);
    ClipInfo both = info(List.of(tissue, flow));
    assertEquals(List.of(new ColourMask.Rect(10, 20, W - 1, 30)), ColourMask.regionOf(both));
    assertEquals(List.of(new ColourMask.Rect(0, 0, W - 1, H - 1)), ColourMask.regionOf(info(List.of(tissue))));
    assertEquals(List.of(), ColourMask.regionOf(info(List.of())));
  }

  @Test
  void greyFramesHaveAnEmptyMask() {
    byte[] s = new byte[W * H];
    for (int i = 0; i < s.length; i++) s[i] = (byte) i;
    ColourMask.Result r = new ColourMask().apply(new Frame(W, H, 1, s));
    assertEquals(0.0, r.coverage());
    assertArrayEquals(s, r.grey());
  }

  private static ClipInfo info(List<UltrasoundRegion> regions) {
    return new ClipInfo(null, "DICOM", "", "US", 1, W, H, 3, "RGB", 8, Double.NaN, Double.NaN, Double.NaN, regions);
  }

  @Test
  void realCfdFilesGiveNonEmptyMasks() throws Exception {
    String[] files = {"cfd/dcm4che_US-PAL-8-10x-echo.dcm", "cfd/dcm4che_US-RGB-8-esopecho.dcm",
        "cfd/orthanc_PrivateTags_GE-LOGIQBook.dcm", "cfd/pydicom-data_US1_UNCR.dcm"};
    for (String name : files) {
      try (ClipReader r = ClipReaders.open(TestData.file(name))) {
        ColourMask cm = ColourMask.forClip(r.info(), ColourMask.DEFAULT_THRESHOLD);
        double min = 1, max = 0;
        for (int i = 0; i < r.info().frameCount(); i++) {
          double c = cm.apply(r.readFrame(i)).coverage();
          min = Math.min(min, c);
          max = Math.max(max, c);
        }
        System.out.printf(Locale.ROOT, "colour mask %s: %dx%d, %d frames, region %s, coverage %.2f%%..%.2f%%%n", name,
            r.info().width(), r.info().height(), r.info().frameCount(), cm.region(), 100 * min, 100 * max);
        assertTrue(min > 0.001, name + ": coverage " + min);
        assertTrue(max < 0.6, name + ": coverage " + max);
      }
    }
  }
}
