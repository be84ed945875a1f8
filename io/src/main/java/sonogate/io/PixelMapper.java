package sonogate.io;

/**
 * Turns pixel-interleaved stored sample values into an 8-bit {@link Frame}: greyscale through a
 * precomputed lookup table (rescale, VOI window for deep data, MONOCHROME1 inversion), palette
 * colour through its LUT, YBR_FULL through the JPEG/JFIF full-range matrix, RGB as it is.
 */
final class PixelMapper {
  private final PixelFormat format;
  private final byte[] greyLut; // indexed by stored value & mask, for monochrome
  private final boolean passThrough;

  PixelMapper(PixelFormat format) {
    this.format = format;
    this.greyLut = format.monochrome() ? greyLut(format) : null;
    this.passThrough = passesThrough(format, greyLut);
  }

  /**
   * True when uncompressed frame bytes already are the 8-bit frame: unsigned 8-bit samples using
   * all 8 bits, pixel-interleaved RGB or greyscale whose lookup table is the identity. Readers
   * then hand the bytes over as they are ({@link #passThrough()}) instead of unpacking them into
   * ints and mapping them back (measured: most of the time of reading such a frame).
   */
  private static boolean passesThrough(PixelFormat f, byte[] lut) {
    if (f.bitsAllocated() != 8 || f.bitsStored() != 8 || f.highBit() != 7 || f.signed()) return false;
    if (PixelFormat.RGB.equals(f.photometric())) return !f.planar();
    if (!f.monochrome()) return false;
    for (int i = 0; i < 256; i++) if ((lut[i] & 0xFF) != i) return false;
    return true;
  }

  /** See {@link #passesThrough}; the frame is then {@code new Frame(columns, rows, outputChannels, raw)}. */
  boolean passThrough() {
    return passThrough;
  }

  /** Channels of the frames this mapper makes: 1 for monochrome, else 3. */
  static int outputChannels(PixelFormat f) {
    return f.monochrome() ? 1 : 3;
  }

  Frame map(int[] samples) {
    PixelFormat f = format;
    int n = f.pixels();
    if (f.monochrome()) {
      int mask = (1 << f.bitsStored()) - 1;
      byte[] out = new byte[n];
      for (int p = 0; p < n; p++) out[p] = greyLut[samples[p] & mask];
      return new Frame(f.columns(), f.rows(), 1, out);
    }
    byte[] out = new byte[n * 3];
    if (PixelFormat.PALETTE_COLOR.equals(f.photometric())) {
      for (int p = 0; p < n; p++) f.palette().lookup(samples[p], out, 3 * p);
    } else if (f.ybr()) {
      int shift = Math.max(0, f.bitsStored() - 8);
      for (int p = 0; p < n; p++) {
        ybrToRgb(samples[3 * p] >> shift, samples[3 * p + 1] >> shift, samples[3 * p + 2] >> shift, out, 3 * p);
      }
    } else { // RGB
      int shift = Math.max(0, f.bitsStored() - 8);
      for (int i = 0; i < 3 * n; i++) out[i] = (byte) clamp(samples[i] >> shift);
    }
    return new Frame(f.columns(), f.rows(), 3, out);
  }

  /** JPEG/JFIF full-range YCbCr to RGB (the YBR_FULL definition of PS3.3 C.7.6.3.1.2). */
  static void ybrToRgb(int y, int cb, int cr, byte[] out, int at) {
    double b = cb - 128.0;
    double r = cr - 128.0;
    out[at] = (byte) clamp((int) Math.round(y + 1.402 * r));
    out[at + 1] = (byte) clamp((int) Math.round(y - 0.344136 * b - 0.714136 * r));
    out[at + 2] = (byte) clamp((int) Math.round(y + 1.772 * b));
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /**
   * One 8-bit value per possible stored value. Data of 8 bits or fewer passes through (rescaled
   * range mapped linearly, identity for plain unsigned 8-bit). Deeper data uses the first VOI
   * window when the file has one (PS3.3 C.11.2.1.2 linear function), else its full stored range.
   */
  private static byte[] greyLut(PixelFormat f) {
    int bits = f.bitsStored();
    int size = 1 << bits;
    double slope = f.rescaleSlope();
    double intercept = f.rescaleIntercept();
    double lo = (f.signed() ? -(size / 2) : 0) * slope + intercept;
    double hi = (f.signed() ? size / 2 - 1 : size - 1) * slope + intercept;
    if (lo > hi) {
      double t = lo;
      lo = hi;
      hi = t;
    }
    boolean window = bits > 8 && !Double.isNaN(f.windowCenter()) && f.windowWidth() >= 1;
    byte[] lut = new byte[size];
    for (int i = 0; i < size; i++) {
      int stored = f.signed() && i >= size / 2 ? i - size : i;
      double m = stored * slope + intercept;
      double y;
      if (window) {
        double c = f.windowCenter() - 0.5;
        double w = f.windowWidth() - 1;
        if (m <= c - w / 2) y = 0;
        else if (m > c + w / 2) y = 255;
        else y = ((m - c) / Math.max(w, 1e-9) + 0.5) * 255;
      } else {
        y = hi > lo ? (m - lo) * 255 / (hi - lo) : 0;
      }
      int v = clamp((int) Math.round(y));
      if (PixelFormat.MONOCHROME1.equals(f.photometric())) v = 255 - v;
      lut[i] = (byte) v;
    }
    return lut;
  }
}
