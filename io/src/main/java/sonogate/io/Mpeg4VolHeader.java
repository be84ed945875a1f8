package sonogate.io;

import java.nio.file.Path;

/**
 * The fields of an MPEG-4 Part 2 video object layer header (ISO 14496-2, 6.2.3) that decide
 * whether JCodec's decoder handles a stream correctly, read up to the data partitioning flag.
 * {@link #check} rejects, by name, the tools the reader does not support. Video packets (resync
 * markers) are allowed here; {@code Mpeg4FrameDecoder} checks each packet boundary.
 */
record Mpeg4VolHeader(int verid, int shape, int width, int height, boolean interlaced, int sprite,
    boolean not8Bit, boolean quarterSample, boolean complexityEstimation, boolean resyncMarkers,
    boolean dataPartitioned) {

  /**
   * Finds the first video object layer start code (00 00 01 2x) in {@code data} and parses it;
   * null when there is none.
   */
  static Mpeg4VolHeader find(byte[] data, int length) {
    for (int i = 0; i + 4 <= length; i++) {
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && (data[i + 3] & 0xF0) == 0x20) {
        try {
          return parse(new Bits(data, i + 4, length));
        } catch (ArrayIndexOutOfBoundsException e) {
          return null; // truncated header: reported as missing
        }
      }
    }
    return null;
  }

  private static Mpeg4VolHeader parse(Bits b) {
    b.skip(1 + 8); // random_accessible_vol, video_object_type_indication
    int verid = 1;
    if (b.flag()) {
      verid = b.read(4);
      b.skip(3);
    }
    if (b.read(4) == 15) b.skip(16); // extended pixel aspect ratio
    if (b.flag()) { // vol_control_parameters
      b.skip(3); // chroma_format, low_delay
      if (b.flag()) b.skip(15 + 1 + 15 + 1 + 15 + 1 + 3 + 11 + 1 + 15 + 1); // vbv parameters
    }
    int shape = b.read(2);
    if (shape == 3 && verid != 1) b.skip(4);
    b.skip(1);
    int resolution = b.read(16);
    b.skip(1);
    if (b.flag()) b.skip(Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(0, resolution - 1))));
    int width = 0;
    int height = 0;
    if (shape == 0) {
      b.skip(1);
      width = b.read(13);
      b.skip(1);
      height = b.read(13);
      b.skip(1);
    }
    boolean interlaced = b.flag();
    b.skip(1); // obmc_disable
    int sprite = verid == 1 ? b.read(1) : b.read(2);
    if (sprite != 0 || shape != 0) {
      return new Mpeg4VolHeader(verid, shape, width, height, interlaced, sprite, false, false, false, false, false);
    }
    boolean not8Bit = b.flag();
    if (not8Bit) b.skip(8);
    if (b.flag()) { // quant_type: MPEG quantisation, optional matrices
      for (int matrix = 0; matrix < 2; matrix++) {
        if (b.flag()) {
          for (int k = 0; k < 64 && b.read(8) != 0; k++) { }
        }
      }
    }
    boolean quarterSample = verid != 1 && b.flag();
    boolean complexity = !b.flag();
    if (complexity) {
      return new Mpeg4VolHeader(verid, shape, width, height, interlaced, sprite, not8Bit, quarterSample, true, false, false);
    }
    boolean resync = !b.flag();
    boolean partitioned = b.flag();
    return new Mpeg4VolHeader(verid, shape, width, height, interlaced, sprite, not8Bit, quarterSample, false, resync, partitioned);
  }

  /** Fails with a one-line error naming the first tool this reader does not decode. */
  void check(Path file) throws ClipFormatException {
    String unsupported = null;
    if (shape != 0) unsupported = "non-rectangular (shape-coded) video objects";
    else if (sprite != 0) unsupported = sprite == 2 ? "global motion compensation (GMC sprites)" : "static sprites";
    else if (interlaced) unsupported = "interlaced coding";
    else if (not8Bit) unsupported = "sample depths other than 8 bits";
    else if (quarterSample) unsupported = "quarter-pixel motion compensation";
    else if (complexityEstimation) unsupported = "complexity estimation headers";
    else if (dataPartitioned) unsupported = "data partitioning";
    if (unsupported != null) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: " + unsupported);
  }

  /** Big-endian bit reader; reading past the end throws ArrayIndexOutOfBoundsException. */
  private static final class Bits {
    private final byte[] data;
    private final int end;
    private long position;

    Bits(byte[] data, int start, int end) {
      this.data = data;
      this.end = end;
      this.position = start * 8L;
    }

    int read(int n) {
      int v = 0;
      for (int i = 0; i < n; i++) {
        int at = (int) (position >> 3);
        if (at >= end) throw new ArrayIndexOutOfBoundsException(at);
        v = (v << 1) | ((data[at] >> (7 - (position & 7))) & 1);
        position++;
      }
      return v;
    }

    boolean flag() {
      return read(1) == 1;
    }

    void skip(int n) {
      for (int i = 0; i < n; i++) read(1);
    }
  }
}
