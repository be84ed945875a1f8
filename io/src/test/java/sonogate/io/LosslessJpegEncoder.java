package sonogate.io;

import java.io.ByteArrayOutputStream;

/**
 * A small lossless JPEG (T.81 process 14) encoder for tests: any predictor 1..7, 2..16 bits, 1 or 3
 * interleaved components, an optional restart interval (in MCUs; keep it a multiple of the width,
 * as T.81 requires for lossless). One fixed Huffman table: categories 0..15 in 5 bits, 16 in 6.
 */
final class LosslessJpegEncoder {
  private LosslessJpegEncoder() {}

  /** {@code samples[(y * width + x) * components + c]}, each in 0..2^precision-1. */
  static byte[] encode(int[] samples, int width, int height, int components, int precision, int predictor, int restartInterval) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    marker(out, 0xD8);
    marker(out, 0xC3); // SOF3
    u16(out, 8 + 3 * components);
    out.write(precision);
    u16(out, height);
    u16(out, width);
    out.write(components);
    for (int c = 0; c < components; c++) {
      out.write(c + 1);
      out.write(0x11);
      out.write(0);
    }
    marker(out, 0xC4); // DHT: 16 codes of 5 bits, 1 of 6
    u16(out, 2 + 1 + 16 + 17);
    out.write(0x00);
    for (int l = 1; l <= 16; l++) out.write(l == 5 ? 16 : l == 6 ? 1 : 0);
    for (int s = 0; s <= 16; s++) out.write(s);
    if (restartInterval > 0) {
      marker(out, 0xDD);
      u16(out, 4);
      u16(out, restartInterval);
    }
    marker(out, 0xDA); // SOS
    u16(out, 6 + 2 * components);
    out.write(components);
    for (int c = 0; c < components; c++) {
      out.write(c + 1);
      out.write(0x00);
    }
    out.write(predictor);
    out.write(0);
    out.write(0);
    Bits bits = new Bits(out);
    int stride = width * components;
    int mcu = 0, intervalRow = 0, restarts = 0;
    boolean reset = true;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
          bits.flush();
          marker(out, 0xD0 + (restarts++ & 7));
          intervalRow = y;
          reset = true;
        }
        mcu++;
        for (int c = 0; c < components; c++) {
          int at = y * stride + x * components + c;
          int px;
          if (reset) px = 1 << (precision - 1);
          else if (y == intervalRow) px = samples[at - components];
          else if (x == 0) px = samples[at - stride];
          else {
            int ra = samples[at - components], rb = samples[at - stride], rc = samples[at - stride - components];
            px = switch (predictor) {
              case 1 -> ra;
              case 2 -> rb;
              case 3 -> rc;
              case 4 -> ra + rb - rc;
              case 5 -> ra + ((rb - rc) >> 1);
              case 6 -> rb + ((ra - rc) >> 1);
              default -> (ra + rb) >> 1;
            };
          }
          int diff = (samples[at] - px) & 0xFFFF;
          if (diff >= 32768) diff -= 65536; // -32768 is coded as +32768
          if (diff == -32768) diff = 32768;
          int ssss = diff == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
          if (ssss == 16) bits.put(0b100000, 6);
          else bits.put(ssss, 5);
          if (ssss > 0 && ssss < 16) bits.put(diff > 0 ? diff : diff + (1 << ssss) - 1, ssss);
        }
        reset = false;
      }
    }
    bits.flush();
    marker(out, 0xD9);
    return out.toByteArray();
  }

  private static void marker(ByteArrayOutputStream out, int code) {
    out.write(0xFF);
    out.write(code);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >> 8);
    out.write(v & 0xFF);
  }

  /** MSB-first bit writer with 0xFF byte stuffing; flush pads with 1 bits. */
  private static final class Bits {
    private final ByteArrayOutputStream out;
    private int buffer, count;

    Bits(ByteArrayOutputStream out) {
      this.out = out;
    }

    void put(int value, int n) {
      for (int i = n - 1; i >= 0; i--) {
        buffer = buffer << 1 | (value >> i & 1);
        if (++count == 8) emit();
      }
    }

    void flush() {
      while (count != 0) put(1, 1);
    }

    private void emit() {
      out.write(buffer);
      if (buffer == 0xFF) out.write(0);
      buffer = 0;
      count = 0;
    }
  }
}
