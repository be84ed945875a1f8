package sonogate.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits
 * segment per byte plane (most significant byte of each sample first, samples in order), which
 * makes the data colour-by-plane whatever PlanarConfiguration says.
 */
final class RleDecoder {
  private RleDecoder() {}

  /** PackBits' best case: a 2-byte run packet makes 128 bytes. */
  static final int MAX_BYTES_PER_INPUT_BYTE = 64;

  static int[] decode(byte[] data, PixelFormat f, Path file, int frame) throws ClipFormatException {
    if (data.length < 64) throw new ClipFormatException(file, "RLE frame " + frame + " is shorter than its 64-byte header");
    ByteBuffer header = ByteBuffer.wrap(data, 0, 64).order(ByteOrder.LITTLE_ENDIAN);
    int segments = header.getInt();
    int bytesPerSample = f.bytesPerSample();
    int expected = f.samplesPerPixel() * bytesPerSample;
    if (segments != expected) {
      throw new ClipFormatException(file, "RLE frame " + frame + " has " + segments + " segments, expected " + expected);
    }
    long[] offsets = new long[segments + 1];
    for (int i = 0; i < segments; i++) offsets[i] = header.getInt() & 0xFFFF_FFFFL;
    offsets[segments] = data.length;
    int n = f.pixels();
    int spp = f.samplesPerPixel();
    for (int s = 0; s < segments; s++) { // all checks before the output is allocated
      long start = offsets[s];
      long end = offsets[s + 1];
      if (start < 64 || start > end || end > data.length) {
        throw new ClipFormatException(file, "RLE frame " + frame + " segment " + s + " has a bad offset " + start);
      }
      if ((end - start) * MAX_BYTES_PER_INPUT_BYTE < n) { // a lying image size, or a truncated segment
        throw new ClipFormatException(file, "RLE frame " + frame + " segment " + s + " holds " + (end - start)
            + " bytes, too few for " + n + " pixels");
      }
    }
    int[] out = new int[n * spp];
    byte[] plane = new byte[n];
    for (int s = 0; s < segments; s++) {
      long start = offsets[s];
      long end = offsets[s + 1];
      int got = unpackBits(data, (int) start, (int) end, plane);
      if (got < n) {
        throw new ClipFormatException(file, "RLE frame " + frame + " segment " + s + " decodes to " + got + " of " + n + " bytes");
      }
      int sample = s / bytesPerSample;
      for (int p = 0; p < n; p++) {
        int i = p * spp + sample;
        out[i] = out[i] << 8 | (plane[p] & 0xFF);
      }
    }
    for (int i = 0; i < out.length; i++) out[i] = f.normalize(out[i]);
    return out;
  }

  /** PackBits: n >= 0 copies n+1 literal bytes, -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
  static int unpackBits(byte[] in, int from, int to, byte[] out) {
    int o = 0;
    int i = from;
    while (i < to && o < out.length) {
      int n = in[i++];
      if (n >= 0) {
        int count = Math.min(n + 1, Math.min(to - i, out.length - o));
        System.arraycopy(in, i, out, o, count);
        i += n + 1;
        o += count;
      } else if (n != -128) {
        if (i >= to) break;
        int count = Math.min(1 - n, out.length - o);
        java.util.Arrays.fill(out, o, o + count, in[i++]);
        o += count;
      }
    }
    return o;
  }
}
