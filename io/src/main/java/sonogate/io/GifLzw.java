package sonogate.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Decodes a GIF image's LZW data (GIF89a appendix F): variable-length codes (LSB first, 3 to 12
 * bits) read from the data sub-blocks, a string table rebuilt from the codes, clear and end
 * codes. Produces exactly {@code width * height} colour indices; data that ends early is an
 * error, data after the last pixel is ignored (some encoders pad).
 */
final class GifLzw {
  private static final int MAX_CODES = 4096;

  private final Path file;
  private final ChannelReader in;
  private int blockLeft;
  private boolean blocksEnded;
  private int bitBuffer;
  private int bitCount;

  private GifLzw(Path file, ChannelReader in) {
    this.file = file;
    this.in = in;
  }

  /**
   * Reads the LZW minimum code size and the data sub-blocks from the reader's position and
   * returns the {@code pixels} indices.
   */
  static byte[] decode(Path file, ChannelReader in, int pixels, int frame) throws IOException {
    return new GifLzw(file, in).run(pixels, frame);
  }

  private byte[] run(int pixels, int frame) throws IOException {
    in.require(1, "GIF LZW code size");
    int minSize = in.u8();
    if (minSize < 1 || minSize > 11) throw new ClipFormatException(file, "GIF frame " + frame + ": invalid LZW code size " + minSize);
    int clear = 1 << minSize;
    int end = clear + 1;
    short[] prefix = new short[MAX_CODES];
    byte[] suffix = new byte[MAX_CODES];
    byte[] first = new byte[MAX_CODES];
    byte[] stack = new byte[MAX_CODES + 1];
    for (int c = 0; c < clear; c++) {
      suffix[c] = (byte) c;
      first[c] = (byte) c;
      prefix[c] = -1;
    }
    byte[] out = new byte[pixels];
    int n = 0;
    int size = minSize + 1;
    int next = clear + 2;
    int previous = -1;
    while (n < pixels) {
      int code = read(size);
      if (code < 0) break; // data ended
      if (code == clear) {
        size = minSize + 1;
        next = clear + 2;
        previous = -1;
        continue;
      }
      if (code == end) break;
      int string;
      if (previous < 0) {
        if (code >= clear) throw corrupt(frame);
        string = code;
      } else if (code < next) {
        string = code;
        if (next < MAX_CODES) add(prefix, suffix, first, next++, previous, first[code]);
      } else if (code == next && next < MAX_CODES) {
        add(prefix, suffix, first, next++, previous, first[previous]);
        string = code;
      } else {
        throw corrupt(frame);
      }
      if (next == (1 << size) && size < 12) size++;
      previous = code;
      int depth = 0;
      for (int c = string; c >= 0; c = prefix[c]) stack[depth++] = suffix[c];
      while (depth > 0 && n < pixels) out[n++] = stack[--depth];
    }
    if (n < pixels) throw new ClipFormatException(file, "GIF frame " + frame + ": image data ends after " + n + " of " + pixels + " pixels");
    skipRemainingBlocks();
    return out;
  }

  private static void add(short[] prefix, byte[] suffix, byte[] first, int code, int previous, byte last) {
    prefix[code] = (short) previous;
    suffix[code] = last;
    first[code] = first[previous];
  }

  private ClipFormatException corrupt(int frame) {
    return new ClipFormatException(file, "GIF frame " + frame + ": corrupt LZW data");
  }

  /** The next {@code size}-bit code, or -1 when the sub-blocks end. */
  private int read(int size) throws IOException {
    while (bitCount < size) {
      int b = nextByte();
      if (b < 0) return -1;
      bitBuffer |= b << bitCount;
      bitCount += 8;
    }
    int code = bitBuffer & ((1 << size) - 1);
    bitBuffer >>>= size;
    bitCount -= size;
    return code;
  }

  private int nextByte() throws IOException {
    if (blocksEnded) return -1;
    if (blockLeft == 0) {
      in.require(1, "GIF data sub-block");
      blockLeft = in.u8();
      if (blockLeft == 0) {
        blocksEnded = true;
        return -1;
      }
      in.require(blockLeft, "GIF data sub-block");
    }
    blockLeft--;
    return in.u8();
  }

  private void skipRemainingBlocks() throws IOException {
    if (blocksEnded) return;
    in.skip(blockLeft, "GIF data sub-block");
    while (true) {
      in.require(1, "GIF data sub-block");
      int length = in.u8();
      if (length == 0) return;
      in.skip(length, "GIF data sub-block");
    }
  }
}
