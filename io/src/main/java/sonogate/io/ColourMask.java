package sonogate.io;

import java.util.ArrayList;
import java.util.List;

/**
 * CFD mask estimation, first cut (MODEL.md "CFD mask estimation"): which pixels of a colour-flow
 * frame are colour, and the grey input the translator sees.
 *
 * <ol>
 *   <li>A pixel is colour when its chroma {@code max(R,G,B) - min(R,G,B)} exceeds {@link #threshold()}
 *       (default {@value #DEFAULT_THRESHOLD} on 0..255: grey B-mode pixels have R = G = B up to
 *       compression noise, which stays well below it in the real files).</li>
 *   <li>Connected components (8-connected) smaller than {@link #minComponent()} pixels (default
 *       {@value #DEFAULT_MIN_COMPONENT}) are removed: isolated chroma noise, not flow.</li>
 *   <li>The mask is dilated by {@link #dilation()} pixels (default {@value #DEFAULT_DILATION}, a
 *       square structuring element) so the anti-aliased/blended rim of the colour goes too.</li>
 *   <li>Restricted to a region: the union of the clip's DICOM ultrasound regions of type colour
 *       flow, else of type tissue, else the whole frame ({@link #regionOf}).</li>
 * </ol>
 * The grey frame is the Rec. 601 luminance {@code 0.299 R + 0.587 G + 0.114 B} (rounded) with the
 * colour pixels set to 0. Grey (1-channel) frames have an empty mask and their samples as grey.
 *
 * <p>Not yet (issue 4, later): sector detection when the file has no regions, and leaving overlays
 * outside the sector (colour bar, ECG trace, text) unmasked; without regions they are masked too.
 * Immutable and thread-safe.
 */
public final class ColourMask {
  public static final int DEFAULT_THRESHOLD = 30;
  public static final int DEFAULT_MIN_COMPONENT = 16;
  public static final int DEFAULT_DILATION = 2;

  /** An inclusive pixel rectangle. */
  public record Rect(int x0, int y0, int x1, int y1) {
    boolean contains(int x, int y) {
      return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }
  }

  /**
   * One frame's estimate: {@code mask[y * width + x]} is 1 where colour, {@code grey} the
   * luminance with colour pixels 0 (both row-major, {@code width * height}).
   */
  public record Result(int width, int height, byte[] mask, byte[] grey) {
    /** Fraction of the frame that is colour. */
    public double coverage() {
      long n = 0;
      for (byte b : mask) n += b;
      return (double) n / mask.length;
    }
  }

  private final int threshold;
  private final int minComponent;
  private final int dilation;
  private final List<Rect> region;

  /** The defaults over the whole frame. */
  public ColourMask() {
    this(DEFAULT_THRESHOLD, DEFAULT_MIN_COMPONENT, DEFAULT_DILATION, List.of());
  }

  /**
   * @param threshold chroma (0..255) a pixel must exceed to be colour
   * @param minComponent components with fewer pixels are dropped (0 or 1 keeps all)
   * @param dilation pixels the mask grows by (0 none)
   * @param region rectangles the mask is restricted to; empty means the whole frame
   */
  public ColourMask(int threshold, int minComponent, int dilation, List<Rect> region) {
    if (threshold < 0 || threshold > 255) throw new IllegalArgumentException("colour threshold " + threshold + " not in 0..255");
    if (minComponent < 0) throw new IllegalArgumentException("min component " + minComponent);
    if (dilation < 0) throw new IllegalArgumentException("dilation " + dilation);
    this.threshold = threshold;
    this.minComponent = minComponent;
    this.dilation = dilation;
    this.region = List.copyOf(region);
  }

  /** The defaults with {@code threshold}, restricted to {@link #regionOf(ClipInfo)}. */
  public static ColourMask forClip(ClipInfo info, int threshold) {
    return new ColourMask(threshold, DEFAULT_MIN_COMPONENT, DEFAULT_DILATION, regionOf(info));
  }

