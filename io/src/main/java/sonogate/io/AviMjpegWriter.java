package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;

/**
 * An AVI 1.0 file (RIFF) with one Motion-JPEG video stream: every frame a baseline JPEG
 * ({@link JpegFrameEncoder}, grey or RGB), an {@code idx1} index, the clip's frame rate as
 * {@code dwRate / dwScale}. ffmpeg, VLC and Windows players read it. Nothing but the frame size
 * and rate is stored: no INFO list, no dates, no software tag.
 *
 * <p>Frames stream to a temporary file beside the target (only their 8-byte index entries stay in
 * memory); {@link #commit()} appends the index, fills in the headers at the start (sizes and
 * counts are known only then) and renames the file into place. AVI 1.0 stores sizes in 32 bits:
 * an output that would pass 4 GiB is refused (use PNG frames for such clips).
 */
final class AviMjpegWriter implements FrameWriter {
  /** Largest RIFF file: 32-bit sizes. */
  static final long MAX_FILE_BYTES = 0xFFFF_FFFFL;
  /** Bytes before the first frame chunk: RIFF, hdrl list (avih, strl: strh, strf), movi list header. */
  static final int HEADER_BYTES = 224;
  /** Offset of the "movi" fourcc, which idx1 offsets count from. */
  static final int MOVI_FOURCC = 220;
  private static final byte[] FRAME_CHUNK = ascii("00dc");
  private static final int AVIF_HASINDEX = 0x10;
  private static final int AVIIF_KEYFRAME = 0x10;

  private final AtomicFile file;
  private final FileChannel channel;
  private final JpegFrameEncoder encoder;
  private final long rate;
  private final long scale;
  private final long maxFileBytes;
  private int[] index = new int[64]; // per frame: offset from the movi fourcc, JPEG length
  private int count;
  private long position = HEADER_BYTES;
  private final FrameShape shape = new FrameShape();
  private int largestChunk;

  AviMjpegWriter(Path target, WriterOptions options) throws IOException {
    this(target, options, MAX_FILE_BYTES);
  }

  /** With a lower size limit, so tests can reach it. */
  AviMjpegWriter(Path target, WriterOptions options, long maxFileBytes) throws IOException {
    long[] r = rational(options.frameRateOrDefault());
    this.rate = r[0];
    this.scale = r[1];
    this.maxFileBytes = maxFileBytes;
    this.file = new AtomicFile(target);
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file.tmp(), StandardOpenOption.WRITE);
      this.encoder = new JpegFrameEncoder(options.jpegQuality());
    } catch (IOException | RuntimeException e) {
      if (ch != null) ch.close();
      file.close();
      throw e;
    }
    this.channel = ch;
  }

  /** {@code fps} as rate / scale in whole numbers (milli-frame precision, reduced). */
  static long[] rational(double fps) {
    long scale = 1000;
    long rate = Math.max(1, Math.round(fps * scale));
    long g = gcd(rate, scale);
    return new long[] {rate / g, scale / g};
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public void write(Frame f) throws IOException {
    if (file.committed()) throw new IllegalStateException("already committed");
    shape.accept(f, count);
    byte[] jpeg = encoder.encode(f);
    int padded = jpeg.length + (jpeg.length & 1);
    long indexBytes = 8 + 16L * (count + 1);
    if (position + 8 + padded + indexBytes > maxFileBytes) {
      throw new IOException(file.target() + ": an AVI 1.0 file holds at most " + maxFileBytes
          + " bytes; frame " + count + " would pass it (write PNG frames for clips this long)");
    }
    ByteBuffer chunk = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    chunk.put(FRAME_CHUNK).putInt(jpeg.length).put(jpeg);
    writeFully(chunk.flip(), position);
    if (2 * count + 2 > index.length) index = java.util.Arrays.copyOf(index, 2 * index.length);
    index[2 * count] = (int) (position - MOVI_FOURCC);
    index[2 * count + 1] = jpeg.length;
    position += 8 + padded;
    largestChunk = Math.max(largestChunk, jpeg.length);
    count++;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void commit() throws IOException {
    if (file.committed()) return;
    if (count == 0) throw new IOException(file.target() + ": no frames to write");
    ByteBuffer idx = ByteBuffer.allocate(8 + 16 * count).order(ByteOrder.LITTLE_ENDIAN);
    idx.put(ascii("idx1")).putInt(16 * count);
    for (int i = 0; i < count; i++) {
      idx.put(FRAME_CHUNK).putInt(AVIIF_KEYFRAME).putInt(index[2 * i]).putInt(index[2 * i + 1]);
    }
    long moviEnd = position;
    writeFully(idx.flip(), position);
    long fileBytes = position + 8 + 16L * count;
    writeFully(headers(fileBytes, moviEnd), 0);
    channel.close();
    file.commit();
  }

  /** The 224 header bytes, now that the sizes are known. */
  private ByteBuffer headers(long fileBytes, long moviEnd) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int suggested = largestChunk + 8, width = shape.width(), height = shape.height();
    b.put(ascii("RIFF")).putInt((int) (fileBytes - 8)).put(ascii("AVI "));
    b.put(ascii("LIST")).putInt(192).put(ascii("hdrl"));
    // MainAVIHeader
    b.put(ascii("avih")).putInt(56);
    b.putInt((int) Math.round(1e6 * scale / rate)); // dwMicroSecPerFrame
    b.putInt((int) Math.min(Integer.MAX_VALUE, (long) Math.ceil((double) suggested * rate / scale))); // dwMaxBytesPerSec
    b.putInt(0).putInt(AVIF_HASINDEX).putInt(count).putInt(0).putInt(1).putInt(suggested);
    b.putInt(width).putInt(height).putInt(0).putInt(0).putInt(0).putInt(0);
    // stream list: header and format
    b.put(ascii("LIST")).putInt(116).put(ascii("strl"));
    b.put(ascii("strh")).putInt(56).put(ascii("vids")).put(ascii("MJPG"));
    b.putInt(0).putShort((short) 0).putShort((short) 0).putInt(0); // flags, priority, language, initial frames
    b.putInt((int) scale).putInt((int) rate).putInt(0).putInt(count).putInt(suggested);
    b.putInt(-1).putInt(0); // quality (default), sample size (varies)
    b.putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height); // rcFrame
    b.put(ascii("strf")).putInt(40); // BITMAPINFOHEADER
    b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).put(ascii("MJPG"));
    b.putInt((int) Math.min(Integer.MAX_VALUE, 3L * width * height)).putInt(0).putInt(0).putInt(0).putInt(0);
    b.put(ascii("LIST")).putInt((int) (moviEnd - MOVI_FOURCC)).put(ascii("movi"));
    if (b.position() != HEADER_BYTES) throw new IllegalStateException("AVI header is " + b.position() + " bytes");
    return b.flip();
  }

  private void writeFully(ByteBuffer b, long at) throws IOException {
    long p = at;
    while (b.hasRemaining()) p += channel.write(b, p);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    try {
      encoder.close();
      channel.close();
    } finally {
      file.close();
    }
  }
}
