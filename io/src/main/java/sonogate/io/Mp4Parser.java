package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the structure of an ISO base media file (MP4, QuickTime MOV): the top-level boxes from
 * the file, the movie box into memory, and the sample tables of the first video track. Every
 * size and count is checked against the bytes that hold it and against the file, so a lying file
 * fails with a {@link ClipFormatException} before anything large is allocated. Edit lists are
 * ignored (every coded sample is a frame); fragmented files (moof) are rejected.
 */
final class Mp4Parser {
  /** The movie box is read whole; larger ones are refused (an hour at 60 fps needs ~5 MB). */
  private static final long MAX_MOVIE_BOX = 256L << 20;

  private final Path file;
  private final long fileSize;

  private Mp4Parser(Path file, long fileSize) {
    this.file = file;
    this.fileSize = fileSize;
  }

  /** True when {@code head} starts like an ISO media file (ftyp, moov, mdat, free, wide, skip box). */
  static boolean looksLikeMp4(byte[] head) {
    if (head.length < 8) return false;
    String type = new String(head, 4, 4, StandardCharsets.ISO_8859_1);
    return switch (type) {
      case "ftyp", "moov", "mdat", "free", "wide", "skip", "pnot" -> true;
      default -> false;
    };
  }

  static Mp4Track parse(Path file, FileChannel channel) throws IOException {
    return new Mp4Parser(file, channel.size()).parseFile(channel);
  }

  private ClipFormatException error(String problem) {
    return new ClipFormatException(file, problem);
  }

