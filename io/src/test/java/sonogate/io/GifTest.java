package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Animated GIFs written with ImageIO from random palettes and pixels: partial frames at offsets,
 * transparency, local colour tables and the three disposal methods composite as GIF89a says
 * (checked against a straightforward per-pixel model of the canvas, and against ffmpeg when it
 * is installed); interlaced images of every row count de-interlace; frame delays give the frame
 * rate; damaged files fail with a one-line error.
 */
class GifTest {
  private static final String FORMAT = "javax_imageio_gif_image_1.0";
  private static final int W = 40;
  private static final int H = 30;

  @TempDir Path dir;
  /** Fresh frames and palettes: the assertions are exact round trips that hold for any draw; the seed is printed. */
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  {
    System.out.println("GifTest seed " + seed);
  }

  /** One image of the animation. */
  private record Part(int left, int top, int width, int height, int[] palette, byte[] indices, int transparent, String disposal,
      int delay, boolean interlaced) {}

  private Part part(int left, int top, int width, int height, boolean transparent, String disposal, int delay) {
    int[] palette = new int[16];
    for (int i = 0; i < palette.length; i++) palette[i] = random.nextInt(1 << 24);
    byte[] indices = new byte[width * height];
    for (int i = 0; i < indices.length; i++) indices[i] = (byte) random.nextInt(16);
    return new Part(left, top, width, height, palette, indices, transparent ? 3 : -1, disposal, delay, false);
  }

