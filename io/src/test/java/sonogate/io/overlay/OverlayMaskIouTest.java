package sonogate.io.overlay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import sonogate.io.Frame;
import sonogate.io.RealClips;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.io.mask.MaskStats;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;

/**
 * The mask estimate on real B-mode clips with synthetic colour flow of known shape (issue 6's
 * evaluation setting): each clip gets an overlay at 10-30% of its sector from its own seed
 * (fixed by default, see {@link #FIXED_SEED}; palette and outline cycle with the seed), then the colour mask is estimated from the RGB
 * frames alone (sector included) and compared with the painted pixels. Target: IoU >= 0.95.
 *
 * <p>{@code -Dsonogate.iou.seeds=N} runs N seeds per clip and prints the mean and minimum over
 * clips and seeds (the README's figures: {@code mvn -pl io test -Dtest=OverlayMaskIouTest
 * -Dsonogate.iou.seed=fresh -Dsonogate.iou.seeds=5 -Dsonogate.iou.frames=5}). {@code -Dsonogate.iou.jpeg=Q} (0..1) JPEG-compresses the
 * rendered frames first (the JDK's encoder, 4:2:0 chroma), as lossy video would, and only reports:
 * compression tints the grey pixels around the colour, so the painted pixels are no longer the
 * whole truth; the recall (painted pixels inside the dilated mask) is what matters then.
 */
class OverlayMaskIouTest {
  static final String[] CLIPS = {
      "bmode-image/dcm4che_YBR_FULL-RLE.dcm",
      "bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm",
      "bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm",
      "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm",
      "bmode-video/plus_SpinePhantomFreehand.igs.mha",
      "bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha",
      "bmode-image/hc18_000_HC.png",
      "bmode-image/busi_benign_1.png"};
  /**
   * The default first seed (seed k is {@code base + 7919 k}). Fixed, not fresh: fresh seeds once
   * missed IoU 0.95 on pydicom-data_gdcm-US-ALOKA-16.dcm about one run in six (its header panel
   * grown into the mask by hysteresis; fixed by {@code FlatPanels}), and a fresh sweep still puts the
   * worst frame at 0.963, close to the bar. {@code -Dsonogate.iou.seed=fresh} draws fresh seeds for
   * measuring (the README's figures), {@code -Dsonogate.iou.seed=N} replays one.
   */
  static final long FIXED_SEED = 20261122L;

  /** Frames per clip (-Dsonogate.iou.frames; 3 keeps the test short, the README's figures used 5). */
  static final int FRAMES = Integer.getInteger("sonogate.iou.frames", 3);

  /** One clip's result: mean and minimum IoU over its frames, undilated and dilated; painted pixels in the dilated mask. */
  record Score(double mean, double min, double dilatedMean, double coverage, double recall) {}

  static Score score(List<Frame> bmode, long seed, double jpeg) throws Exception {
    Sector sector = SectorEstimator.estimate(bmode, SectorEstimator.Settings.defaults());
    CfdOverlay overlay = CfdOverlay.plan(sector, CfdOverlay.Settings.forSeed(seed), seed);
    List<Frame> rgb = new ArrayList<>();
    List<byte[]> truth = new ArrayList<>();
    for (int t = 0; t < bmode.size(); t++) {
      CfdOverlay.Rendered r = overlay.render(bmode.get(t), t);
      rgb.add(jpeg > 0 ? Jpeg.roundTrip(r.frame(), jpeg) : r.frame());
      truth.add(r.truth());
    }
    int w = bmode.get(0).width(), h = bmode.get(0).height(), d = MaskSettings.defaults().dilation();
    Iterator<ColourMask.Result> masks = new ColourMask().stream(rgb.iterator());   // sector estimated from the RGB frames
    double sum = 0, min = 1, dilated = 0, coverage = 0, recall = 0;
    for (byte[] t : truth) {
      ColourMask.Result r = masks.next();
      long painted = MaskStats.count(t), caught = 0;
      for (int i = 0; i < t.length; i++) if (t[i] != 0 && r.mask()[i] != 0) caught++;
      recall += painted == 0 ? 1 : (double) caught / painted;
      double iou = MaskStats.iou(r.colour(), t);
      sum += iou;
      min = Math.min(min, iou);
      dilated += MaskStats.iou(r.mask(), MaskStats.dilate(t, w, h, d));
      coverage += (double) MaskStats.count(t) / overlay.partArea();
    }
    int n = truth.size();
    return new Score(sum / n, min, dilated / n, coverage / n, recall / n);
  }

  @Test
  void masksOfSyntheticFlowOnRealClipsReachIou95() throws Exception {
    int seeds = Integer.getInteger("sonogate.iou.seeds", 1);
    double jpeg = Double.parseDouble(System.getProperty("sonogate.iou.jpeg", "0"));
    String seedProperty = System.getProperty("sonogate.iou.seed", Long.toString(FIXED_SEED));
    long base = seedProperty.equals("fresh") ? System.nanoTime() : Long.parseLong(seedProperty);
    double total = 0, worst = 1, totalDilated = 0, totalRecall = 0, worstRecall = 1;
    int runs = 0;
    List<String> failures = new ArrayList<>();
    for (String clip : CLIPS) {
      List<Frame> frames = RealClips.frames(clip, FRAMES);
      for (int k = 0; k < seeds; k++) {
        long seed = base + 7919L * runs;
        Score s = score(frames, seed, jpeg);
        System.out.printf(Locale.ROOT, "overlay IoU %-62s seed %d: coverage %.1f%%, IoU mean %.4f min %.4f, dilated %.4f, recall %.4f%n",
            clip, seed, 100 * s.coverage(), s.mean(), s.min(), s.dilatedMean(), s.recall());
        if (s.mean() < 0.95 || s.min() < 0.9) failures.add(clip + " seed " + seed + ": mean " + s.mean() + " min " + s.min());
        total += s.mean();
        totalDilated += s.dilatedMean();
        totalRecall += s.recall();
        worstRecall = Math.min(worstRecall, s.recall());
        worst = Math.min(worst, s.min());
        runs++;
      }
    }
    System.out.printf(Locale.ROOT, "overlay IoU over %d clips x %d seeds (%d frames each%s): mean %.4f, worst frame %.4f, "
        + "dilated mean %.4f, recall mean %.4f worst clip %.4f%n", CLIPS.length, seeds, FRAMES, jpeg > 0 ? ", JPEG q" + jpeg : "",
        total / runs, worst, totalDilated / runs, totalRecall / runs, worstRecall);
    if (jpeg == 0) assertTrue(failures.isEmpty(), String.join("; ", failures));
  }
}
