package sonogate.inference;

/**
 * How a frame of any size meets a model trained on S x S frames (S = the config's frame size):
 * scaled by {@code S / max(h, w)} (aspect ratio kept; down- or up-scaled), centred on an S x S
 * canvas, the border filled with grey -1 (black) and mask 0 (known). Nothing is ever cropped.
 * Down-scaling averages the covered area (box filter), up-scaling interpolates bilinearly
 * (pixel centres aligned). A frame already S x S goes through untouched.
 *
 * <p>The mask is scaled by area and thresholded at &gt; 0: a canvas pixel touched by any colour
 * pixel is a hole. On the way back only the model's output is resampled; the caller composites
 * it with the original grey using the original mask, so known pixels are kept bit-exactly.
 */
final class Letterbox {
  final int h, w, size, innerH, innerW, top, left;
  private final Resample rows, cols, backRows, backCols;

  Letterbox(int h, int w, int size) {
    if (h <= 0 || w <= 0) throw new IllegalArgumentException("frame size " + w + "x" + h);
    this.h = h;
    this.w = w;
    this.size = size;
    double scale = (double) size / Math.max(h, w);
    this.innerH = Math.clamp(Math.round(h * scale), 1, size);
    this.innerW = Math.clamp(Math.round(w * scale), 1, size);
    this.top = (size - innerH) / 2;
    this.left = (size - innerW) / 2;
    this.rows = new Resample(h, innerH);
    this.cols = new Resample(w, innerW);
    this.backRows = new Resample(innerH, h);
    this.backCols = new Resample(innerW, w);
  }

  /** Writes the letterboxed grey and mask of one frame into {@code x} and {@code m} at {@code offset} (S*S each). */
  void forward(float[] grey, float[] mask, float[] x, float[] m, int offset) {
    float[] g = resize(grey, h, w, rows, cols);
    float[] k = resize(mask, h, w, rows, cols);
    java.util.Arrays.fill(x, offset, offset + size * size, -1f);
    java.util.Arrays.fill(m, offset, offset + size * size, 0f);
    for (int y = 0; y < innerH; y++) {
      for (int xx = 0; xx < innerW; xx++) {
        int o = offset + (top + y) * size + left + xx, i = y * innerW + xx;
        boolean hole = k[i] > 0f;
        m[o] = hole ? 1f : 0f;
        x[o] = hole ? 0f : g[i];
      }
    }
  }

  /** The model's S x S output at {@code offset} of {@code out}, cropped to the frame's area and scaled back to h x w. */
  float[] back(float[] out, int offset) {
    float[] inner = new float[innerH * innerW];
    for (int y = 0; y < innerH; y++) System.arraycopy(out, offset + (top + y) * size + left, inner, y * innerW, innerW);
    return resize(inner, innerH, innerW, backRows, backCols);
  }

  private static float[] resize(float[] src, int sh, int sw, Resample r, Resample c) {
    if (r.identity && c.identity) return src;
    int dh = r.out, dw = c.out;
    float[] tmp = new float[sh * dw];
    for (int y = 0; y < sh; y++) c.apply(src, y * sw, 1, tmp, y * dw, 1);
    float[] dst = new float[dh * dw];
    for (int x = 0; x < dw; x++) r.apply(tmp, x, dw, dst, x, dw);
    return dst;
  }

  /** 1-D resampling weights from {@code in} to {@code out} samples. */
  static final class Resample {
    final int in, out;
    final boolean identity;
    final int[] start;
    final float[][] weight;

    Resample(int in, int out) {
      this.in = in;
      this.out = out;
      this.identity = in == out;
      start = new int[out];
      weight = new float[out][];
      double scale = (double) in / out;
      for (int o = 0; o < out; o++) {
        if (scale > 1) {   // area: integrate the source over [o*scale, (o+1)*scale)
          double a = o * scale, b = (o + 1) * scale;
          int i0 = (int) Math.floor(a), i1 = Math.min(in - 1, (int) Math.ceil(b) - 1);
          float[] wts = new float[i1 - i0 + 1];
          for (int i = i0; i <= i1; i++) wts[i - i0] = (float) ((Math.min(b, i + 1) - Math.max(a, i)) / scale);
          start[o] = i0;
          weight[o] = wts;
        } else {           // bilinear at pixel centres
          double p = Math.clamp((o + 0.5) * scale - 0.5, 0, in - 1);
          int i0 = (int) Math.floor(p);
          int i1 = Math.min(in - 1, i0 + 1);
          float f = (float) (p - i0);
          start[o] = i0;
          weight[o] = i1 == i0 ? new float[] {1f} : new float[] {1 - f, f};
        }
      }
    }

    void apply(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
      for (int o = 0; o < out; o++) {
        float[] wts = weight[o];
        float s = 0;
        int base = srcOff + start[o] * srcStride;
        for (int k = 0; k < wts.length; k++) s += wts[k] * src[base + k * srcStride];
        dst[dstOff + o * dstStride] = s;
      }
    }
  }
}
