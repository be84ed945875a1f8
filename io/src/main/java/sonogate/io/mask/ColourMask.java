package sonogate.io.mask;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import sonogate.io.ClipInfo;
import sonogate.io.ClipReader;
import sonogate.io.Frame;

/**
 * CFD mask estimation (MODEL.md "CFD mask estimation"): which pixels of a colour-flow frame are
 * colour flow (to be translated), and the grey input the translator sees.
 *
 * <ol>
 *   <li><b>Colour</b>: chroma {@code max(R,G,B) - min(R,G,B)} above {@link MaskSettings#threshold()},
 *       grown by hysteresis into touching pixels above {@link MaskSettings#lowThreshold()}, except
 *       into a display panel of one dull colour ({@link FlatPanels}).</li>
 *   <li><b>Sector</b>: kept only inside the imaging sector ({@link Sector}: DICOM regions, else
 *       {@link SectorEstimator}), grown by {@link MaskSettings#sectorMargin()}: colour bars, text,
 *       ECG traces and icons around the image are left alone.</li>
 *   <li><b>Flow vs graphics</b> inside the sector ({@link ColourComponents}): colour bars drawn over
 *       the image are dropped; thick, varied components are flow; thin or flat ones (labels,
 *       calipers, body marks, markers) are kept only within {@link MaskSettings#flowMargin()} of
 *       flow, or when they enclose flow (the colour-box outline, which is part of the colour-flow
 *       display and so of the mask). When the file declares colour boxes (DICOM colour-flow
 *       regions) all colour inside them (grown by 3 px for the outline) is the mask instead.</li>
 *   <li><b>Cleaning</b>: holes of at most {@link MaskSettings#maxHole()} pixels filled.</li>
 *   <li><b>Temporal smoothing</b> ({@link #stream}; {@link MaskSettings#temporalRadius()} frames of
 *       lookahead): a pixel between the two thresholds joins when it is colour in a neighbouring
 *       frame, and a pixel colour both before and after is kept through a one-off dropout.</li>
 *   <li><b>Dilation</b> by {@link MaskSettings#dilation()} pixels for the translator.</li>
 * </ol>
 * The grey input is the Rec. 601 luminance {@code 0.299 R + 0.587 G + 0.114 B} (rounded), 0 under
 * the mask. Grey (1-channel) frames have an empty mask and their samples as grey.
 *
 * <p>Immutable and thread-safe; a stream ({@link #stream}) is not.
 */
public final class ColourMask {
  /** Pixels a declared colour box is grown by, for its outline. */
  static final int BOX_OUTLINE = 3;

  /**
   * One frame's estimate, row-major {@code width * height}: {@code colour} is 1 where the frame
   * shows colour flow (the estimate proper, what IoU is measured on), {@code mask} is it dilated by
   * {@link MaskSettings#dilation()} (what the translator fills), {@code grey} the luminance with
   * the mask's pixels 0.
   */
  public record Result(int width, int height, byte[] mask, byte[] grey, byte[] colour) {
    /** Fraction of the frame in the (dilated) mask. */
    public double coverage() {
      return count(mask) / (double) mask.length;
    }

    /** Fraction of the frame estimated to be colour flow (undilated). */
    public double colourCoverage() {
      return count(colour) / (double) colour.length;
    }

    static long count(byte[] m) {
      long n = 0;
      for (byte b : m) n += b;
      return n;
    }
  }

  /** One frame's spatial estimate, before temporal smoothing. */
  record Detection(int width, int height, boolean[] core, boolean[] candidates, int[] luma) {}

  private record Prepared(Sector sector, boolean[] allowed, boolean[] boxes) {}

  private final MaskSettings settings;
  private final Sector sector;
  private volatile Prepared prepared;

  /** The defaults; the sector is estimated from the frames. */
  public ColourMask() {
    this(MaskSettings.defaults(), null);
  }

  /**
   * @param settings the tunables
   * @param sector the clip's sector, or null to estimate it from the frames (per frame in
   *     {@link #apply}, from the first frames in {@link #stream}); also estimated for frames of
   *     another size than the sector's
   */
  public ColourMask(MaskSettings settings, Sector sector) {
    this.settings = java.util.Objects.requireNonNull(settings, "settings");
    this.sector = sector;
  }

  /** The defaults with {@code threshold}; the DICOM regions' sector, or estimated from the frames. */
  public static ColourMask forClip(ClipInfo info, int threshold) {
    return new ColourMask(MaskSettings.defaults().withThreshold(threshold), SectorEstimator.fromRegions(info));
  }

  /** The clip's sector ({@link SectorEstimator#forClip}: regions, else frames sampled over the whole clip). */
  public static ColourMask forClip(ClipReader clip, MaskSettings settings) throws IOException {
    return new ColourMask(settings, SectorEstimator.forClip(clip, settings.sector()));
  }

  public MaskSettings settings() {
    return settings;
  }

