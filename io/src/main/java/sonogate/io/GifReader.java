package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Animated (or still) GIF: the JDK's ImageIO GIF reader decodes each image's pixels; this class
 * composites them onto the logical screen as GIF89a says. The canvas starts as the background
 * colour (global colour table entry; black without one); each image paints its non-transparent
 * pixels; then its disposal method applies before the next image: 0/1 keep, 2 restore its
 * rectangle to the background colour, 3 restore the canvas as it was before the image. Frame
 * rate: frames / total delay, where a delay under 2/100 s counts as 10/100 s (what browsers and
 * ffmpeg do with such GIFs). Frames are grey when every colour table used is grey, else RGB.
 */
final class GifReader extends SequentialClipReader {
  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  /** What the metadata says about one image. */
  private record Image(int left, int top, int width, int height, int disposal, int transparent, int delay) {}

  private final Path file;
  private final ImageInputStream input;
  private final ImageReader reader;
  private final List<Image> images;
  private final int background; // 0x00RRGGBB
  private final int[] canvas;
  private int[] saved;
  private int next;
  private Image previous;

  private GifReader(Path file, ImageInputStream input, ImageReader reader, List<Image> images, int background, ClipInfo info) {
    super(info);
    this.file = file;
    this.input = input;
    this.reader = reader;
    this.images = images;
    this.background = background;
    this.canvas = new int[info.width() * info.height()];
  }

  static GifReader open(Path file) throws IOException {
    byte[] all = header(file);
    int width = (all[6] & 0xFF) | (all[7] & 0xFF) << 8;
    int height = (all[8] & 0xFF) | (all[9] & 0xFF) << 8;
    if (width == 0 || height == 0) throw new ClipFormatException(file, "GIF screen size " + width + "x" + height);
    boolean globalTable = (all[10] & 0x80) != 0;
    int tableSize = 2 << (all[10] & 7);
    int backgroundIndex = all[11] & 0xFF;
    int background = 0;
    boolean grey = true;
    if (globalTable) {
      if (13 + 3 * tableSize > all.length) throw new ClipFormatException(file, "truncated GIF colour table");
      if (backgroundIndex < tableSize) background = rgb(all, 13 + 3 * backgroundIndex);
      grey = isGrey(all, 13, tableSize);
    }
    ImageInputStream input = ImageIO.createImageInputStream(file.toFile());
    Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
    if (!readers.hasNext()) {
      input.close();
      throw new ClipFormatException(file, "no ImageIO GIF reader in this JDK");
    }
    ImageReader reader = readers.next();
    try {
      reader.setInput(input, false, false);
      int count = countImages(file, all);
      if (count == 0) throw new ClipFormatException(file, "GIF without images (zero frames)");
      int decodable = reader.getNumImages(true);
      if (decodable != count) throw new ClipFormatException(file, "corrupt GIF: " + count + " images, ImageIO reads " + decodable);
      List<Image> images = new ArrayList<>(count);
      long delay = 0;
      for (int i = 0; i < count; i++) {
        Image im = image(reader.getImageMetadata(i));
        images.add(im);
        delay += im.delay() < 2 ? 10 : im.delay();
        if (grey && reader.getRawImageType(i).getColorModel() instanceof IndexColorModel icm) grey = isGrey(icm);
      }
      ClipInfo info = new ClipInfo(file, "GIF", grey ? "GIF (grey palette)" : "GIF", "", count, width, height, grey ? 1 : 3,
          grey ? "MONOCHROME2" : "PALETTE COLOR", 8, count * 100.0 / delay, Double.NaN, Double.NaN, List.of());
      GifReader gif = new GifReader(file, input, reader, images, background, info);
      gif.rewind();
      return gif;
    } catch (IOException | RuntimeException e) {
      reader.dispose();
      input.close();
      if (e instanceof ClipFormatException c) throw c;
      throw new ClipFormatException(file, "corrupt GIF (" + e.getMessage() + ")", e);
    }
  }

