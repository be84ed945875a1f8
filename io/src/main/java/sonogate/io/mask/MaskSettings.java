package sonogate.io.mask;

/**
 * Tunables of the colour-mask estimate ({@link ColourMask}); {@link #defaults()} documents the
 * defaults. Pixel counts are in pixels of the input frame.
 *
 * @param threshold        chroma {@code max(R,G,B) - min(R,G,B)} (0..255) above which a pixel is
 *                         colour; default 30 (grey B-mode has chroma 0 up to compression noise)
 * @param lowThreshold     hysteresis: pixels above this chroma join the mask when they touch a pixel
 *                         above {@code threshold} (in space, or in a neighbouring frame); catches
 *                         the dark ends of velocity palettes and blended rims; default 15
 * @param minFlowArea      a colour component needs this many pixels to count as flow; default 16
 * @param minThickFraction ... and this fraction of pixels whose 8 neighbours are all colour (text,
 *                         calipers, outlines and traces are 1-2 px strokes with none); default 0.4
 * @param uniformFraction  a component whose interior is one colour (within 12 levels per channel)
 *                         for at least this fraction is a graphic (markers, buttons), not flow; default 0.8
 * @param flowMargin       colour within this fraction of the shorter side of flow joins the mask
 *                         (thin vessel ends, mosaic fragments, a colour-box outline next to the
 *                         flow); at least 3 px; default 0.03
 * @param sectorMargin     pixels the sector is grown by before restricting the mask (a colour box
 *                         outline drawn on the sector's edge); default 2
 * @param maxHole          holes in the mask of at most this many pixels are filled; default 24
 * @param dilation         pixels the final mask grows by for the translator (a safety rim; 0 none); default 2
 * @param temporalRadius   frames on each side a frame's mask looks at (the stream's lookahead; 0 off); default 1
 * @param fillDropouts     a pixel masked in a frame before and a frame after (within the radius) is
 *                         masked in between too, so a one-frame dropout does not flicker; default true
 * @param sector           the sector estimator's tunables (used when a clip declares no regions)
 */
public record MaskSettings(int threshold, int lowThreshold, int minFlowArea, double minThickFraction,
    double uniformFraction, double flowMargin, int sectorMargin, int maxHole, int dilation, int temporalRadius,
    boolean fillDropouts, SectorEstimator.Settings sector) {

  public MaskSettings {
    if (threshold < 0 || threshold > 255) throw new IllegalArgumentException("colour threshold " + threshold + " not in 0..255");
    if (lowThreshold < 0 || lowThreshold > threshold) {
      throw new IllegalArgumentException("low threshold " + lowThreshold + " not in 0.." + threshold);
    }
    if (minFlowArea < 1) throw new IllegalArgumentException("min flow area " + minFlowArea);
    if (!(minThickFraction >= 0 && minThickFraction <= 1)) throw new IllegalArgumentException("min thick fraction " + minThickFraction);
    if (!(uniformFraction > 0 && uniformFraction <= 1)) throw new IllegalArgumentException("uniform fraction " + uniformFraction);
    if (!(flowMargin >= 0 && flowMargin < 1)) throw new IllegalArgumentException("flow margin " + flowMargin);
    if (sectorMargin < 0 || maxHole < 0 || dilation < 0) throw new IllegalArgumentException("margins, holes and dilation must be >= 0");
    if (temporalRadius < 0 || temporalRadius > 16) throw new IllegalArgumentException("temporal radius " + temporalRadius + " not in 0..16");
    java.util.Objects.requireNonNull(sector, "sector settings");
  }

  public static MaskSettings defaults() {
    return new MaskSettings(30, 15, 16, 0.4, 0.8, 0.03, 2, 24, 2, 1, true, SectorEstimator.Settings.defaults());
  }

  /** A copy with chroma threshold {@code t} and the low threshold at half of it. */
  public MaskSettings withThreshold(int t) {
    if (t < 0 || t > 255) throw new IllegalArgumentException("colour threshold " + t + " not in 0..255");
    return new MaskSettings(t, t / 2, minFlowArea, minThickFraction, uniformFraction, flowMargin, sectorMargin, maxHole,
        dilation, temporalRadius, fillDropouts, sector);
  }

  public MaskSettings withDilation(int d) {
    return new MaskSettings(threshold, lowThreshold, minFlowArea, minThickFraction, uniformFraction, flowMargin, sectorMargin,
        maxHole, d, temporalRadius, fillDropouts, sector);
  }

  public MaskSettings withTemporal(int radius, boolean dropouts) {
    return new MaskSettings(threshold, lowThreshold, minFlowArea, minThickFraction, uniformFraction, flowMargin, sectorMargin,
        maxHole, dilation, radius, dropouts, sector);
  }

  /** The flow margin in pixels for a frame of {@code w x h}. */
  int flowMarginPixels(int w, int h) {
    return Math.max(3, (int) Math.round(flowMargin * Math.min(w, h)));
  }
}