  private Mp4Track parseFile(FileChannel channel) throws IOException {
    String brand = "MP4";
    Box moov = null;
    long pos = 0;
    ByteBuffer header = ByteBuffer.allocate(16);
    while (pos + 8 <= fileSize) {
      header.clear().limit(16);
      header.limit((int) Math.min(16, fileSize - pos));
      ChannelReader.readFully(channel, header, pos, file);
      long size = Integer.toUnsignedLong(header.getInt(0));
      String type = fourcc(header.array(), 4);
      int headerSize = 8;
      if (size == 1) {
        if (header.limit() < 16) throw error("truncated: box '" + type + "' at offset " + pos);
        size = header.getLong(8);
        headerSize = 16;
      } else if (size == 0) {
        size = fileSize - pos;
      }
      if (size < headerSize || size > fileSize - pos) {
        throw error("truncated or corrupt: box '" + printable(type) + "' at offset " + pos + " declares " + size
            + " bytes but the file ends at " + fileSize);
      }
      switch (type) {
        case "ftyp" -> {
          if (size >= 12) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ChannelReader.readFully(channel, b, pos + headerSize, file);
            if (fourcc(b.array(), 0).equals("qt  ")) brand = "QuickTime";
          }
        }
        case "moov" -> {
          if (size - headerSize > MAX_MOVIE_BOX) throw error("movie box of " + size + " bytes is larger than supported");
          byte[] body = new byte[(int) (size - headerSize)];
          ChannelReader.readFully(channel, ByteBuffer.wrap(body), pos + headerSize, file);
          moov = new Box("moov", body, 0, body.length);
        }
        case "moof" -> throw error("fragmented MP4 (movie fragments) is not supported");
        default -> { }
      }
      pos += size;
    }
    if (moov == null) throw error("no movie box (moov): not a complete MP4/MOV file");
    if (moov.child("mvex") != null) throw error("fragmented MP4 (movie fragments) is not supported");
    for (Box trak = moov.child("trak"); trak != null; trak = moov.nextChild("trak", trak)) {
      Box mdia = require(trak.child("mdia"), "mdia");
      Box hdlr = require(mdia.child("hdlr"), "hdlr");
      if (hdlr.length < 12) throw error("truncated handler box");
      if (!fourcc(hdlr.data, hdlr.start + 8).equals("vide")) continue;
      return videoTrack(brand, mdia);
    }
    throw error("no video track");
  }

  private Mp4Track videoTrack(String brand, Box mdia) throws ClipFormatException {
    Box mdhd = require(mdia.child("mdhd"), "mdhd");
    long timescale;
    if (mdhd.u8(0) == 1) {
      mdhd.need(32, "mdhd");
      timescale = mdhd.u32(20);
    } else {
      mdhd.need(20, "mdhd");
      timescale = mdhd.u32(12);
    }
    if (timescale == 0) throw error("media timescale is 0");
    Box stbl = require(require(mdia.child("minf"), "minf").child("stbl"), "stbl");

    Box stsd = require(stbl.child("stsd"), "stsd");
    stsd.need(8, "stsd");
    if (stsd.u32(4) < 1) throw error("video track without a sample description");
    Box entry = stsd.boxAt(8);
    if (entry == null) throw error("truncated sample description");
    entry.need(78, "visual sample entry");
    String codec = entry.type;
    int width = entry.u16(24);
    int height = entry.u16(26);
    byte[] config = new byte[0];
    Box configBox = entry.childFrom(78, codec.equals("avc1") || codec.equals("avc3") ? "avcC" : "esds");
    if (configBox != null) config = java.util.Arrays.copyOfRange(configBox.data, configBox.start, configBox.start + configBox.length);

    int[] sizes = sampleSizes(stbl);
    int n = sizes.length;
    if (n == 0) throw error("video track has zero frames");
    long[] offsets = sampleOffsets(stbl, sizes);
    long[] decodeTimes = new long[n];
    long duration = decodeTimes(stbl, decodeTimes);
    long[] presentation = decodeTimes;
    Box ctts = stbl.child("ctts");
    if (ctts != null) {
      ctts.need(8, "ctts");
      long entries = ctts.u32(4);
      ctts.need(8 + entries * 8, "ctts");
      int s = 0;
      for (int e = 0; e < entries && s < n; e++) {
        long count = ctts.u32(8 + e * 8);
        int offset = ctts.s32(12 + e * 8); // signed in version 1; writers use version 0 the same way
        for (long k = 0; k < count && s < n; k++) presentation[s++] += offset;
      }
    }
    return new Mp4Track(brand, codec, width, height, timescale, duration, offsets, sizes, presentation, config);
  }

  private int[] sampleSizes(Box stbl) throws ClipFormatException {
    Box stsz = stbl.child("stsz");
    if (stsz == null) throw error(stbl.child("stz2") != null ? "compact sample sizes (stz2) are not supported" : "no sample size table (stsz)");
    stsz.need(12, "stsz");
    long constant = stsz.u32(4);
    long count = stsz.u32(8);
    // every sample needs at least one byte of the file, so a count beyond the file size lies
    if (count > fileSize) throw error("sample table declares " + count + " frames, more than the file has bytes");
    int[] sizes = new int[(int) count];
    if (constant != 0) {
      if (constant > fileSize) throw error("sample size " + constant + " exceeds the file size");
      java.util.Arrays.fill(sizes, (int) constant);
    } else {
      stsz.need(12 + count * 4, "stsz");
      for (int i = 0; i < count; i++) {
        long s = stsz.u32(12 + i * 4);
        if (s == 0 || s > fileSize) throw error("frame " + i + " has size " + s + " (file size " + fileSize + ")");
        sizes[i] = (int) s;
      }
    }
    return sizes;
  }

  private long[] sampleOffsets(Box stbl, int[] sizes) throws ClipFormatException {
    Box stco = stbl.child("stco");
    Box co64 = stbl.child("co64");
    Box chunkBox = stco != null ? stco : co64;
    if (chunkBox == null) throw error("no chunk offset table (stco/co64)");
    int width = stco != null ? 4 : 8;
    chunkBox.need(8, chunkBox.type);
    long chunks = chunkBox.u32(4);
    chunkBox.need(8 + chunks * width, chunkBox.type);
    Box stsc = require(stbl.child("stsc"), "stsc");
    stsc.need(8, "stsc");
    long runs = stsc.u32(4);
    stsc.need(8 + runs * 12, "stsc");
    if (runs == 0) throw error("empty sample-to-chunk table");
    long[] offsets = new long[sizes.length];
    int sample = 0;
    for (int run = 0; run < runs && sample < sizes.length; run++) {
      long first = stsc.u32(8 + run * 12);
      long perChunk = stsc.u32(12 + run * 12);
      long end = run + 1 < runs ? stsc.u32(8 + (run + 1) * 12) : chunks + 1;
      if (first < 1 || end < first || end > chunks + 1) throw error("corrupt sample-to-chunk table");
      for (long chunk = first; chunk < end && sample < sizes.length; chunk++) {
        long offset = width == 4 ? chunkBox.u32(8 + (int) (chunk - 1) * 4) : chunkBox.s64(8 + (int) (chunk - 1) * 8);
        for (long k = 0; k < perChunk && sample < sizes.length; k++) {
          if (offset < 0 || offset + sizes[sample] > fileSize) {
            throw error("truncated: frame " + sample + " lies at bytes " + offset + ".." + (offset + sizes[sample])
                + " but the file ends at " + fileSize);
          }
          offsets[sample] = offset;
          offset += sizes[sample];
          sample++;
        }
      }
    }
    if (sample < sizes.length) throw error("chunk tables cover " + sample + " of " + sizes.length + " frames");
    return offsets;
  }

  /** Fills the decoding times; returns the track's total duration. */
  private long decodeTimes(Box stbl, long[] times) throws ClipFormatException {
    Box stts = require(stbl.child("stts"), "stts");
    stts.need(8, "stts");
    long entries = stts.u32(4);
    stts.need(8 + entries * 8, "stts");
    long t = 0;
    int s = 0;
    for (int e = 0; e < entries && s < times.length; e++) {
      long count = stts.u32(8 + e * 8);
      long delta = stts.u32(12 + e * 8);
      for (long k = 0; k < count && s < times.length; k++) {
        times[s++] = t;
        t += delta;
      }
    }
    if (s < times.length) throw error("time table covers " + s + " of " + times.length + " frames");
    return t;
  }

  private Box require(Box box, String name) throws ClipFormatException {
    if (box == null) throw error("missing '" + name + "' box in the video track");
    return box;
  }

  private static String fourcc(byte[] b, int at) {
    return new String(b, at, 4, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String type) {
    return type.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? type : "?";
  }

  /** A box held in memory: its payload is {@code data[start, start + length)}. */
  private final class Box {
    final String type;
    final byte[] data;
    final int start;
    final int length;

    Box(String type, byte[] data, int start, int length) {
      this.type = type;
      this.data = data;
      this.start = start;
      this.length = length;
    }

    void need(long bytes, String what) throws ClipFormatException {
      if (bytes > length) throw error("truncated or corrupt '" + what + "' box: needs " + bytes + " bytes, has " + length);
    }

    int u8(int at) {
      return data[start + at] & 0xFF;
    }

    int u16(int at) {
      return (u8(at) << 8) | u8(at + 1);
    }

    long u32(int at) {
      return Integer.toUnsignedLong(s32(at));
    }

    int s32(int at) {
      return (u8(at) << 24) | (u8(at + 1) << 16) | (u8(at + 2) << 8) | u8(at + 3);
    }

    long s64(int at) {
      return (u32(at) << 32) | u32(at + 4);
    }

    /** The child box starting at payload offset {@code at}, or null when none fits there. */
    Box boxAt(int at) throws ClipFormatException {
      if (at + 8 > length) return null;
      long size = u32(at);
      int header = 8;
      if (size == 1) {
        if (at + 16 > length) throw error("truncated box inside '" + type + "'");
        size = s64(at + 8);
        header = 16;
      } else if (size == 0) {
        size = length - at;
      }
      if (size < header || size > length - at) {
        throw error("corrupt box inside '" + type + "': declares " + size + " bytes, " + (length - at) + " left");
      }
      return new Box(fourcc(data, start + at + 4), data, start + at + header, (int) size - header);
    }

    /** The first child of {@code type} among the boxes from payload offset {@code from}. */
    Box childFrom(int from, String childType) throws ClipFormatException {
      for (int at = from; at + 8 <= length; ) {
        Box b = boxAt(at);
        if (b == null) return null;
        if (b.type.equals(childType)) return b;
        at = b.start + b.length - start;
      }
      return null;
    }

    Box child(String childType) throws ClipFormatException {
      return childFrom(0, childType);
    }

    /** The next child of {@code type} after {@code previous}. */
    Box nextChild(String childType, Box previous) throws ClipFormatException {
      return childFrom(previous.start + previous.length - start, childType);
    }
  }
}