  /**
   * The union of the clip's ultrasound regions of type colour flow; when there are none, of type
   * tissue; when there are none either, empty (the whole frame). Clipped to the frame.
   */
  public static List<Rect> regionOf(ClipInfo info) {
    for (int type : new int[] {UltrasoundRegion.DATA_COLOR_FLOW, UltrasoundRegion.DATA_TISSUE}) {
      List<Rect> rects = new ArrayList<>();
      for (UltrasoundRegion r : info.regions()) {
        if (r.dataType() != type) continue;
        int x0 = (int) Math.max(0, r.minX0()), y0 = (int) Math.max(0, r.minY0());
        int x1 = (int) Math.min(info.width() - 1L, r.maxX1()), y1 = (int) Math.min(info.height() - 1L, r.maxY1());
        if (x0 <= x1 && y0 <= y1) rects.add(new Rect(x0, y0, x1, y1));
      }
      if (!rects.isEmpty()) return rects;
    }
    return List.of();
  }

  public int threshold() { return threshold; }
  public int minComponent() { return minComponent; }
  public int dilation() { return dilation; }
  public List<Rect> region() { return region; }

  /** Mask and grey input of one frame. */
  public Result apply(Frame frame) {
    int w = frame.width(), h = frame.height(), n = w * h;
    byte[] s = frame.samples();
    byte[] mask = new byte[n];
    byte[] grey = new byte[n];
    if (frame.channels() == 1) {
      System.arraycopy(s, 0, grey, 0, n);
      return new Result(w, h, mask, grey);
    }
    int[] luma = new int[n];
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      int r = s[j] & 0xFF, g = s[j + 1] & 0xFF, b = s[j + 2] & 0xFF;
      int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
      if (max - min > threshold) mask[i] = 1;
      luma[i] = (299 * r + 587 * g + 114 * b + 500) / 1000;
    }
    if (minComponent > 1) removeSmallComponents(mask, w, h, minComponent);
    if (dilation > 0) dilate(mask, w, h, dilation);
    if (!region.isEmpty()) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          if (mask[i] != 0 && !inRegion(x, y)) mask[i] = 0;
        }
      }
    }
    for (int i = 0; i < n; i++) grey[i] = mask[i] != 0 ? 0 : (byte) luma[i];
    return new Result(w, h, mask, grey);
  }

  private boolean inRegion(int x, int y) {
    for (Rect r : region) if (r.contains(x, y)) return true;
    return false;
  }

  /** Clears 8-connected components of fewer than {@code min} pixels (iterative flood fill). */
  static void removeSmallComponents(byte[] mask, int w, int h, int min) {
    int n = w * h;
    boolean[] seen = new boolean[n];
    int[] stack = new int[n];
    int[] comp = new int[n];
    for (int start = 0; start < n; start++) {
      if (mask[start] == 0 || seen[start]) continue;
      int top = 0, size = 0;
      stack[top++] = start;
      seen[start] = true;
      while (top > 0) {
        int p = stack[--top];
        comp[size++] = p;
        int px = p % w, py = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          int y = py + dy;
          if (y < 0 || y >= h) continue;
          for (int dx = -1; dx <= 1; dx++) {
            int x = px + dx;
            if (x < 0 || x >= w) continue;
            int q = y * w + x;
            if (mask[q] != 0 && !seen[q]) {
              seen[q] = true;
              stack[top++] = q;
            }
          }
        }
      }
      if (size < min) for (int i = 0; i < size; i++) mask[comp[i]] = 0;
    }
  }

  /** Dilation by a (2r+1) square: a separable running max, rows then columns. */
  static void dilate(byte[] mask, int w, int h, int r) {
    byte[] tmp = new byte[mask.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        byte v = 0;
        for (int k = Math.max(0, x - r), e = Math.min(w - 1, x + r); k <= e && v == 0; k++) v = mask[row + k];
        tmp[row + x] = v;
      }
    }
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        byte v = 0;
        for (int k = Math.max(0, y - r), e = Math.min(h - 1, y + r); k <= e && v == 0; k++) v = tmp[k * w + x];
        mask[y * w + x] = v;
      }
    }
  }
}
