package sonogate.io.mask;

import java.util.List;

/**
 * The imaging sector of a clip: the pixels where the probe images tissue, as opposed to the
 * display around it (text, colour bars, ECG trace, black background). It has one or more
 * {@link Part}s (a dual-view display has two), each a fan (convex or phased-array probe) or a
 * rectangle (linear probe), and optionally the colour boxes the file declares. Immutable.
 */
public final class Sector {
  /** Where the sector came from. */
  public enum Source {
    /** The DICOM Sequence of Ultrasound Regions (tissue and colour-flow regions). */
    DICOM_REGIONS,
    /** Estimated from the frames ({@link SectorEstimator}). */
    ESTIMATED,
    /** Nothing to go by (no regions, no tissue found): the whole frame. */
    WHOLE_FRAME
  }

  /** The shape of a part. */
  public enum Kind { FAN, RECTANGLE }

  /**
   * One connected imaging area. Bounds are inclusive pixels. For a fan, the apex (may lie above the
   * frame), the angles of its left and right edges measured from the downward (+y) axis, positive
   * towards +x (so {@code angleMin < 0 < angleMax} for a fan pointing down), and its radii; for a
   * rectangle those are NaN.
   */
  public record Part(Kind kind, int x0, int y0, int x1, int y1, int area,
      double apexX, double apexY, double angleMin, double angleMax, double rMin, double rMax) {}

  /** An inclusive pixel rectangle. */
  public record Rect(int x0, int y0, int x1, int y1) {
    public boolean contains(int x, int y) {
      return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }
  }

  private final int width, height;
  private final byte[] partOf;     // 0 outside, k + 1 inside part k
  private final List<Part> parts;
  private final List<Rect> colourBoxes;
  private final Source source;
  private final int area;

  Sector(int width, int height, byte[] partOf, List<Part> parts, List<Rect> colourBoxes, Source source) {
    if (partOf.length != width * height) throw new IllegalArgumentException("sector map size");
    this.width = width;
    this.height = height;
    this.partOf = partOf;
    this.parts = List.copyOf(parts);
    this.colourBoxes = List.copyOf(colourBoxes);
    this.source = source;
    int n = 0;
    for (byte b : partOf) if (b != 0) n++;
    this.area = n;
  }

  /** The whole frame, one rectangle. */
  public static Sector wholeFrame(int width, int height) {
    byte[] all = new byte[width * height];
    java.util.Arrays.fill(all, (byte) 1);
    return new Sector(width, height, all, List.of(rectangle(0, 0, width - 1, height - 1, width * height)),
        List.of(), Source.WHOLE_FRAME);
  }

  static Part rectangle(int x0, int y0, int x1, int y1, int area) {
    return new Part(Kind.RECTANGLE, x0, y0, x1, y1, area, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  public int width() { return width; }
  public int height() { return height; }
  public List<Part> parts() { return parts; }
  public Source source() { return source; }

  /** Colour boxes declared by the file (DICOM colour-flow regions); empty when unknown. */
  public List<Rect> colourBoxes() { return colourBoxes; }

  /** Pixels inside. */
  public int area() { return area; }

  /** Fraction of the frame inside. */
  public double fraction() { return (double) area / ((long) width * height); }

  public boolean contains(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && partOf[y * width + x] != 0;
  }

  /** Index of the part pixel {@code i} (row-major) belongs to, or -1 outside. */
  public int partAt(int i) {
    return partOf[i] - 1;
  }

  /** The sector as a fresh mask. */
  public boolean[] mask() {
    boolean[] m = new boolean[partOf.length];
    for (int i = 0; i < m.length; i++) m[i] = partOf[i] != 0;
    return m;
  }

  /** The part with the most pixels. */
  public Part largestPart() {
    Part best = parts.get(0);
    for (Part p : parts) if (p.area() > best.area()) best = p;
    return best;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(source.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    for (Part p : parts) s.append(p == parts.get(0) ? ": " : ", ").append(p.kind().name().toLowerCase(java.util.Locale.ROOT));
    return s.append(String.format(java.util.Locale.ROOT, " (%.0f%% of the frame)", 100 * fraction())).toString();
  }
}
