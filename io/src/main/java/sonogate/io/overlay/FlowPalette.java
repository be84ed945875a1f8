package sonogate.io.overlay;

/**
 * Colour maps a scanner uses to paint Doppler data over B-mode. Every colour they produce has
 * chroma {@code max - min} of at least 90 (the wall filter hides the slowest flow, so a display
 * never paints the near-black centre of its scale).
 */
public enum FlowPalette {
  /** Colour-flow velocity: towards the probe dark red to red to orange to yellow; away dark blue to blue to cyan. */
  VELOCITY,
  /** Power Doppler: one ramp from dark red through orange to pale yellow, no direction. */
  POWER;

  private static final double[][] TOWARDS = {{0, 110, 0, 0}, {0.45, 225, 25, 0}, {0.8, 255, 140, 0}, {1, 255, 235, 90}};
  private static final double[][] AWAY = {{0, 0, 0, 110}, {0.45, 0, 60, 230}, {0.8, 0, 170, 255}, {1, 110, 240, 255}};
  private static final double[][] RAMP = {{0, 115, 10, 0}, {0.4, 210, 60, 0}, {0.7, 255, 150, 0}, {1, 255, 240, 120}};

  /**
   * The colour of a pixel as {0xRRGGBB}: for {@link #VELOCITY} {@code v} in [-1, 1] is the velocity
   * (sign = direction, magnitude = speed), for {@link #POWER} |v| is the power.
   */
  public int rgb(double v) {
    double a = Math.min(1, Math.abs(v));
    double[][] stops = this == POWER ? RAMP : v >= 0 ? TOWARDS : AWAY;
    int k = 1;
    while (k < stops.length - 1 && a > stops[k][0]) k++;
    double[] lo = stops[k - 1], hi = stops[k];
    double u = (a - lo[0]) / (hi[0] - lo[0]);
    u = Math.max(0, Math.min(1, u));
    int r = (int) Math.round(lo[1] + u * (hi[1] - lo[1]));
    int g = (int) Math.round(lo[2] + u * (hi[2] - lo[2]));
    int b = (int) Math.round(lo[3] + u * (hi[3] - lo[3]));
    return (r << 16) | (g << 8) | b;
  }
}
