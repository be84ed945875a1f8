package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The structure of an AVI file (RIFF, with OpenDML "AVIX" continuation parts): the first video
 * stream's header and format (BITMAPINFOHEADER and palette), and the position of each of its
 * frames, found by walking the 'movi' lists (the idx1/indx indexes are not needed for that).
 * Every chunk must fit inside its parent and the file, so a truncated or lying file fails here.
 */
final class AviFile {
  /** The first video stream's format (BITMAPINFOHEADER). */
  record VideoFormat(String handler, int compression, String compressionName, int width, int height,
      boolean topDown, int bitCount, int[] palette, double frameRate) {}

  private final Path file;
  private final FileChannel channel;
  private final long fileSize;
  private VideoFormat format;
  private int videoStream = -1;
  private int streams;
  private long[] offsets = new long[64];
  private int[] sizes = new int[64];
  private int frames;

  private AviFile(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.fileSize = channel.size();
  }

  static AviFile read(Path file, FileChannel channel) throws IOException {
    AviFile avi = new AviFile(file, channel);
    avi.walkFile();
    return avi;
  }

  VideoFormat format() {
    return format;
  }

  int frameCount() {
    return frames;
  }

  long offset(int frame) {
    return offsets[frame];
  }

  int size(int frame) {
    return sizes[frame];
  }

  private ClipFormatException error(String problem) {
    return new ClipFormatException(file, problem);
  }

  private void walkFile() throws IOException {
    long pos = 0;
    boolean first = true;
    while (pos + 12 <= fileSize) {
      ByteBuffer h = read(pos, 12);
      String id = fourcc(h, 0);
      long size = Integer.toUnsignedLong(h.getInt(4));
      String form = fourcc(h, 8);
      if (!id.equals("RIFF")) {
        if (first) throw error("not an AVI file (no RIFF header)");
        break; // trailing bytes after the last RIFF part
      }
      checkInside(pos, size, fileSize, "RIFF '" + form + "'");
      if (first && !form.equals("AVI ")) throw error("RIFF form '" + form + "' is not AVI");
      walkList(pos + 12, pos + 8 + size);
      first = false;
      pos += 8 + size + (size & 1);
    }
    if (format == null) throw error("no video stream in the AVI headers");
    if (frames == 0) throw error("the AVI holds zero video frames");
    offsets = Arrays.copyOf(offsets, frames);
    sizes = Arrays.copyOf(sizes, frames);
  }

  /** Walks the chunks in {@code [start, end)}. */
  private void walkList(long start, long end) throws IOException {
    long pos = start;
    while (pos + 8 <= end) {
      Chunk chunk = chunkAt(pos, end);
      String id = chunk.id();
      long size = chunk.size();
      long body = pos + 8;
      if (id.equals("LIST")) {
        if (size < 4) throw error("corrupt LIST chunk at offset " + pos);
        String type = fourcc(read(body, 4), 0);
        switch (type) {
          case "hdrl" -> walkList(body + 4, body + size);
          case "strl" -> readStreamList(body + 4, body + size);
          case "movi", "rec " -> walkMovie(body + 4, body + size);
          default -> { } // INFO, odml, ...
        }
      }
      pos = body + size + (size & 1);
    }
  }

  /** A chunk header: its fourcc and the size of its body. */
  private record Chunk(String id, long size) {}

  /** The chunk header at {@code pos}, its body checked to end by {@code end}. */
  private Chunk chunkAt(long pos, long end) throws IOException {
    ByteBuffer h = read(pos, 8);
    String id = fourcc(h, 0);
    long size = Integer.toUnsignedLong(h.getInt(4));
    checkInside(pos, size, end, "chunk '" + printable(id) + "'");
    return new Chunk(id, size);
  }

