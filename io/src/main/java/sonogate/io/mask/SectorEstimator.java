package sonogate.io.mask;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sonogate.io.ClipInfo;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.UltrasoundRegion;

/**
 * Finds a clip's imaging sector ({@link Sector}): from the DICOM Sequence of Ultrasound Regions
 * when the file has tissue or colour-flow regions, else from the pixels of a few frames.
 *
 * <p>Estimation: a pixel is tissue when it is textured (the luminance's standard deviation over its
 * 5 x 5 neighbourhood exceeds {@link Settings#textureStd()}: speckle is textured, flat panels,
 * smooth grey bars and black background are not), bright (the minimum of max(R,G,B) over 5 x 5
 * exceeds {@link Settings#blackLevel()}: thin strokes of text, tick marks and traces have black
 * within 2 pixels and drop out) and not within 2 pixels of flat colour (colour panels, scales,
 * maps and traces: components whose neighbouring pixels mostly share one colour). Colour that is
 * not flat (flow: noisy, mosaic) counts as tissue: it is only ever painted over tissue, so flow in
 * a dark near field still pulls the sector over it. The map is OR-ed over up to
 * {@link Settings#sampleFrames()} frames and smoothed by a closing then an opening with a window
 * of {@link Settings#smoothing()} x the shorter side (joins speckle, drops text blocks). Tissue
 * components of at least {@link Settings#minComponentFraction()} of the frame are grouped by
 * horizontal overlap (one group per view of a dual display; a dark chamber that splits a view does
 * not split the group); groups with less than {@link Settings#minPartRatio()} of the largest
 * group's tissue are dropped. Each group's convex hull is a part: it fills dark
 * regions inside the sector (cysts, heart chambers) and the near field between apex clutter and
 * deep tissue. A part whose left and right edges converge is a fan (apex, edge angles and radii
 * fitted), otherwise a rectangle.
 *
 * <p>When nothing qualifies the sector is the whole frame ({@link Sector.Source#WHOLE_FRAME}).
 */
public final class SectorEstimator {
  /**
   * Tunables of the estimate.
   *
   * @param blackLevel           brightness (0..255) at or below which a pixel is background; default 12
   * @param textureStd           luminance standard deviation (0..255, 5 x 5) above which a pixel is
   *                             textured; default 1.5
   * @param colourThreshold      chroma above which a pixel is colour (judged flat or flow); default 30
   * @param smoothing            closing/opening radius as a fraction of the shorter side (at least
   *                             2 px); default 0.015
   * @param minComponentFraction smallest evidence component kept, as a fraction of the frame; default 0.005
   * @param minPartRatio         a group of tissue components with less than this fraction of the
   *                             largest group's tissue is not a part (a colour map or a logo beside
   *                             the image, not a second view); default 0.1
   * @param sampleFrames         frames sampled evenly over a clip; default 8
   * @param fanMinDegrees        each edge must lean outwards by more than this for a fan; default 12
   */
  public record Settings(int blackLevel, double textureStd, int colourThreshold, double smoothing,
      double minComponentFraction, double minPartRatio, int sampleFrames, double fanMinDegrees) {
    public Settings {
      if (blackLevel < 0 || blackLevel > 254) throw new IllegalArgumentException("black level " + blackLevel + " not in 0..254");
      if (!(textureStd >= 0)) throw new IllegalArgumentException("texture std " + textureStd);
      if (colourThreshold < 0 || colourThreshold > 255) throw new IllegalArgumentException("colour threshold " + colourThreshold);
      if (!(smoothing >= 0 && smoothing < 0.5)) throw new IllegalArgumentException("smoothing " + smoothing);
      if (!(minComponentFraction >= 0 && minComponentFraction < 1)) throw new IllegalArgumentException("min component " + minComponentFraction);
      if (!(minPartRatio >= 0 && minPartRatio <= 1)) throw new IllegalArgumentException("min part ratio " + minPartRatio);
      if (sampleFrames < 1) throw new IllegalArgumentException("sample frames " + sampleFrames);
      if (!(fanMinDegrees > 0 && fanMinDegrees < 80)) throw new IllegalArgumentException("fan min degrees " + fanMinDegrees);
    }

    public static Settings defaults() {
      return new Settings(12, 1.5, 30, 0.015, 0.005, 0.1, 8, 12);
    }
  }