  /** The fixed sector, or null when it is estimated from the frames. */
  public Sector sector() {
    return sector;
  }

  /** One frame on its own (no temporal smoothing). */
  public Result apply(Frame frame) {
    Sector s = sectorFor(frame);
    if (s == null && frame.channels() == 3) s = SectorEstimator.estimate(List.of(frame), settings.sector());
    return finish(detect(frame, s), List.of(), List.of());
  }

  /**
   * The frames' results in order, temporally smoothed; reads at most
   * {@link MaskSettings#temporalRadius()} frames ahead (and, when the sector is estimated, the
   * first {@link SectorEstimator.Settings#sampleFrames()} frames before the first result).
   * Rethrows the source's {@link java.io.UncheckedIOException}s.
   */
  public Iterator<Result> stream(Iterator<Frame> frames) {
    return new ColourMaskStream(this, frames);
  }

  /** The fixed sector when it fits the frame, else null. */
  Sector sectorFor(Frame f) {
    return sector != null && sector.width() == f.width() && sector.height() == f.height() ? sector : null;
  }

  Detection detect(Frame f, Sector sec) {
    int w = f.width(), h = f.height(), n = w * h;
    byte[] px = f.samples();
    int[] luma = new int[n];
    boolean[] core = new boolean[n], candidates = new boolean[n];
    if (f.channels() == 1) {
      for (int i = 0; i < n; i++) luma[i] = px[i] & 0xFF;
      return new Detection(w, h, core, candidates, luma);
    }
    Prepared p = prepare(sec == null ? Sector.wholeFrame(w, h) : sec);
    boolean[] strong = new boolean[n], weak = new boolean[n];
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      int r = px[j] & 0xFF, g = px[j + 1] & 0xFF, b = px[j + 2] & 0xFF;
      int chroma = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
      luma[i] = (299 * r + 587 * g + 114 * b + 500) / 1000;
      weak[i] = chroma > settings.lowThreshold() && p.allowed[i];
      strong[i] = chroma > settings.threshold() && weak[i];
    }
    boolean[] colour = hysteresis(strong, weak, w, h);
    FlatPanels.drop(colour, strong, px, w, h, settings);
    boolean[] region, bars = null;
    if (p.boxes != null) {
      region = p.boxes;
    } else {
      Components c = Components.of(colour, w, h, true);
      ColourComponents.Role[] roles = ColourComponents.classify(c, colour, px, settings);
      region = flowRegion(c, roles, w, h);
      bars = new boolean[n];
      for (int k = 0; k < c.count; k++) {
        if (roles[k] != ColourComponents.Role.BAR) continue;
        for (int j = c.start[k]; j < c.start[k + 1]; j++) bars[c.pixels[j]] = true;
      }
    }
    for (int i = 0; i < n; i++) {
      if (colour[i]) core[i] = region[i] && (bars == null || !bars[i]);
      else candidates[i] = weak[i];   // between the thresholds, touching no strong colour in this frame
    }
    fillHoles(core, w, h, settings.maxHole());
    return new Detection(w, h, core, candidates, luma);
  }

  /**
   * The final result of {@code d} given the detections of up to {@code temporalRadius} frames
   * before and after it (frames of another size are ignored).
   */
  Result finish(Detection d, List<Detection> before, List<Detection> after) {
    int w = d.width(), h = d.height(), n = w * h;
    boolean[] fin = d.core().clone();
    if (settings.temporalRadius() > 0) {
      boolean[] earlier = union(before, w, h), later = union(after, w, h);
      for (int i = 0; i < n; i++) {
        boolean near = (earlier != null && earlier[i]) || (later != null && later[i]);
        if (d.candidates()[i] && near) fin[i] = true;
        if (settings.fillDropouts() && earlier != null && later != null && earlier[i] && later[i]) fin[i] = true;
      }
    }
    boolean[] dilated = Morphology.dilate(fin, w, h, settings.dilation());
    byte[] colour = new byte[n], mask = new byte[n], grey = new byte[n];
    int[] luma = d.luma();
    for (int i = 0; i < n; i++) {
      colour[i] = (byte) (fin[i] ? 1 : 0);
      mask[i] = (byte) (dilated[i] ? 1 : 0);
      grey[i] = dilated[i] ? 0 : (byte) luma[i];
    }
    return new Result(w, h, mask, grey, colour);
  }

  private static boolean[] union(List<Detection> ds, int w, int h) {
    boolean[] u = null;
    for (Detection o : ds) {
      if (o.width() != w || o.height() != h) continue;
      if (u == null) u = new boolean[w * h];
      boolean[] c = o.core();
      for (int i = 0; i < u.length; i++) u[i] |= c[i];
    }
    return u;
  }

  private Prepared prepare(Sector sec) {
    Prepared p = prepared;
    if (p != null && p.sector == sec) return p;
    int w = sec.width(), h = sec.height();
    boolean[] allowed = Morphology.dilate(sec.mask(), w, h, settings.sectorMargin());
    boolean[] boxes = null;
    if (!sec.colourBoxes().isEmpty()) {
      boxes = new boolean[w * h];
      for (Sector.Rect r : sec.colourBoxes()) {
        for (int y = Math.max(0, r.y0() - BOX_OUTLINE); y <= Math.min(h - 1, r.y1() + BOX_OUTLINE); y++) {
          for (int x = Math.max(0, r.x0() - BOX_OUTLINE); x <= Math.min(w - 1, r.x1() + BOX_OUTLINE); x++) boxes[y * w + x] = true;
        }
      }
    }
    p = new Prepared(sec, allowed, boxes);
    prepared = p;
    return p;
  }

  /** Weak pixels 8-connected to a strong one (strong pixels included). */
  static boolean[] hysteresis(boolean[] strong, boolean[] weak, int w, int h) {
    int n = w * h;
    boolean[] out = new boolean[n];
    int[] queue = new int[n];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (strong[i]) {
        out[i] = true;
        queue[tail++] = i;
      }
    }
    for (int head = 0; head < tail; head++) {
      int p = queue[head], px = p % w, py = p / w;
      for (int dy = -1; dy <= 1; dy++) {
        int y = py + dy;
        if (y < 0 || y >= h) continue;
        for (int dx = -1; dx <= 1; dx++) {
          int x = px + dx;
          if (x < 0 || x >= w) continue;
          int q = y * w + x;
          if (weak[q] && !out[q]) {
            out[q] = true;
            queue[tail++] = q;
          }
        }
      }
    }
    return out;
  }

  /**
   * Where colour counts as flow: the flow components grown by the flow margin, plus the inside of
   * every other component (a colour-box outline) whose convex hull holds a flow component's centre.
   */
  private boolean[] flowRegion(Components c, ColourComponents.Role[] roles, int w, int h) {
    boolean[] flow = new boolean[w * h];
    List<double[]> centres = new java.util.ArrayList<>();
    for (int k = 0; k < c.count; k++) {
      if (roles[k] != ColourComponents.Role.FLOW) continue;
      double sx = 0, sy = 0;
      for (int j = c.start[k]; j < c.start[k + 1]; j++) {
        int p = c.pixels[j];
        flow[p] = true;
        sx += p % w;
        sy += p / w;
      }
      centres.add(new double[] {sx / c.area(k), sy / c.area(k)});
    }
    if (centres.isEmpty()) return flow;
    boolean[] region = Morphology.dilate(flow, w, h, settings.flowMarginPixels(w, h));
    for (int k = 0; k < c.count; k++) {
      if (roles[k] != ColourComponents.Role.GRAPHIC || c.area(k) < settings.minFlowArea()) continue;
      int[] b = c.bounds(k);
      ConvexHull hull = null;
      for (double[] ctr : centres) {
        if (ctr[0] < b[0] || ctr[0] > b[2] || ctr[1] < b[1] || ctr[1] > b[3]) continue;
        if (hull == null) hull = ConvexHull.of(c.pixels, c.start[k], c.start[k + 1], w);
        if (hull.contains(ctr[0], ctr[1])) {
          hull.fill(region, w, h);
          break;
        }
      }
    }
    return region;
  }

  /**
   * Fills 4-connected background regions of at most {@code maxHole} pixels that do not touch the
   * frame edge. Only the mask's bounding box grown by one pixel is searched: background outside it
   * touches the frame edge or that grown box's all-background border, so it is never a hole.
   */
  static void fillHoles(boolean[] m, int w, int h, int maxHole) {
    if (maxHole <= 0) return;
    int[] b = Morphology.bounds(m, w, h);
    if (b == null) return;
    int x0 = Math.max(0, b[0] - 1), y0 = Math.max(0, b[1] - 1), x1 = Math.min(w - 1, b[2] + 1), y1 = Math.min(h - 1, b[3] + 1);
    int sw = x1 - x0 + 1, sh = y1 - y0 + 1;
    boolean[] background = new boolean[sw * sh];
    for (int y = 0; y < sh; y++) for (int x = 0; x < sw; x++) background[y * sw + x] = !m[(y + y0) * w + x + x0];
    Components c = Components.of(background, sw, sh, false);
    for (int k = 0; k < c.count; k++) {
      if (c.area(k) > maxHole) continue;
      boolean edge = false;
      for (int j = c.start[k]; j < c.start[k + 1] && !edge; j++) {
        int p = c.pixels[j], x = p % sw, y = p / sw;
        edge = x == 0 || y == 0 || x == sw - 1 || y == sh - 1;
      }
      if (edge) continue;
      for (int j = c.start[k]; j < c.start[k + 1]; j++) {
        int p = c.pixels[j];
        m[(p / sw + y0) * w + p % sw + x0] = true;
      }
    }
  }
}