  private void readStreamList(long start, long end) throws IOException {
    int stream = streams++;
    String type = "";
    String handler = "";
    double rate = Double.NaN;
    long pos = start;
    while (pos + 8 <= end) {
      Chunk chunk = chunkAt(pos, end);
      String id = chunk.id();
      long size = chunk.size();
      if (id.equals("strh")) {
        if (size < 32) throw error("truncated stream header");
        ByteBuffer s = read(pos + 8, 32);
        type = fourcc(s, 0);
        handler = fourcc(s, 4);
        long scale = Integer.toUnsignedLong(s.getInt(20));
        long r = Integer.toUnsignedLong(s.getInt(24));
        if (scale > 0 && r > 0) rate = (double) r / scale;
      } else if (id.equals("strf") && type.equals("vids") && videoStream < 0) {
        if (size < 40) throw error("truncated video format (BITMAPINFOHEADER)");
        ByteBuffer b = read(pos + 8, 40);
        int width = b.getInt(4);
        int height = b.getInt(8);
        int bitCount = b.getShort(14) & 0xFFFF;
        int compression = b.getInt(16);
        long colours = Integer.toUnsignedLong(b.getInt(32));
        if (width <= 0 || height == 0 || height == Integer.MIN_VALUE) throw error("video size " + width + "x" + height);
        if ((long) width * Math.abs(height) > DicomReader.MAX_PIXELS) {
          throw error("video frame of " + width + "x" + Math.abs(height) + " pixels is larger than supported");
        }
        long headerSize = Integer.toUnsignedLong(b.getInt(0));
        int[] palette = new int[0];
        if (bitCount <= 8 && compression == 0) {
          long entries = colours == 0 ? 1L << bitCount : colours;
          long paletteStart = Math.max(40, Math.min(headerSize, size));
          if (entries > 256 || paletteStart + entries * 4 > size) throw error("truncated or corrupt palette in the video format");
          ByteBuffer p = read(pos + 8 + paletteStart, (int) entries * 4);
          palette = new int[(int) entries];
          for (int i = 0; i < entries; i++) palette[i] = p.getInt(i * 4) & 0xFFFFFF; // BGRA in the file: 0x00RRGGBB
        }
        videoStream = stream;
        format = new VideoFormat(handler, compression, compressionName(compression), width, Math.abs(height),
            height < 0, bitCount, palette, rate);
      }
      pos = pos + 8 + size + (size & 1);
    }
  }

  private void walkMovie(long start, long end) throws IOException {
    if (videoStream < 0) throw error("the AVI's frame data comes before any video stream header");
    long pos = start;
    while (pos + 8 <= end) {
      Chunk chunk = chunkAt(pos, end);
      String id = chunk.id();
      long size = chunk.size();
      if (id.equals("LIST")) {
        if (size >= 4 && fourcc(read(pos + 8, 4), 0).equals("rec ")) walkMovie(pos + 12, pos + 8 + size);
      } else if (isVideoChunk(id)) {
        add(pos + 8, size);
      }
      pos = pos + 8 + size + (size & 1);
    }
  }

  private boolean isVideoChunk(String id) {
    if (!Character.isDigit(id.charAt(0)) || !Character.isDigit(id.charAt(1))) return false;
    int stream = (id.charAt(0) - '0') * 10 + (id.charAt(1) - '0');
    return stream == videoStream && (id.endsWith("dc") || id.endsWith("db"));
  }

  private void add(long offset, long size) {
    if (size == 0 && frames == 0) return; // a dropped frame before the first one shows nothing
    if (frames == offsets.length) {
      offsets = Arrays.copyOf(offsets, frames * 2);
      sizes = Arrays.copyOf(sizes, frames * 2);
    }
    offsets[frames] = offset;
    sizes[frames] = (int) size;
    frames++;
  }

  private void checkInside(long pos, long size, long end, String what) throws ClipFormatException {
    if (pos + 8 + size > end) {
      String where = end == fileSize ? "the file ends at " + fileSize : "its parent ends at " + end;
      throw error("truncated: " + what + " at offset " + pos + " declares " + size + " bytes but " + where);
    }
  }

  private ByteBuffer read(long pos, int n) throws IOException {
    if (pos + n > fileSize) throw error("truncated at offset " + pos);
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    ChannelReader.readFully(channel, b, pos, file);
    return b.flip();
  }

  private static String fourcc(ByteBuffer b, int at) {
    byte[] c = new byte[4];
    b.get(at, c);
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  /** The compression's four-character code ("MJPG"), "uncompressed RGB" for 0, or hex when not printable. */
  static String compressionName(int compression) {
    if (compression == 0) return "uncompressed RGB";
    byte[] c = {(byte) compression, (byte) (compression >> 8), (byte) (compression >> 16), (byte) (compression >> 24)};
    String s = new String(c, StandardCharsets.ISO_8859_1);
    return s.equals(printable(s)) ? s : String.format("0x%08x", compression);
  }

  private static String printable(String s) {
    return s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F) ? s : "?";
  }
}