  /** The screen descriptor and global colour table (at most 781 bytes). */
  private static byte[] header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 14) throw new ClipFormatException(file, "truncated GIF header");
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 13 + 3 * 256));
      ChannelReader.readFully(ch, head, 0, file);
      return head.array();
    }
  }

  /**
   * Walks the GIF's block structure (extensions, image descriptors, data sub-blocks) to the
   * trailer and counts the images; a length that runs past the file or an unknown block is an
   * error. ImageIO alone would silently stop at the first damaged block.
   */
  private static int countImages(Path file, byte[] header) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ChannelReader in = new ChannelReader(file, ch);
      in.seek(13 + ((header[10] & 0x80) != 0 ? 3 * (2 << (header[10] & 7)) : 0));
      int images = 0;
      while (true) {
        in.require(1, "GIF block");
        int block = in.u8();
        switch (block) {
          case 0x3B -> {
            return images;
          }
          case 0x21 -> {
            in.skip(1, "GIF extension label");
            skipSubBlocks(in);
          }
          case 0x2C -> {
            in.require(9, "GIF image descriptor");
            in.skip(8, "GIF image descriptor");
            int flags = in.u8();
            if ((flags & 0x80) != 0) in.skip(3L * (2 << (flags & 7)), "GIF local colour table");
            in.skip(1, "GIF LZW code size");
            skipSubBlocks(in);
            images++;
          }
          default -> throw new ClipFormatException(file, "corrupt GIF: unknown block 0x" + Integer.toHexString(block)
              + " at offset " + (in.position() - 1));
        }
      }
    }
  }

  private static void skipSubBlocks(ChannelReader in) throws IOException {
    while (true) {
      in.require(1, "GIF data sub-block");
      int length = in.u8();
      if (length == 0) return;
      in.skip(length, "GIF data sub-block");
    }
  }

  private static Image image(IIOMetadata metadata) {
    Node root = metadata.getAsTree(FORMAT);
    int left = 0, top = 0, width = 0, height = 0, disposal = 0, transparent = -1, delay = 0;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      NamedNodeMap a = n.getAttributes();
      if (n.getNodeName().equals("ImageDescriptor")) {
        left = intAttribute(a, "imageLeftPosition");
        top = intAttribute(a, "imageTopPosition");
        width = intAttribute(a, "imageWidth");
        height = intAttribute(a, "imageHeight");
      } else if (n.getNodeName().equals("GraphicControlExtension")) {
        disposal = switch (a.getNamedItem("disposalMethod").getNodeValue()) {
          case "restoreToBackgroundColor" -> 2;
          case "restoreToPrevious" -> 3;
          default -> 0;
        };
        if ("TRUE".equalsIgnoreCase(a.getNamedItem("transparentColorFlag").getNodeValue())) {
          transparent = intAttribute(a, "transparentColorIndex");
        }
        delay = intAttribute(a, "delayTime");
      }
    }
    return new Image(left, top, width, height, disposal, transparent, delay);
  }

  private static int intAttribute(NamedNodeMap a, String name) {
    return Integer.parseInt(a.getNamedItem(name).getNodeValue());
  }

  private static int rgb(byte[] table, int at) {
    return (table[at] & 0xFF) << 16 | (table[at + 1] & 0xFF) << 8 | (table[at + 2] & 0xFF);
  }

  private static boolean isGrey(byte[] table, int start, int entries) {
    for (int i = 0; i < entries; i++) {
      int at = start + 3 * i;
      if (table[at] != table[at + 1] || table[at + 1] != table[at + 2]) return false;
    }
    return true;
  }

  private static boolean isGrey(IndexColorModel icm) {
    for (int i = 0; i < icm.getMapSize(); i++) {
      if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) return false;
    }
    return true;
  }

  @Override
  protected void rewind() {
    java.util.Arrays.fill(canvas, background);
    saved = null;
    previous = null;
    next = 0;
  }

  @Override
  protected Frame decodeNext() throws IOException {
    int w = info.width(), h = info.height();
    if (previous != null) dispose(previous);
    int index = next++;
    Image im = images.get(index);
    if (im.disposal() == 3) saved = canvas.clone();
    BufferedImage picture;
    try {
      picture = reader.read(index);
    } catch (IOException | RuntimeException e) {
      throw new ClipFormatException(file, "GIF frame " + index + " cannot be decoded (" + e.getMessage() + ")", e);
    }
    if (!(picture.getColorModel() instanceof IndexColorModel icm)) {
      throw new ClipFormatException(file, "GIF frame " + index + " is not palette-coded");
    }
    int pw = Math.min(picture.getWidth(), im.width());
    int ph = Math.min(picture.getHeight(), im.height());
    int[] indices = picture.getRaster().getPixels(0, 0, pw, ph, (int[]) null);
    for (int y = 0; y < ph; y++) {
      int cy = im.top() + y;
      if (cy >= h) break;
      for (int x = 0; x < pw; x++) {
        int cx = im.left() + x;
        if (cx >= w) break;
        int i = indices[y * pw + x];
        if (i != im.transparent() && i < icm.getMapSize()) canvas[cy * w + cx] = icm.getRGB(i) & 0xFFFFFF;
      }
    }
    previous = im;
    return toFrame();
  }

  /** Applies {@code im}'s disposal method to the canvas. */
  private void dispose(Image im) {
    int w = info.width(), h = info.height();
    if (im.disposal() == 2) {
      for (int y = im.top(); y < Math.min(h, im.top() + im.height()); y++) {
        for (int x = im.left(); x < Math.min(w, im.left() + im.width()); x++) canvas[y * w + x] = background;
      }
    } else if (im.disposal() == 3 && saved != null) {
      System.arraycopy(saved, 0, canvas, 0, canvas.length);
    }
  }

  private Frame toFrame() {
    int c = info.channels();
    byte[] out = new byte[canvas.length * c];
    for (int p = 0; p < canvas.length; p++) {
      int rgb = canvas[p];
      if (c == 1) {
        out[p] = (byte) rgb;
      } else {
        out[3 * p] = (byte) (rgb >> 16);
        out[3 * p + 1] = (byte) (rgb >> 8);
        out[3 * p + 2] = (byte) rgb;
      }
    }
    return new Frame(info.width(), info.height(), c, out);
  }

  @Override
  public void close() throws IOException {
    reader.dispose();
    input.close();
  }
}