  private SectorEstimator() {}

  /**
   * The sector declared by a DICOM file: its tissue regions (RegionDataType 1) as rectangle parts,
   * its colour-flow regions (2) as colour boxes (and as parts when it has no tissue regions);
   * null when it declares neither.
   */
  public static Sector fromRegions(ClipInfo info) {
    int w = info.width(), h = info.height();
    List<Sector.Rect> tissue = rects(info, UltrasoundRegion.DATA_TISSUE), flow = rects(info, UltrasoundRegion.DATA_COLOR_FLOW);
    List<Sector.Rect> partRects = tissue.isEmpty() ? flow : tissue;
    if (partRects.isEmpty()) return null;
    if (partRects.size() > 127) partRects = partRects.subList(0, 127);
    byte[] partOf = new byte[w * h];
    for (int k = 0; k < partRects.size(); k++) {
      Sector.Rect r = partRects.get(k);
      for (int y = r.y0(); y <= r.y1(); y++) {
        for (int x = r.x0(); x <= r.x1(); x++) if (partOf[y * w + x] == 0) partOf[y * w + x] = (byte) (k + 1);
      }
    }
    List<Sector.Part> parts = new ArrayList<>();
    for (int k = 0; k < partRects.size(); k++) {
      Sector.Rect r = partRects.get(k);
      int area = 0;
      for (byte b : partOf) if (b == k + 1) area++;
      parts.add(Sector.rectangle(r.x0(), r.y0(), r.x1(), r.y1(), area));
    }
    return new Sector(w, h, partOf, parts, flow, Sector.Source.DICOM_REGIONS);
  }

  private static List<Sector.Rect> rects(ClipInfo info, int dataType) {
    List<Sector.Rect> out = new ArrayList<>();
    for (UltrasoundRegion r : info.regions()) {
      if (r.dataType() != dataType) continue;
      int x0 = (int) Math.max(0, r.minX0()), y0 = (int) Math.max(0, r.minY0());
      int x1 = (int) Math.min(info.width() - 1L, r.maxX1()), y1 = (int) Math.min(info.height() - 1L, r.maxY1());
      if (x0 <= x1 && y0 <= y1) out.add(new Sector.Rect(x0, y0, x1, y1));
    }
    return out;
  }

  /** The regions' sector when the file has one, else an estimate from frames sampled evenly over the clip. */
  public static Sector forClip(ClipReader clip, Settings settings) throws IOException {
    Sector declared = fromRegions(clip.info());
    if (declared != null) return declared;
    int n = clip.info().frameCount(), k = Math.min(n, settings.sampleFrames());
    List<Frame> frames = new ArrayList<>(k);
    for (int i = 0; i < k; i++) frames.add(clip.readFrame((int) ((long) i * n / k)));
    return estimate(frames, settings);
  }

