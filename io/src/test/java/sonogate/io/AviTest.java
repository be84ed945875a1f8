package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AVI files written by the test's own RIFF writer from fresh random frames: every uncompressed
 * layout decodes to exactly the source pixels, MJPEG to ImageIO's decoding of each JPEG (with or
 * without Huffman tables), empty chunks repeat the previous frame, and broken files fail with a
 * one-line error.
 */
class AviTest {
  @TempDir Path dir;
  /** Fresh frames and palettes: the assertions are exact round trips that hold for any draw; the seed is printed. */
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);

  {
    System.out.println("AviTest seed " + seed);
  }
  private static final int W = 33; // odd: 24-bit rows need padding
  private static final int H = 17;

  private List<Frame> source(boolean colour) {
    return SyntheticClips.frames(W, H, 5, colour, random.nextLong());
  }

  /** Rows of {@code bytesPerPixel} samples each (BGR order for colour), padded to 4 bytes, in file order. */
  private static byte[] dib(Frame f, int bytesPerPixel, boolean bottomUp, boolean pad) {
    int stride = pad ? (f.width() * bytesPerPixel + 3) & ~3 : f.width() * bytesPerPixel;
    byte[] out = new byte[stride * f.height()];
    for (int y = 0; y < f.height(); y++) {
      int row = (bottomUp ? f.height() - 1 - y : y) * stride;
      for (int x = 0; x < f.width(); x++) {
        int o = row + x * bytesPerPixel;
        if (bytesPerPixel == 1) {
          out[o] = (byte) f.sample(x, y, 0);
        } else {
          out[o] = (byte) f.sample(x, y, 2);
          out[o + 1] = (byte) f.sample(x, y, 1);
          out[o + 2] = (byte) f.sample(x, y, 0);
          if (bytesPerPixel == 4) out[o + 3] = (byte) 0x7F;
        }
      }
    }
    return out;
  }

  private void assertFrames(Path file, List<Frame> expected, int channels, String photometric) throws Exception {
    try (ClipReader r = ClipReaders.open(file)) {
      assertEquals("AVI", r.info().format());
      assertEquals(expected.size(), r.info().frameCount());
      assertEquals(W, r.info().width());
      assertEquals(H, r.info().height());
      assertEquals(channels, r.info().channels());
      assertEquals(photometric, r.info().photometric());
      for (int i = expected.size() - 1; i >= 0; i--) {
        assertArrayEquals(expected.get(i).samples(), r.readFrame(i).samples(), file.getFileName() + " frame " + i);
      }
    }
  }

  @Test
  void uncompressedLayoutsDecodeExactly() throws Exception {
    List<Frame> rgb = source(true);
    AviWriter bottomUp24 = new AviWriter(null, W, H, 24);
    AviWriter topDown32 = new AviWriter(null, W, -H, 32);
    AviWriter unpadded24 = new AviWriter(null, W, H, 24);
    for (Frame f : rgb) {
      bottomUp24.frame(dib(f, 3, true, true));
      topDown32.frame(dib(f, 4, false, true));
      unpadded24.frame(dib(f, 3, true, false));
    }
    assertFrames(bottomUp24.write(dir.resolve("bgr24.avi")), rgb, 3, "RGB");
    assertFrames(topDown32.write(dir.resolve("bgrx32.avi")), rgb, 3, "RGB");
    assertFrames(unpadded24.write(dir.resolve("unpadded.avi")), rgb, 3, "RGB");

    List<Frame> grey = source(false);
    int[] greyPalette = new int[256];
    for (int i = 0; i < 256; i++) greyPalette[i] = i * 0x010101;
    AviWriter pal = new AviWriter(null, W, H, 8).palette(greyPalette);
    AviWriter y800 = new AviWriter("Y800", W, H, 8);
    for (Frame f : grey) {
      pal.frame(dib(f, 1, true, true));
      y800.frame(dib(f, 1, false, false));
    }
    assertFrames(pal.write(dir.resolve("grey-palette.avi")), grey, 1, "MONOCHROME2");
    assertFrames(y800.write(dir.resolve("y800.avi")), grey, 1, "MONOCHROME2");
  }

  @Test
  void colourPaletteIsLookedUp() throws Exception {
    int[] palette = new int[16];
    for (int i = 0; i < palette.length; i++) palette[i] = random.nextInt(1 << 24);
    AviWriter w = new AviWriter(null, W, H, 8).palette(palette);
    List<Frame> expected = new java.util.ArrayList<>();
    for (int k = 0; k < 3; k++) {
      byte[] indices = new byte[((W + 3) & ~3) * H];
      byte[] rgb = new byte[W * H * 3];
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int i = random.nextInt(palette.length);
          indices[(H - 1 - y) * ((W + 3) & ~3) + x] = (byte) i;
          rgb[(y * W + x) * 3] = (byte) (palette[i] >> 16);
          rgb[(y * W + x) * 3 + 1] = (byte) (palette[i] >> 8);
          rgb[(y * W + x) * 3 + 2] = (byte) palette[i];
        }
      }
      w.frame(indices);
      expected.add(new Frame(W, H, 3, rgb));
    }
    assertFrames(w.write(dir.resolve("palette.avi")), expected, 3, "PALETTE COLOR");
  }

  private static byte[] jpeg(Frame f) throws Exception {
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < f.height(); y++) {
      for (int x = 0; x < f.width(); x++) img.setRGB(x, y, f.sample(x, y, 0) << 16 | f.sample(x, y, 1) << 8 | f.sample(x, y, 2));
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(img, null, null), p);
    }
    writer.dispose();
    return out.toByteArray();
  }

  /** The JPEG without its DHT segments (as "AVI1" MJPEG writers store frames). */
  private static byte[] withoutHuffmanTables(byte[] jpeg) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    int pos = 2;
    while (true) {
      int marker = jpeg[pos + 1] & 0xFF;
      if (marker == 0xDA) break;
      int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
      if (marker != 0xC4) out.write(jpeg, pos, 2 + length);
      pos += 2 + length;
    }
    out.write(jpeg, pos, jpeg.length - pos);
    return out.toByteArray();
  }

  private static byte[] imageIoRgb(byte[] jpeg) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
    byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
    for (int p = 0, y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++, p += 3) {
        int rgb = img.getRGB(x, y);
        out[p] = (byte) (rgb >> 16);
        out[p + 1] = (byte) (rgb >> 8);
        out[p + 2] = (byte) rgb;
      }
    }
    return out;
  }

  @Test
  void mjpegWithAndWithoutHuffmanTables() throws Exception {
    List<Frame> src = source(true);
    AviWriter full = new AviWriter("MJPG", W, H, 24);
    AviWriter stripped = new AviWriter("MJPG", W, H, 24).interleaved();
    List<Frame> expected = new java.util.ArrayList<>();
    for (Frame f : src) {
      byte[] j = jpeg(f);
      byte[] bare = withoutHuffmanTables(j);
      assertTrue(bare.length < j.length - 100, "the tables were removed");
      full.frame(j);
      stripped.frame(bare);
      expected.add(new Frame(W, H, 3, imageIoRgb(j)));
    }
    assertFrames(full.write(dir.resolve("mjpeg.avi")), expected, 3, "RGB");
    assertFrames(stripped.write(dir.resolve("mjpeg-avi1.avi")), expected, 3, "RGB");
    try (ClipReader r = ClipReaders.open(dir.resolve("mjpeg.avi"))) {
      for (int i = 0; i < src.size(); i++) {
        double psnr = FfmpegTool.psnr(src.get(i).samples(), r.readFrame(i).samples());
        assertTrue(psnr > 25, "frame " + i + " PSNR against the source " + psnr); // noisy 33x17 frames, 4:2:0
      }
    }
  }

  @Test
  void emptyChunksRepeatThePreviousFrameAndTheRateIsRateOverScale() throws Exception {
    List<Frame> rgb = source(true);
    AviWriter w = new AviWriter(null, W, H, 24).rate(30000, 1001).interleaved();
    w.frame(new byte[0]); // a dropped frame before the first one: not a frame
    w.frame(dib(rgb.get(0), 3, true, true)).frame(new byte[0]).frame(new byte[0]).frame(dib(rgb.get(1), 3, true, true));
    Path file = w.write(dir.resolve("dropped.avi"));
    try (ClipReader r = ClipReaders.open(file)) {
      assertEquals(4, r.info().frameCount());
      assertEquals(29.97, r.info().frameRate(), 0.001);
      assertArrayEquals(rgb.get(0).samples(), r.readFrame(2).samples(), "random access to a repeated frame");
      List<Frame> expected = List.of(rgb.get(0), rgb.get(0), rgb.get(0), rgb.get(1));
      for (int i = 0; i < 4; i++) assertArrayEquals(expected.get(i).samples(), r.readFrame(i).samples(), "frame " + i);
    }
  }

  @Test
  void brokenFilesGiveOneLineErrors() throws Exception {
    Frame f = source(true).get(0);
    byte[] good = new AviWriter(null, W, H, 24).frame(dib(f, 3, true, true)).frame(dib(f, 3, true, true)).toBytes();
    BadInputTest.failure(java.nio.file.Files.write(dir.resolve("short.avi"), java.util.Arrays.copyOf(good, good.length - 40)), "truncated");
    byte[] lying = good.clone();
    int movi = indexOf(lying, "00dc");
    java.nio.ByteBuffer.wrap(lying, movi + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
    BadInputTest.failure(java.nio.file.Files.write(dir.resolve("lying.avi"), lying), "declares 2147483632 bytes");
    BadInputTest.failure(new AviWriter(null, W, H, 24).write(dir.resolve("empty.avi")), "zero video frames");
    BadInputTest.failure(new AviWriter("H264", W, H, 24).frame(new byte[10]).write(dir.resolve("h264.avi")), "unsupported AVI video codec 'H264'");
    BadInputTest.failure(new AviWriter(null, W, H, 16).frame(new byte[W * H * 2]).write(dir.resolve("rgb555.avi")), "16 bits per pixel");
    BadInputTest.failure(new AviWriter(null, W, H, 24).frame(new byte[100]).write(dir.resolve("small.avi")), "frame 0 holds 100 bytes");
    BadInputTest.failure(new AviWriter(null, 70000, 70000, 24).frame(new byte[10]).write(dir.resolve("huge.avi")), "larger than supported");
    BadInputTest.failure(new AviWriter("MJPG", W, H, 24).frame(new byte[] {1, 2, 3, 4, 5}).write(dir.resolve("notjpeg.avi")), "MJPEG");
    byte[] junk = new byte[300];
    random.nextBytes(junk);
    junk[0] = (byte) 0xFF;
    junk[1] = (byte) 0xD8;
    BadInputTest.failure(new AviWriter("MJPG", W, H, 24).frame(junk).write(dir.resolve("junk.avi")), "MJPEG frame 0 cannot be decoded");
  }

  private static int indexOf(byte[] data, String s) {
    byte[] p = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + p.length <= data.length; i++) {
      for (int k = 0; k < p.length; k++) if (data[i + k] != p[k]) continue outer;
      return i;
    }
    throw new IllegalArgumentException(s);
  }
}
