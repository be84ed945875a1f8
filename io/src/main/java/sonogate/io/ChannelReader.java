package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Buffered, bounds-checked reading of a file through positional {@link FileChannel} reads. Every
 * read checks the bytes against the file size first, so a lying length gives a
 * {@link ClipFormatException} instead of a huge allocation.
 */
final class ChannelReader {
  private final Path file;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private long bufferStart;
  private long position;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  ChannelReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.size = channel.size();
    buffer.limit(0);
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  long position() {
    return position;
  }

  long remaining() {
    return size - position;
  }

  void seek(long newPosition) {
    position = newPosition;
  }

  void order(ByteOrder newOrder) {
    order = newOrder;
  }

  ByteOrder order() {
    return order;
  }

  /** Fails unless {@code n} more bytes exist from the current position. */
  void require(long n, String what) throws ClipFormatException {
    if (n < 0 || n > remaining()) {
      throw new ClipFormatException(file, "truncated: " + what + " needs " + n
          + " bytes at offset " + position + " but the file ends at " + size);
    }
  }

  void skip(long n, String what) throws ClipFormatException {
    require(n, what);
    position += n;
  }

  int u8() throws IOException {
    fill(1);
    return buffer.get((int) (position++ - bufferStart)) & 0xFF;
  }

  int u16() throws IOException {
    fill(2);
    int i = (int) (position - bufferStart);
    position += 2;
    int a = buffer.get(i) & 0xFF;
    int b = buffer.get(i + 1) & 0xFF;
    return order == ByteOrder.LITTLE_ENDIAN ? a | b << 8 : a << 8 | b;
  }

  long u32() throws IOException {
    long lo = u16();
    long hi = u16();
    return order == ByteOrder.LITTLE_ENDIAN ? lo | hi << 16 : lo << 16 | hi;
  }

  /** Reads {@code n} bytes after checking that they exist. */
  byte[] bytes(long n, String what) throws IOException {
    require(n, what);
    byte[] out = new byte[(int) n];
    readFully(channel, ByteBuffer.wrap(out), position, file);
    position += n;
    return out;
  }

  /** Reads {@code n} bytes into {@code dst} at {@code off} after checking that they exist. */
  void readInto(byte[] dst, int off, int n, String what) throws IOException {
    require(n, what);
    readFully(channel, ByteBuffer.wrap(dst, off, n), position, file);
    position += n;
  }

  private void fill(int n) throws IOException {
    require(n, "reading");
    if (position >= bufferStart && position + n <= bufferStart + buffer.limit()) return;
    buffer.clear();
    bufferStart = position;
    long want = Math.min(buffer.capacity(), size - position);
    buffer.limit((int) want);
    readFully(channel, buffer, position, file);
    buffer.flip();
  }

  /** Fills {@code dst} from {@code pos} with positional reads, failing on a short file. */
  static void readFully(FileChannel ch, ByteBuffer dst, long pos, Path file) throws IOException {
    long p = pos;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, p);
      if (n < 0) throw new ClipFormatException(file, "truncated: unexpected end of file at offset " + p);
      p += n;
    }
  }
}