  /** An estimate from {@code frames} (all of one size; the first {@link Settings#sampleFrames()} are used). */
  public static Sector estimate(List<Frame> frames, Settings s) {
    if (frames.isEmpty()) throw new IllegalArgumentException("no frames to estimate a sector from");
    int w = frames.get(0).width(), h = frames.get(0).height(), n = w * h;
    boolean[] tissue = new boolean[n];
    for (Frame f : frames.subList(0, Math.min(frames.size(), s.sampleFrames()))) {
      if (f.width() != w || f.height() != h) throw new IllegalArgumentException("frames of different sizes: " + f + " and " + w + "x" + h);
      addTissue(f, s, tissue);
    }
    int r = Math.max(2, (int) Math.round(s.smoothing() * Math.min(w, h)));
    tissue = Morphology.open(Morphology.close(tissue, w, h, r), w, h, r);
    Components c = Components.of(tissue, w, h, true);
    List<int[]> groups = group(c, s.minComponentFraction() * n);
    if (groups.isEmpty()) return Sector.wholeFrame(w, h);
    long largest = 0;
    for (int[] g : groups) largest = Math.max(largest, area(c, g));
    long minPart = (long) Math.ceil(s.minPartRatio() * largest);
    groups.removeIf(g -> area(c, g) < minPart);
    if (groups.size() > 127) groups = groups.subList(0, 127);
    byte[] partOf = new byte[n];
    List<Sector.Part> parts = new ArrayList<>();
    for (int[] members : groups) {
      boolean[] hull = new boolean[n];
      int[] pixels = pixelsOf(c, members);
      ConvexHull.of(pixels, 0, pixels.length, w).fill(hull, w, h);
      byte id = (byte) (parts.size() + 1);
      for (int i = 0; i < n; i++) if (hull[i] && partOf[i] == 0) partOf[i] = id;
      parts.add(fit(partOf, id, w, h, s));
    }
    return new Sector(w, h, partOf, parts, List.of(), Sector.Source.ESTIMATED);
  }

  private static long area(Components c, int[] members) {
    long a = 0;
    for (int k : members) a += c.area(k);
    return a;
  }

  private static int[] pixelsOf(Components c, int[] members) {
    int total = 0;
    for (int k : members) total += c.area(k);
    int[] pixels = new int[total];
    int j = 0;
    for (int k : members) {
      System.arraycopy(c.pixels, c.start[k], pixels, j, c.area(k));
      j += c.area(k);
    }
    return pixels;
  }

