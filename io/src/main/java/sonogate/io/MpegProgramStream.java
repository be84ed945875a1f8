package sonogate.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The video elementary stream inside an MPEG-1/MPEG-2 program stream (ISO 11172-1 / 13818-1),
 * as an input stream: pack and system headers are skipped, and of the PES packets only the
 * payloads of the first video stream (stream id 0xE0..0xEF) are passed on; audio, padding and
 * private streams are skipped. Every length is checked against the file.
 */
final class MpegProgramStream extends InputStream {
  private static final int PACK = 0xBA;
  private static final int SYSTEM_HEADER = 0xBB;
  private static final int PROGRAM_END = 0xB9;

  private final ChannelReader in;
  private int videoStream = -1;
  private long payloadLeft;
  private boolean ended;

  MpegProgramStream(Path file, FileChannel channel) throws IOException {
    this.in = new ChannelReader(file, channel);
    in.order(ByteOrder.BIG_ENDIAN);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (payloadLeft == 0) {
      if (ended || !nextVideoPayload()) {
        ended = true;
        return -1;
      }
    }
    int n = (int) Math.min(len, payloadLeft);
    in.readInto(b, off, n, "PES payload");
    payloadLeft -= n;
    return n;
  }

  /** Advances to the next payload of the video stream; false at the end of the program stream. */
  private boolean nextVideoPayload() throws IOException {
    while (true) {
      if (in.remaining() < 4) return false;
      long at = in.position();
      int prefix = (in.u16() << 8) | in.u8();
      int code = in.u8();
      if (prefix != 1 || code < PROGRAM_END) {
        throw new ClipFormatException(in.file(), "corrupt MPEG program stream: no start code at offset " + at);
      }
      switch (code) {
        case PROGRAM_END -> {
          return false;
        }
        case PACK -> skipPackHeader();
        case SYSTEM_HEADER -> in.skip(in.u16(), "system header");
        default -> {
          in.require(2, "PES packet length");
          int length = in.u16();
          in.require(length, "PES packet");
          boolean video = code >= 0xE0 && code <= 0xEF && (videoStream < 0 || videoStream == code);
          if (!video) {
            in.skip(length, "PES packet");
            continue;
          }
          if (length == 0) throw new ClipFormatException(in.file(), "unbounded video PES packet in a program stream at offset " + at);
          videoStream = code;
          long end = in.position() + length;
          skipPesHeader(end);
          payloadLeft = end - in.position();
          if (payloadLeft > 0) return true;
        }
      }
    }
  }

  private void skipPackHeader() throws IOException {
    in.require(1, "pack header");
    int first = in.u8();
    if ((first & 0xC0) == 0x40) { // MPEG-2: 10 bytes, then stuffing
      in.skip(8, "pack header");
      in.skip(in.u8() & 7, "pack stuffing");
    } else if ((first & 0xF0) == 0x20) { // MPEG-1: 8 bytes
      in.skip(7, "pack header");
    } else {
      throw new ClipFormatException(in.file(), "corrupt MPEG pack header at offset " + (in.position() - 5));
    }
  }

  /** Skips the PES header (MPEG-2 or MPEG-1 syntax) without passing {@code end}. */
  private void skipPesHeader(long end) throws IOException {
    int b = peek(end);
    if ((b & 0xC0) == 0x80) { // MPEG-2: flags, header length, optional fields
      in.skip(2, "PES header");
      int headerLength = peekAndRead(end);
      skipWithin(headerLength, end);
      return;
    }
    while (b == 0xFF) { // MPEG-1 stuffing
      in.skip(1, "PES stuffing");
      b = peek(end);
    }
    if ((b & 0xC0) == 0x40) { // STD buffer size
      skipWithin(2, end);
      b = peek(end);
    }
    if ((b & 0xF0) == 0x20) skipWithin(5, end); // PTS
    else if ((b & 0xF0) == 0x30) skipWithin(10, end); // PTS and DTS
    else if (b == 0x0F) skipWithin(1, end);
    else throw new ClipFormatException(in.file(), "corrupt PES header at offset " + in.position());
  }

  private int peek(long end) throws IOException {
    if (in.position() >= end) throw new ClipFormatException(in.file(), "PES header runs past its packet at offset " + in.position());
    int b = in.u8();
    in.seek(in.position() - 1);
    return b;
  }

  private int peekAndRead(long end) throws IOException {
    int b = peek(end);
    in.skip(1, "PES header");
    return b;
  }

  private void skipWithin(int n, long end) throws IOException {
    if (in.position() + n > end) throw new ClipFormatException(in.file(), "PES header runs past its packet at offset " + in.position());
    in.skip(n, "PES header");
  }
}
