package sonogate.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Splits an MPEG-1/MPEG-2 video stream (ISO 11172-2 / 13818-2), read from a program stream or
 * an elementary stream file, into coded pictures: each {@link Unit} holds the headers that precede
 * a picture (sequence header and extensions, GOP header) and the picture with its slices, which
 * is what a decoder consumes per call. The headers the reader needs are parsed on the way:
 * picture size, frame rate, profile, chroma format, picture type and structure.
 */
final class MpegStream {
  /** Largest coded picture accepted; MPEG-2 High Level pictures stay far below it. */
  private static final int MAX_UNIT = 32 << 20;
  static final int I_PICTURE = 1;
  static final int P_PICTURE = 2;
  static final int B_PICTURE = 3;

  /** The stream's first sequence header (with its sequence extension for MPEG-2). */
  record Sequence(int width, int height, double frameRate, boolean mpeg2, int profileAndLevel, int chromaFormat, boolean progressive) {
    String describe() {
      if (!mpeg2) return "MPEG-1 video";
      String profile = switch ((profileAndLevel >> 4) & 7) {
        case 1 -> "High";
        case 2 -> "Spatially Scalable";
        case 3 -> "SNR Scalable";
        case 4 -> "Main";
        case 5 -> "Simple";
        default -> "profile " + ((profileAndLevel >> 4) & 7);
      };
      return "MPEG-2 video (" + profile + ")";
    }
  }

  /** One coded picture with the headers before it. */
  record Unit(ByteBuffer data, int codingType, int pictureStructure) {}

  private final Path file;
  private final InputStream in;
  private final boolean programStream;
  private byte[] data = new byte[1 << 16];
  private int length;
  private int scan;
  private boolean eof;
  private Sequence sequence;
  private int rateCode;
  private int codingType;
  private int pictureStructure;
  private boolean hasPicture;

  private MpegStream(Path file, InputStream in, boolean programStream) {
    this.file = file;
    this.in = in;
    this.programStream = programStream;
  }

  /** True when {@code head} starts with a program-stream pack or a video sequence header. */
  static boolean looksLikeMpeg(byte[] head) {
    return head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1
        && ((head[3] & 0xFF) == 0xBA || (head[3] & 0xFF) == 0xB3);
  }

  /** Reads from the start of {@code channel}: a program stream (pack header first) or an elementary stream. */
  static MpegStream open(Path file, FileChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(4);
    if (channel.size() < 4) throw new ClipFormatException(file, "truncated: too short for an MPEG stream");
    ChannelReader.readFully(channel, head, 0, file);
    boolean programStream = (head.get(3) & 0xFF) == 0xBA;
    channel.position(0);
    InputStream es = programStream ? new MpegProgramStream(file, channel)
        : new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    return new MpegStream(file, es, programStream);
  }

  /** True for a program stream, false for a bare video elementary stream. */
  boolean programStream() {
    return programStream;
  }

  /** The first sequence header; null until the first unit has been read. */
  Sequence sequence() {
    return sequence;
  }

  /** The next coded picture, or null at the end of the stream. */
  Unit next() throws IOException {
    while (true) {
      if (!available(scan + 4)) {
        return hasPicture ? emit(length) : null;
      }
      if (data[scan] != 0 || data[scan + 1] != 0 || data[scan + 2] != 1) {
        scan++;
        continue;
      }
      int code = data[scan + 3] & 0xFF;
      if (hasPicture && (code == 0x00 || code == 0xB3 || code == 0xB8)) return emit(scan);
      switch (code) {
        case 0xB3 -> readSequenceHeader();
        case 0xB5 -> readExtension();
        case 0x00 -> readPictureHeader();
        default -> { }
      }
      scan += 4;
    }
  }

  private Unit emit(int end) {
    ByteBuffer unit = ByteBuffer.wrap(java.util.Arrays.copyOf(data, end));
    Unit u = new Unit(unit, codingType, pictureStructure);
    System.arraycopy(data, end, data, 0, length - end);
    length -= end;
    scan = 0;
    hasPicture = false;
    return u;
  }

  private void readSequenceHeader() throws IOException {
    if (!available(scan + 12)) throw new ClipFormatException(file, "truncated MPEG sequence header");
    int at = scan + 4;
    int width = ((data[at] & 0xFF) << 4) | ((data[at + 1] & 0xF0) >> 4);
    int height = ((data[at + 1] & 0x0F) << 8) | (data[at + 2] & 0xFF);
    if (width == 0 || height == 0) throw new ClipFormatException(file, "MPEG sequence header with picture size " + width + "x" + height);
    if (sequence == null) {
      rateCode = data[at + 3] & 0x0F;
      sequence = new Sequence(width, height, frameRate(rateCode, 0, 0), false, 0, 1, true);
    }
  }

  private void readExtension() throws IOException {
    if (!available(scan + 10)) return; // a short extension at the very end: nothing follows it
    int at = scan + 4;
    int id = (data[at] & 0xF0) >> 4;
    if (id == 1 && sequence != null && !sequence.mpeg2()) {
      int profileLevel = ((data[at] & 0x0F) << 4) | ((data[at + 1] & 0xF0) >> 4);
      boolean progressive = (data[at + 1] & 0x08) != 0;
      int chroma = (data[at + 1] & 0x06) >> 1;
      int widthExt = ((data[at + 1] & 0x01) << 1) | ((data[at + 2] & 0x80) >> 7);
      int heightExt = (data[at + 2] & 0x60) >> 5;
      int rateN = (data[at + 5] & 0x60) >> 5;
      int rateD = data[at + 5] & 0x1F;
      double rate = frameRate(rateCode, rateN, rateD);
      sequence = new Sequence(sequence.width() | (widthExt << 12), sequence.height() | (heightExt << 12), rate, true,
          profileLevel, chroma, progressive);
    } else if (id == 8 && hasPicture) {
      pictureStructure = data[at + 2] & 0x03;
    }
  }

  private void readPictureHeader() throws IOException {
    if (!available(scan + 6)) throw new ClipFormatException(file, "truncated MPEG picture header");
    if (sequence == null) throw new ClipFormatException(file, "MPEG picture before any sequence header");
    codingType = (data[scan + 5] & 0x38) >> 3;
    if (codingType < I_PICTURE || codingType > B_PICTURE) {
      throw new ClipFormatException(file, "unsupported MPEG picture coding type " + codingType);
    }
    pictureStructure = 3; // frame picture unless a picture coding extension says otherwise
    hasPicture = true;
  }

  private static final double[] RATES = {Double.NaN, 24000.0 / 1001, 24, 25, 30000.0 / 1001, 30, 50, 60000.0 / 1001, 60};

  private static double frameRate(int code, int extN, int extD) {
    double base = code >= 1 && code < RATES.length ? RATES[code] : Double.NaN;
    return base * (extN + 1) / (extD + 1);
  }

  /** Makes sure {@code data[0, end)} holds stream bytes; false when the stream ends first. */
  private boolean available(int end) throws IOException {
    while (length < end && !eof) {
      if (length == data.length) {
        if (data.length >= MAX_UNIT) throw new ClipFormatException(file, "MPEG picture larger than " + MAX_UNIT + " bytes");
        data = java.util.Arrays.copyOf(data, Math.min(MAX_UNIT, data.length * 2));
      }
      int n = in.read(data, length, data.length - length);
      if (n < 0) eof = true;
      else length += n;
    }
    return length >= end;
  }
}