  /** ORs the frame's tissue pixels into {@code tissue}. */
  private static void addTissue(Frame f, Settings s, boolean[] tissue) {
    int w = f.width(), h = f.height(), n = w * h;
    byte[] px = f.samples();
    int[] bright = new int[n], luma = new int[n];
    boolean[] colour = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (f.channels() == 1) {
        bright[i] = luma[i] = px[i] & 0xFF;
      } else {
        int r = px[3 * i] & 0xFF, g = px[3 * i + 1] & 0xFF, b = px[3 * i + 2] & 0xFF;
        int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
        bright[i] = max;
        luma[i] = (299 * r + 587 * g + 114 * b + 500) / 1000;
        colour[i] = max - min > s.colourThreshold();
      }
    }
    int[] floor = Morphology.minFilter(bright, w, h, 2);
    float[] std = Morphology.localStd(luma, w, h, 2);
    // Colour flow lies on tissue and counts as tissue; flat colour (panels, scales, colour maps,
    // traces) does not, nor do the 2 pixels around it (its edges would look textured).
    boolean[] flat = new boolean[n];
    Components c = Components.of(colour, w, h, true);
    for (int k = 0; k < c.count; k++) {
      boolean isFlat = ColourComponents.smoothFraction(c, k, px) >= ColourComponents.FLAT;
      for (int j = c.start[k]; j < c.start[k + 1]; j++) {
        int p = c.pixels[j];
        if (isFlat) flat[p] = true;
        else tissue[p] = true;
      }
    }
    boolean[] nearFlat = Morphology.dilate(flat, w, h, 2);
    boolean[] own = new boolean[n];
    for (int i = 0; i < n; i++) own[i] = std[i] > s.textureStd() && floor[i] > s.blackLevel() && !nearFlat[i] && !colour[i];
    // The minimum filter ate 2 pixels off every bright region's edge: give them back.
    boolean[] grown = Morphology.dilate(own, w, h, 2);
    for (int i = 0; i < n; i++) if (grown[i] && !nearFlat[i] && bright[i] > s.blackLevel()) tissue[i] = true;
  }

  /**
   * Components of at least {@code minArea} pixels, largest first, grouped: a component joins the
   * first group whose horizontal extent overlaps its own by more than half the narrower of the two.
   */
  private static List<int[]> group(Components c, double minArea) {
    List<Integer> big = new ArrayList<>();
    for (int k = 0; k < c.count; k++) if (c.area(k) >= minArea && c.area(k) > 0) big.add(k);
    big.sort((a, b) -> Integer.compare(c.area(b), c.area(a)));
    List<int[]> members = new ArrayList<>();
    List<int[]> extents = new ArrayList<>();   // {x0, x1} per group
    for (int k : big) {
      int[] b = c.bounds(k);
      boolean joined = false;
      for (int g = 0; g < members.size() && !joined; g++) {
        int[] e = extents.get(g);
        int overlap = Math.min(e[1], b[2]) - Math.max(e[0], b[0]) + 1;
        if (overlap > 0.5 * Math.min(e[1] - e[0] + 1, b[2] - b[0] + 1)) {
          int[] m = Arrays.copyOf(members.get(g), members.get(g).length + 1);
          m[m.length - 1] = k;
          members.set(g, m);
          extents.set(g, new int[] {Math.min(e[0], b[0]), Math.max(e[1], b[2])});
          joined = true;
        }
      }
      if (!joined) {
        members.add(new int[] {k});
        extents.add(new int[] {b[0], b[2]});
      }
    }
    return members;
  }

  /**
   * The shape of part {@code id}: straight-line fits x = a + b y to its left and right edges over
   * the rows between 15% and 60% of its height (below the near field, above the far corners of a
   * fan) where the edge is not the frame's side (a wide convex image is cut by the frame); edges leaning outwards by more than {@code fanMinDegrees} each and meeting above those
   * rows make a fan, anything else a rectangle.
   */
  static Sector.Part fit(byte[] partOf, byte id, int w, int h, Settings s) {
    int x0 = w, y0 = h, x1 = -1, y1 = -1, area = 0;
    int[] left = new int[h], right = new int[h];
    Arrays.fill(left, -1);
    Arrays.fill(right, -1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (partOf[y * w + x] != id) continue;
        if (left[y] < 0) left[y] = x;
        right[y] = x;
        area++;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
    int height = y1 - y0 + 1;
    int from = y0 + (int) (0.15 * height), to = y0 + (int) (0.60 * height);
    // Rows where the part runs into the frame's side say nothing about that edge's slope.
    int[] leftEdge = left.clone(), rightEdge = right.clone();
    for (int y = 0; y < h; y++) {
      if (leftEdge[y] == 0) leftEdge[y] = -1;
      if (rightEdge[y] == w - 1) rightEdge[y] = -1;
    }
    double[] l = lineFit(leftEdge, from, to), r = lineFit(rightEdge, from, to);
    double lean = Math.tan(Math.toRadians(s.fanMinDegrees()));
    if (l != null && r != null && l[1] < -lean && r[1] > lean) {
      double apexY = (l[0] - r[0]) / (r[1] - l[1]);
      double apexX = l[0] + l[1] * apexY;
      if (apexY < from) {
        double rMin = Double.MAX_VALUE, rMax = 0;
        for (int y = y0; y <= y1; y++) {
          for (int x = left[y] < 0 ? w : left[y]; x <= right[y]; x++) {
            if (partOf[y * w + x] != id) continue;
            double d = Math.hypot(x - apexX, y - apexY);
            rMin = Math.min(rMin, d);
            rMax = Math.max(rMax, d);
          }
        }
        return new Sector.Part(Sector.Kind.FAN, x0, y0, x1, y1, area, apexX, apexY, Math.atan(l[1]), Math.atan(r[1]), rMin, rMax);
      }
    }
    return Sector.rectangle(x0, y0, x1, y1, area);
  }

  /** Least squares x = a + b y over rows [from, to] that have a value; {a, b} or null. */
  private static double[] lineFit(int[] xs, int from, int to) {
    double n = 0, sy = 0, sx = 0, syy = 0, sxy = 0;
    for (int y = from; y <= to; y++) {
      if (xs[y] < 0) continue;
      n++;
      sy += y;
      sx += xs[y];
      syy += (double) y * y;
      sxy += (double) y * xs[y];
    }
    double det = n * syy - sy * sy;
    if (n < 5 || det == 0) return null;
    double b = (n * sxy - sy * sx) / det;
    return new double[] {(sx - b * sy) / n, b};
  }
}
