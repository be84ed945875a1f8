package sonogate.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The structure of a GIF file (GIF87a/GIF89a), found by walking its blocks once: the logical
 * screen, the global colour table, and for each image where its data starts, its rectangle,
 * colour table, interlacing and the graphic control extension before it (disposal, transparent
 * index, delay). Every length is checked against the file; an unknown block is an error.
 */
final class GifFile {
  /** One image of the file. */
  record Image(long dataStart, int left, int top, int width, int height, int[] palette, boolean interlaced,
      int disposal, int transparent, int delay) {}

  final int width;
  final int height;
  final int[] globalPalette; // 0x00RRGGBB, null when absent
  final int backgroundIndex;
  final List<Image> images;

  private GifFile(int width, int height, int[] globalPalette, int backgroundIndex, List<Image> images) {
    this.width = width;
    this.height = height;
    this.globalPalette = globalPalette;
    this.backgroundIndex = backgroundIndex;
    this.images = images;
  }

  static GifFile read(Path file, FileChannel channel) throws IOException {
    ChannelReader in = new ChannelReader(file, channel);
    in.require(13, "GIF header");
    in.skip(6, "GIF signature");
    int width = in.u16();
    int height = in.u16();
    int flags = in.u8();
    int backgroundIndex = in.u8();
    in.skip(1, "GIF aspect ratio");
    if (width == 0 || height == 0) throw new ClipFormatException(file, "GIF screen size " + width + "x" + height);
    int[] global = (flags & 0x80) != 0 ? palette(in, flags) : null;
    List<Image> images = new ArrayList<>();
    int disposal = 0;
    int transparent = -1;
    int delay = 0;
    while (true) {
      in.require(1, "GIF block");
      int block = in.u8();
      if (block == 0x3B) break;
      if (block == 0x21) {
        in.require(1, "GIF extension label");
        int label = in.u8();
        if (label == 0xF9) { // graphic control extension: applies to the next image
          in.require(6, "GIF graphic control extension");
          int size = in.u8();
          if (size < 4) throw new ClipFormatException(file, "corrupt GIF graphic control extension");
          int packed = in.u8();
          delay = in.u16();
          int index = in.u8();
          disposal = (packed >> 2) & 7;
          transparent = (packed & 1) != 0 ? index : -1;
          in.skip(size - 4, "GIF graphic control extension");
        }
        skipSubBlocks(in);
      } else if (block == 0x2C) {
        in.require(9, "GIF image descriptor");
        int left = in.u16();
        int top = in.u16();
        int w = in.u16();
        int h = in.u16();
        int f = in.u8();
        int[] local = (f & 0x80) != 0 ? palette(in, f) : null;
        if (local == null && global == null) throw new ClipFormatException(file, "GIF image " + images.size() + " has no colour table");
        if (w == 0 || h == 0) throw new ClipFormatException(file, "GIF image " + images.size() + " of size " + w + "x" + h);
        if ((long) w * h > DicomReader.MAX_PIXELS) {
          throw new ClipFormatException(file, "GIF image " + images.size() + " of " + w + "x" + h + " pixels is larger than supported");
        }
        long start = in.position();
        in.skip(1, "GIF LZW code size");
        skipSubBlocks(in);
        images.add(new Image(start, left, top, w, h, local != null ? local : global, (f & 0x40) != 0, disposal, transparent, delay));
        disposal = 0;
        transparent = -1;
        delay = 0;
      } else {
        throw new ClipFormatException(file, "corrupt GIF: unknown block 0x" + Integer.toHexString(block) + " at offset " + (in.position() - 1));
      }
    }
    if (images.isEmpty()) throw new ClipFormatException(file, "GIF without images (zero frames)");
    return new GifFile(width, height, global, backgroundIndex, List.copyOf(images));
  }

  private static int[] palette(ChannelReader in, int flags) throws IOException {
    int entries = 2 << (flags & 7);
    in.require(3L * entries, "GIF colour table");
    int[] p = new int[entries];
    for (int i = 0; i < entries; i++) p[i] = in.u8() << 16 | in.u8() << 8 | in.u8();
    return p;
  }

  private static void skipSubBlocks(ChannelReader in) throws IOException {
    while (true) {
      in.require(1, "GIF data sub-block");
      int length = in.u8();
      if (length == 0) return;
      in.skip(length, "GIF data sub-block");
    }
  }

  /** The background colour: the global table's entry, black without one. */
  int background() {
    return globalPalette != null && backgroundIndex < globalPalette.length ? globalPalette[backgroundIndex] : 0;
  }
}