  private Path write(List<Part> parts, Path file) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (Part p : parts) {
        byte[] r = new byte[16], g = new byte[16], b = new byte[16];
        for (int i = 0; i < 16; i++) {
          r[i] = (byte) (p.palette()[i] >> 16);
          g[i] = (byte) (p.palette()[i] >> 8);
          b[i] = (byte) p.palette()[i];
        }
        IndexColorModel icm = new IndexColorModel(4, 16, r, g, b);
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_INDEXED, icm);
        img.getRaster().setDataElements(0, 0, p.width(), p.height(), p.indices());
        IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), null);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode descriptor = child(root, "ImageDescriptor");
        descriptor.setAttribute("imageLeftPosition", Integer.toString(p.left()));
        descriptor.setAttribute("imageTopPosition", Integer.toString(p.top()));
        descriptor.setAttribute("interlaceFlag", p.interlaced() ? "TRUE" : "FALSE");
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", p.disposal());
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", p.transparent() >= 0 ? "TRUE" : "FALSE");
        gce.setAttribute("transparentColorIndex", Integer.toString(Math.max(0, p.transparent())));
        gce.setAttribute("delayTime", Integer.toString(p.delay()));
        meta.setFromTree(FORMAT, root);
        writer.writeToSequence(new IIOImage(img, null, meta), null);
      }
      writer.endWriteSequence();
    }
    writer.dispose();
    return file;
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equals(name)) return (IIOMetadataNode) root.item(i);
    }
    IIOMetadataNode n = new IIOMetadataNode(name);
    root.appendChild(n);
    return n;
  }

  /** The canvases a viewer shows, modelled pixel by pixel. */
  private static List<int[]> expected(List<Part> parts, int background) {
    List<int[]> frames = new ArrayList<>();
    int[] canvas = new int[W * H];
    java.util.Arrays.fill(canvas, background);
    for (Part p : parts) {
      int[] before = canvas.clone();
      for (int y = 0; y < p.height(); y++) {
        for (int x = 0; x < p.width(); x++) {
          int i = p.indices()[y * p.width() + x];
          if (i != p.transparent() && p.top() + y < H && p.left() + x < W) canvas[(p.top() + y) * W + p.left() + x] = p.palette()[i];
        }
      }
      frames.add(canvas.clone());
      if (p.disposal().equals("restoreToPrevious")) canvas = before;
      if (p.disposal().equals("restoreToBackgroundColor")) {
        for (int y = p.top(); y < Math.min(H, p.top() + p.height()); y++) {
          for (int x = p.left(); x < Math.min(W, p.left() + p.width()); x++) canvas[y * W + x] = background;
        }
      }
    }
    return frames;
  }

  private static byte[] rgb(int[] canvas) {
    byte[] out = new byte[canvas.length * 3];
    for (int i = 0; i < canvas.length; i++) {
      out[3 * i] = (byte) (canvas[i] >> 16);
      out[3 * i + 1] = (byte) (canvas[i] >> 8);
      out[3 * i + 2] = (byte) canvas[i];
    }
    return out;
  }

  @Test
  void disposalTransparencyAndOffsetsComposite() throws Exception {
    for (boolean transparentDisposed : new boolean[] {false, true}) {
      List<Part> parts = List.of(
          part(0, 0, W, H, false, "none", 5),
          part(5, 4, 10, 8, true, "restoreToPrevious", 10),
          part(20, 10, 12, 6, transparentDisposed, "restoreToBackgroundColor", 0), // delay 0 counts as 10
          part(0, 0, 4, 4, false, "doNotDispose", 20),
          part(30, 20, 10, 10, true, "none", 10));
      Path file = write(parts, dir.resolve("anim.gif"));
      List<int[]> expected = expected(parts, background(file));
      try (ClipReader r = ClipReaders.open(file)) {
        assertEquals("GIF", r.info().format());
        assertEquals(parts.size(), r.info().frameCount());
        assertEquals(W, r.info().width());
        assertEquals(H, r.info().height());
        assertEquals(3, r.info().channels());
        assertEquals(5 * 100.0 / (5 + 10 + 10 + 20 + 10), r.info().frameRate(), 1e-9);
        for (int i = 0; i < parts.size(); i++) assertArrayEquals(rgb(expected.get(i)), r.readFrame(i).samples(), "frame " + i);
        assertArrayEquals(rgb(expected.get(1)), r.readFrame(1).samples(), "frame 1 again (rewind)");
        // ffmpeg clears a disposed image with a transparent colour to white (see GifReader): compare the other case
        if (!transparentDisposed && TestData.onPath("ffmpeg")) {
          List<byte[]> reference = FfmpegTool.decode(file, W, H, 3);
          assertEquals(parts.size(), reference.size());
          for (int i = 0; i < parts.size(); i++) assertArrayEquals(reference.get(i), r.readFrame(i).samples(), "ffmpeg, frame " + i);
        }
      }
    }
  }

  /** The background colour the file declares (global colour table entry), black without one. */
  private static int background(Path file) throws Exception {
    byte[] header = Files.readAllBytes(file);
    if ((header[10] & 0x80) == 0) return 0;
    int at = 13 + 3 * (header[11] & 0xFF);
    return (header[at] & 0xFF) << 16 | (header[at + 1] & 0xFF) << 8 | (header[at + 2] & 0xFF);
  }

  /** The JDK's own GIF reader gets 2 to 4 interlaced rows wrong; ours must not. */
  @Test
  void interlacedImagesOfEveryRowCount() throws Exception {
    for (int height : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, H}) {
      Part p = part(0, 0, W, height, false, "none", 10);
      Part interlaced = new Part(0, 0, W, height, p.palette(), p.indices(), -1, "none", 10, true);
      try (ClipReader plain = ClipReaders.open(write(List.of(p), dir.resolve("plain.gif")));
           ClipReader inter = ClipReaders.open(write(List.of(interlaced), dir.resolve("interlaced.gif")))) {
        assertArrayEquals(plain.readFrame(0).samples(), inter.readFrame(0).samples(), height + " rows");
        if (TestData.onPath("ffmpeg")) {
          assertArrayEquals(FfmpegTool.decode(dir.resolve("interlaced.gif"), W, height, 3).get(0), inter.readFrame(0).samples(), "ffmpeg, " + height + " rows");
        }
      }
    }
  }

  @Test
  void greyPalettesGiveGreyFrames() throws Exception {
    int[] grey = new int[16];
    for (int i = 0; i < 16; i++) grey[i] = (i * 17) * 0x010101;
    byte[] indices = new byte[W * H];
    for (int i = 0; i < indices.length; i++) indices[i] = (byte) random.nextInt(16);
    Path file = write(List.of(new Part(0, 0, W, H, grey, indices, -1, "none", 4, false)), dir.resolve("grey.gif"));
    try (ClipReader r = ClipReaders.open(file)) {
      assertEquals(1, r.info().channels());
      assertEquals("MONOCHROME2", r.info().photometric());
      assertEquals(25, r.info().frameRate(), 1e-9);
      byte[] f = r.readFrame(0).samples();
      for (int i = 0; i < f.length; i++) assertEquals(indices[i] * 17, f[i] & 0xFF);
    }
  }

  @Test
  void brokenGifsGiveOneLineErrors() throws Exception {
    Path file = write(List.of(part(0, 0, W, H, false, "none", 5), part(0, 0, W, H, false, "none", 5)), dir.resolve("ok.gif"));
    byte[] all = Files.readAllBytes(file);
    BadInputTest.failure(Files.write(dir.resolve("cut.gif"), java.util.Arrays.copyOf(all, all.length - 30)), "truncated");
    byte[] bad = all.clone();
    bad[bad.length - 1] = 0x55; // an unknown block where the trailer was
    BadInputTest.failure(Files.write(dir.resolve("bad.gif"), bad), "corrupt GIF");
    BadInputTest.failure(Files.write(dir.resolve("empty.gif"), "GIF89a\u0028\u0000\u001e\u0000\u0000\u0000\u0000;".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), "zero frames");
  }

  /** Found by FuzzTest: 65535 x 65535 overflowed {@code int} and reached the LZW decoder as a negative size. */
  @Test
  void imageDescriptorTooLargeIsRefused() throws Exception {
    Path file = write(List.of(part(0, 0, W, H, false, "none", 5)), dir.resolve("ok.gif"));
    byte[] all = Files.readAllBytes(file);
    byte[] descriptor = {0x2C, 0, 0, 0, 0, W, 0, H, 0};
    int at = indexOf(all, descriptor);
    assertTrue(at > 0, "image descriptor not found");
    for (int i = 5; i < 9; i++) all[at + i] = (byte) 0xFF;
    BadInputTest.failure(Files.write(dir.resolve("huge.gif"), all), "larger than supported");
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int k = 0; k < pattern.length; k++) if (data[i + k] != pattern[k]) continue outer;
      return i;
    }
    return -1;
  }
}
