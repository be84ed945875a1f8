package sonogate.io;

import org.jcodec.common.model.Picture;

/**
 * Converts a decoded 4:2:0 video picture (JCodec's planes: signed bytes, value - 128) to an RGB
 * {@link Frame}. Each chroma sample covers its 2 x 2 luma block (no chroma interpolation, as
 * ffmpeg's default unscaled yuv420p to rgb24 conversion does). Coefficients: ITU-R BT.601 unless
 * the stream signals BT.709; "limited" (video) range maps luma 16..235 and chroma 16..240 to
 * 0..255, "full" (JPEG) range uses the samples as they are.
 */
final class YuvToRgb {
  /** Fixed-point scale of the coefficients: 2^16. */
  private static final int SHIFT = 16;
  private static final int HALF = 1 << (SHIFT - 1);
  /** Clamping table: results span about -300..560 for every matrix and range. */
  private static final int CLIP_OFFSET = 512;
  private static final byte[] CLIP = new byte[1536];

  static {
    for (int i = 0; i < CLIP.length; i++) CLIP[i] = clip(i - CLIP_OFFSET);
  }

  private final int yScale;
  private final int yOffset;
  private final int vToR;
  private final int uToG;
  private final int vToG;
  private final int uToB;

  private YuvToRgb(double luma, int lumaOffset, double vr, double ug, double vg, double ub) {
    this.yScale = fixed(luma);
    this.yOffset = lumaOffset;
    this.vToR = fixed(vr);
    this.uToG = fixed(ug);
    this.vToG = fixed(vg);
    this.uToB = fixed(ub);
  }

  private static int fixed(double c) {
    return (int) Math.round(c * (1 << SHIFT));
  }

  /**
   * The conversion for a colour matrix and range. {@code bt709} picks ITU-R BT.709 coefficients
   * (Kr 0.2126, Kb 0.0722), else BT.601 (Kr 0.299, Kb 0.114).
   */
  static YuvToRgb of(boolean bt709, boolean fullRange) {
    double kr = bt709 ? 0.2126 : 0.299;
    double kb = bt709 ? 0.0722 : 0.114;
    double kg = 1 - kr - kb;
    double luma = fullRange ? 1 : 255.0 / 219;
    double chroma = fullRange ? 1 : 255.0 / 224;
    double vr = 2 * (1 - kr) * chroma;
    double ub = 2 * (1 - kb) * chroma;
    double ug = 2 * (1 - kb) * kb / kg * chroma;
    double vg = 2 * (1 - kr) * kr / kg * chroma;
    return new YuvToRgb(luma, fullRange ? 0 : 16, vr, ug, vg, ub);
  }

  /** A human-readable name, e.g. "BT.601 limited range". */
  static String describe(boolean bt709, boolean fullRange) {
    return (bt709 ? "BT.709" : "BT.601") + (fullRange ? " full range" : " limited range");
  }

  /** The {@code width x height} pixels from ({@code left}, {@code top}) of a 4:2:0 picture as RGB. */
  Frame convert(Picture picture, int left, int top, int width, int height) {
    byte[] out = new byte[width * height * 3];
    if (((left | top) & 1) != 0) {
      convertAnyOffset(picture, left, top, width, height, out);
    } else {
      convertEvenOffset(picture, left, top, width, height, out);
    }
    return new Frame(width, height, 3, out);
  }

  /**
   * The common case (the picture's origin on a chroma sample): each chroma sample's three
   * products are computed once for its 2 x 2 luma pixels (this loop was 8% of H.264 decoding).
   */
  private void convertEvenOffset(Picture picture, int left, int top, int width, int height, byte[] out) {
    byte[] yPlane = picture.getPlaneData(0);
    byte[] uPlane = picture.getPlaneData(1);
    byte[] vPlane = picture.getPlaneData(2);
    int yStride = picture.getPlaneWidth(0);
    int cStride = picture.getPlaneWidth(1);
    int lumaBase = (128 - yOffset) * yScale + HALF;
    for (int y = 0; y < height; y += 2) {
      boolean second = y + 1 < height;
      int row0 = (top + y) * yStride + left;
      int row1 = row0 + yStride;
      int c = ((top + y) >> 1) * cStride + (left >> 1);
      int o0 = y * width * 3;
      int o1 = o0 + width * 3;
      for (int x = 0; x < width; x += 2, c++) {
        int u = uPlane[c];
        int v = vPlane[c];
        int r = vToR * v;
        int g = -(uToG * u + vToG * v);
        int b = uToB * u;
        boolean pair = x + 1 < width;
        put(out, o0 + 3 * x, lumaBase + yPlane[row0 + x] * yScale, r, g, b);
        if (pair) put(out, o0 + 3 * x + 3, lumaBase + yPlane[row0 + x + 1] * yScale, r, g, b);
        if (second) {
          put(out, o1 + 3 * x, lumaBase + yPlane[row1 + x] * yScale, r, g, b);
          if (pair) put(out, o1 + 3 * x + 3, lumaBase + yPlane[row1 + x + 1] * yScale, r, g, b);
        }
      }
    }
  }

  private static void put(byte[] out, int at, int luma, int r, int g, int b) {
    out[at] = CLIP[((luma + r) >> SHIFT) + CLIP_OFFSET];
    out[at + 1] = CLIP[((luma + g) >> SHIFT) + CLIP_OFFSET];
    out[at + 2] = CLIP[((luma + b) >> SHIFT) + CLIP_OFFSET];
  }

  /** Any origin: the chroma sample is looked up per pixel. */
  private void convertAnyOffset(Picture picture, int left, int top, int width, int height, byte[] out) {
    byte[] yPlane = picture.getPlaneData(0);
    byte[] uPlane = picture.getPlaneData(1);
    byte[] vPlane = picture.getPlaneData(2);
    int yStride = picture.getPlaneWidth(0);
    int cStride = picture.getPlaneWidth(1);
    int o = 0;
    for (int y = 0; y < height; y++) {
      int yRow = (top + y) * yStride + left;
      int cRow = ((top + y) >> 1) * cStride;
      for (int x = 0; x < width; x++) {
        int luma = (yPlane[yRow + x] + 128 - yOffset) * yScale + HALF;
        int u = uPlane[cRow + ((left + x) >> 1)];
        int v = vPlane[cRow + ((left + x) >> 1)];
        out[o] = clip((luma + vToR * v) >> SHIFT);
        out[o + 1] = clip((luma - uToG * u - vToG * v) >> SHIFT);
        out[o + 2] = clip((luma + uToB * u) >> SHIFT);
        o += 3;
      }
    }
  }

  private static byte clip(int v) {
    return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
  }
}
