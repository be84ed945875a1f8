package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fragment list of encapsulated (compressed) Pixel Data, read once (item headers only), and
 * each frame's bytes read on demand. Fragments are assigned to frames from the Extended Offset
 * Table, else the Basic Offset Table, else one fragment per frame, else (JPEG) by SOI markers.
 */
final class EncapsulatedFrames {
  private final Path file;
  private final FileChannel channel;
  private final long[][] frames; // per frame: start0, length0, start1, length1, ...

  private EncapsulatedFrames(Path file, FileChannel channel, long[][] frames) {
    this.file = file;
    this.channel = channel;
    this.frames = frames;
  }

  /** Reads the item headers from {@code in}'s position (the start of the Pixel Data value). */
  static EncapsulatedFrames scan(ChannelReader in, FileChannel channel, int frameCount, boolean jpeg,
      byte[] extendedOffsetTable) throws IOException {
    Path file = in.file();
    in.order(ByteOrder.LITTLE_ENDIAN);
    long botLength = item(in, "basic offset table");
    if (botLength % 4 != 0) throw new ClipFormatException(file, "basic offset table length " + botLength + " is not a multiple of 4");
    byte[] bot = in.bytes(botLength, "basic offset table");
    long firstItem = in.position();
    List<long[]> fragments = new ArrayList<>(); // item start, value start, value length
    while (true) {
      if (in.remaining() < 8) throw new ClipFormatException(file, "truncated: encapsulated pixel data ends without a sequence delimiter");
      long at = in.position();
      int group = in.u16();
      int element = in.u16();
      long length = in.u32();
      int tag = group << 16 | element;
      if (tag == DicomTags.SEQUENCE_END) break;
      if (tag != DicomTags.ITEM) throw new ClipFormatException(file, "encapsulated pixel data has " + DicomTags.hex(tag) + " instead of an item at offset " + at);
      if (length == 0xFFFF_FFFFL) throw new ClipFormatException(file, "fragment of undefined length at offset " + at);
      in.skip(length, "pixel data fragment");
      fragments.add(new long[] {at - firstItem, at + 8, length});
    }
    if (fragments.isEmpty()) throw new ClipFormatException(file, "encapsulated pixel data holds no fragment");
    long[] offsets = null;
    if (extendedOffsetTable != null && extendedOffsetTable.length >= 8L * frameCount) {
      offsets = new long[frameCount];
      ByteBuffer b = ByteBuffer.wrap(extendedOffsetTable).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < frameCount; i++) offsets[i] = b.getLong();
    } else if (bot.length > 0 && bot.length / 4 == frameCount) {
      offsets = new long[frameCount];
      ByteBuffer b = ByteBuffer.wrap(bot).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < frameCount; i++) offsets[i] = b.getInt() & 0xFFFF_FFFFL;
    }
    List<List<long[]>> groups;
    if (frameCount == 1) {
      groups = List.of(fragments);
    } else if (offsets != null) {
      groups = byOffsets(fragments, offsets, file);
    } else if (fragments.size() == frameCount) {
      groups = new ArrayList<>();
      for (long[] f : fragments) groups.add(List.of(f));
    } else if (jpeg) {
      groups = bySoiMarkers(fragments, channel, file);
    } else {
      groups = List.of();
    }
    if (groups.size() != frameCount) {
      throw new ClipFormatException(file, "header declares " + frameCount + " frames but the pixel data holds "
          + fragments.size() + " fragments that make " + (groups.isEmpty() ? "no consistent frame list" : groups.size() + " frames"));
    }
    long[][] frames = new long[frameCount][];
    for (int i = 0; i < frameCount; i++) {
      List<long[]> g = groups.get(i);
      if (g.isEmpty()) throw new ClipFormatException(file, "frame " + i + " has no fragment");
      frames[i] = new long[2 * g.size()];
      for (int k = 0; k < g.size(); k++) {
        frames[i][2 * k] = g.get(k)[1];
        frames[i][2 * k + 1] = g.get(k)[2];
      }
    }
    return new EncapsulatedFrames(file, channel, frames);
  }

  private static long item(ChannelReader in, String what) throws IOException {
    in.require(8, what);
    long at = in.position();
    int tag = in.u16() << 16 | in.u16();
    long length = in.u32();
    if (tag != DicomTags.ITEM || length == 0xFFFF_FFFFL) {
      throw new ClipFormatException(in.file(), "encapsulated pixel data does not start with an item at offset " + at);
    }
    return length;
  }

  private static List<List<long[]>> byOffsets(List<long[]> fragments, long[] offsets, Path file) throws ClipFormatException {
    List<List<long[]>> groups = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < offsets.length; i++) {
      long start = offsets[i];
      long end = i + 1 < offsets.length ? offsets[i + 1] : Long.MAX_VALUE;
      if (end < start) throw new ClipFormatException(file, "offset table is not increasing at frame " + i);
      List<long[]> g = new ArrayList<>();
      while (k < fragments.size() && fragments.get(k)[0] < start) k++;
      while (k < fragments.size() && fragments.get(k)[0] < end) g.add(fragments.get(k++));
      if (g.isEmpty() || g.get(0)[0] != start) throw new ClipFormatException(file, "offset table entry " + i + " (" + start + ") points at no fragment");
      groups.add(g);
    }
    return groups;
  }

  private static List<List<long[]>> bySoiMarkers(List<long[]> fragments, FileChannel ch, Path file) throws IOException {
    List<List<long[]>> groups = new ArrayList<>();
    ByteBuffer two = ByteBuffer.allocate(2);
    for (long[] f : fragments) {
      boolean soi = false;
      if (f[2] >= 2) {
        two.clear();
        ChannelReader.readFully(ch, two, f[1], file);
        soi = (two.get(0) & 0xFF) == 0xFF && (two.get(1) & 0xFF) == 0xD8;
      }
      if (soi || groups.isEmpty()) groups.add(new ArrayList<>());
      groups.get(groups.size() - 1).add(f);
    }
    return groups;
  }

  /** The concatenated fragments of frame {@code index}. */
  byte[] read(int index) throws IOException {
    long[] f = frames[index];
    long total = 0;
    for (int k = 1; k < f.length; k += 2) total += f[k];
    if (total > Integer.MAX_VALUE - 8) throw new ClipFormatException(file, "compressed frame " + index + " is larger than 2 GiB");
    byte[] out = new byte[(int) total];
    int o = 0;
    for (int k = 0; k < f.length; k += 2) {
      ChannelReader.readFully(channel, ByteBuffer.wrap(out, o, (int) f[k + 1]), f[k], file);
      o += (int) f[k + 1];
    }
    return out;
  }

  /** Total compressed bytes of frame {@code index}. */
  long length(int index) {
    long total = 0;
    for (int k = 1; k < frames[index].length; k += 2) total += frames[index][k];
    return total;
  }
}
