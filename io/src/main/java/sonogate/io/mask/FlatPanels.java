package sonogate.io.mask;

/**
 * Display panels that hysteresis would pull into the mask: a scanner's header or side panel drawn
 * in a dull colour whose chroma lies between the two thresholds (ALOKA's dark-blue header, RGB 40,
 * 45, 65: chroma 25 against 15 and 30) joins the flow component it touches, whole. Faint flow does
 * not look like that: the rims and slow parts that hysteresis exists to catch are thin or vary in
 * colour (velocity noise), where a panel is a thick block of one colour.
 */
final class FlatPanels {
  private FlatPanels() {}

  /** Channel tolerance (levels) of "one colour" for a panel: flat, give or take mild compression. */
  static final int TOLERANCE = 4;
  /** At least this fraction of a panel's interior is within {@link #TOLERANCE} of its median colour. */
  static final double UNIFORM = 0.9;
  /**
   * A panel has at least this many pixels (ALOKA's header half: ~3,500-5,000). Smaller flat patches
   * are left alone: a real colour-flow display has them inside slow flow (the esopecho clip's
   * harvested flow lost 0.4% IoU when the bar was 16 pixels).
   */
  static final int MIN_AREA = 256;

  /**
   * Clears from {@code colour} the panel-coloured pixels of every connected region of weak-only
   * pixels (in {@code colour}, not in {@code strong}) that is a panel: at least {@link #MIN_AREA}
   * pixels, thick ({@link MaskSettings#minThickFraction()} of them with all 8 neighbours in the
   * region) and one colour ({@link #UNIFORM} of that interior within {@link #TOLERANCE} levels of its
   * median).
   */
  static void drop(boolean[] colour, boolean[] strong, byte[] rgb, int w, int h, MaskSettings s) {
    boolean[] weakOnly = new boolean[colour.length];
    boolean any = false;
    for (int i = 0; i < colour.length; i++) {
      weakOnly[i] = colour[i] && !strong[i];
      any |= weakOnly[i];
    }
    if (!any) return;
    Components c = Components.of(weakOnly, w, h, true);
    for (int k = 0; k < c.count; k++) {
      int area = c.area(k);
      if (area < MIN_AREA) continue;
      int[] interior = new int[area];
      int thick = 0;
      for (int j = c.start[k]; j < c.start[k + 1]; j++) {
        int p = c.pixels[j];
        if (ColourComponents.allNeighbours(weakOnly, p % w, p / w, w, h)) interior[thick++] = p;
      }
      if (thick < s.minThickFraction() * area) continue;
      if (ColourComponents.oneColour(rgb, interior, thick, TOLERANCE) < UNIFORM) continue;
      // only the panel's own colour: faint flow that touches it (a rim) is part of the same region
      int[] median = ColourComponents.medianColour(rgb, interior, thick);
      for (int j = c.start[k]; j < c.start[k + 1]; j++) {
        int p = c.pixels[j];
        if (ColourComponents.within(rgb, p, median, TOLERANCE)) colour[p] = false;
      }
    }
  }
}
