package sonogate.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Animated (or still) GIF: images decoded by {@link GifLzw} and composited onto the logical
 * screen as GIF89a says. The canvas starts as the background colour (global colour table entry;
 * black without one); each image paints its non-transparent pixels; then its disposal method
 * applies before the next image: 0/1 keep, 2 restore its rectangle to the background colour, 3
 * restore the canvas as it was before the image. Frame rate: frames / total delay, where a delay
 * under 2/100 s counts as 10/100 s (what browsers and ffmpeg do). Frames are grey when every
 * colour table is grey, else RGB.
 *
 * <p>Not the JDK's ImageIO GIF reader: it de-interlaces images of 2 to 4 rows wrongly (JDK 25,
 * found by {@code GifTest}) and stops silently at damaged blocks.
 *
 * <p>Known difference from ffmpeg: for disposal 2 on an image with a transparent colour ffmpeg
 * clears to its "transparent" fill (white with alpha 0, white once alpha is dropped); this reader
 * clears to the background colour, as the specification says.
 */
final class GifReader extends SequentialClipReader {
  private final Path file;
  private final FileChannel channel;
  private final ChannelReader in;
  private final GifFile gif;
  private final int[] canvas;
  private int[] saved;
  private int next;
  private GifFile.Image previous;

  private GifReader(Path file, FileChannel channel, GifFile gif, ClipInfo info) throws IOException {
    super(info);
    this.file = file;
    this.channel = channel;
    this.in = new ChannelReader(file, channel);
    this.gif = gif;
    this.canvas = new int[info.width() * info.height()];
    rewind();
  }

  static GifReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      GifFile gif = GifFile.read(file, channel);
      if ((long) gif.width * gif.height > DicomReader.MAX_PIXELS) {
        throw new ClipFormatException(file, "GIF screen of " + gif.width + "x" + gif.height + " pixels is larger than supported");
      }
      boolean grey = gif.globalPalette == null || isGrey(gif.globalPalette);
      long delay = 0;
      for (GifFile.Image im : gif.images) {
        grey &= isGrey(im.palette());
        delay += im.delay() < 2 ? 10 : im.delay();
      }
      int count = gif.images.size();
      ClipInfo info = new ClipInfo(file, "GIF", grey ? "GIF (grey palette)" : "GIF", "", count, gif.width, gif.height,
          grey ? 1 : 3, grey ? "MONOCHROME2" : "PALETTE COLOR", 8, count * 100.0 / delay, Double.NaN, Double.NaN, List.of());
      return new GifReader(file, channel, gif, info);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static boolean isGrey(int[] palette) {
    for (int rgb : palette) {
      if ((rgb >> 16 & 0xFF) != (rgb >> 8 & 0xFF) || (rgb >> 8 & 0xFF) != (rgb & 0xFF)) return false;
    }
    return true;
  }

  @Override
  protected void rewind() {
    java.util.Arrays.fill(canvas, gif.background());
    saved = null;
    previous = null;
    next = 0;
  }

  @Override
  protected Frame decodeNext() throws IOException {
    if (previous != null) dispose(previous);
    int index = next++;
    GifFile.Image im = gif.images.get(index);
    if (im.disposal() == 3) saved = canvas.clone();
    in.seek(im.dataStart());
    byte[] indices = GifLzw.decode(file, in, im.width() * im.height(), index);
    int w = info.width(), h = info.height();
    int[] palette = im.palette();
    for (int row = 0; row < im.height(); row++) {
      int y = im.top() + (im.interlaced() ? interlacedRow(row, im.height()) : row);
      if (y >= h) continue;
      for (int x = 0; x < im.width(); x++) {
        int cx = im.left() + x;
        if (cx >= w) break;
        int i = indices[row * im.width() + x] & 0xFF;
        if (i != im.transparent() && i < palette.length) canvas[y * w + cx] = palette[i];
      }
    }
    previous = im;
    return toFrame();
  }

  /** The image row stored as the {@code n}-th row of interlaced data (passes: every 8th from 0, 8th from 4, 4th from 2, 2nd from 1). */
  static int interlacedRow(int n, int height) {
    int[][] passes = {{0, 8}, {4, 8}, {2, 4}, {1, 2}};
    for (int[] p : passes) {
      int rows = (height - p[0] + p[1] - 1) / p[1];
      if (rows < 0) rows = 0;
      if (n < rows) return p[0] + n * p[1];
      n -= rows;
    }
    throw new IllegalArgumentException("row " + n + " of " + height);
  }

  /** Applies {@code im}'s disposal method to the canvas. */
  private void dispose(GifFile.Image im) {
    int w = info.width(), h = info.height();
    if (im.disposal() == 2) {
      for (int y = im.top(); y < Math.min(h, im.top() + im.height()); y++) {
        for (int x = im.left(); x < Math.min(w, im.left() + im.width()); x++) canvas[y * w + x] = gif.background();
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
    channel.close();
  }
}
