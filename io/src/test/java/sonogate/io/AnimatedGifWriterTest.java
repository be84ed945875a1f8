package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The animated GIF writer, read back with ImageIO's GIF reader (frames, delays, the NETSCAPE2.0
 * loop extension) and with ffmpeg: grey frames exactly, colour frames within quantisation error.
 */
class AnimatedGifWriterTest {
  @TempDir Path dir;
  static final long SEED = System.nanoTime();

  /** One frame as ImageIO's GIF reader sees it. */
  record GifFrame(byte[] rgb, int delay, boolean loopsForever) {}

  static List<GifFrame> read(Path gif) throws Exception {
    List<GifFrame> out = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      int n = reader.getNumImages(true);
      for (int i = 0; i < n; i++) {
        BufferedImage img = reader.read(i);
        IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        boolean loops = false;
        var apps = root.getElementsByTagName("ApplicationExtension");
        for (int k = 0; k < apps.getLength(); k++) {
          IIOMetadataNode app = (IIOMetadataNode) apps.item(k);
          byte[] data = (byte[]) app.getUserObject();
          loops |= "NETSCAPE".equals(app.getAttribute("applicationID")) && "2.0".equals(app.getAttribute("authenticationCode"))
              && data.length == 3 && data[0] == 1 && data[1] == 0 && data[2] == 0;
        }
        out.add(new GifFrame(AviMjpegWriterTest.samples(img, 3), Integer.parseInt(gce.getAttribute("delayTime")), loops));
      }
      reader.dispose();
    }
    return out;
  }

  static Path write(Path out, List<Frame> frames, double fps) throws Exception {
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.GIF, false, WriterOptions.DEFAULT.withFrameRate(fps))) {
      for (Frame f : frames) w.write(f);
      w.commit();
    }
    return out;
  }

  static byte[] rgb(Frame grey) {
    byte[] s = new byte[grey.samples().length * 3];
    for (int i = 0; i < grey.samples().length; i++) s[3 * i] = s[3 * i + 1] = s[3 * i + 2] = grey.samples()[i];
    return s;
  }

  @Test
  void greyFramesAreExactWithDelaysAndLoop() throws Exception {
    System.out.println("AnimatedGifWriterTest seed " + SEED);
    List<Frame> frames = AviMjpegWriterTest.clip(41, 23, 1, 6);
    Path gif = write(dir.resolve("clip.gif"), frames, 30);
    List<GifFrame> back = read(gif);
    assertEquals(6, back.size());
    int total = 0;
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(rgb(frames.get(i)), back.get(i).rgb(), "frame " + i);
      total += back.get(i).delay();
    }
    assertTrue(back.get(0).loopsForever(), "NETSCAPE2.0 loop-forever extension on the first frame");
    assertEquals(20, total, "6 frames at 30 fps last 20 hundredths"); // delays 3,4,3,3,4,3
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left");
    }
  }

  @Test
  void delaysAverageToTheFrameRate() {
    for (double fps : new double[] {13.16, 25, 29.97, 31.28, 1}) {
      long sum = 0;
      for (int i = 0; i < 1000; i++) sum += AnimatedGifWriter.delay(i, fps);
      assertEquals(1000 * 100 / fps, sum, 1.0, "fps " + fps);
    }
    assertEquals(2, AnimatedGifWriter.delay(0, 120), "at least 2 hundredths");
  }

  @Test
  void ffmpegReadsItGreyExactlyColourWithinQuantisation() throws Exception {
    FfmpegTool.requireWithProbe();
    List<Frame> grey = AviMjpegWriterTest.clip(64, 48, 1, 5);
    Path g = write(dir.resolve("grey.gif"), grey, 20);
    Map<String, String> probe = FfmpegTool.probe(g);
    assertEquals("gif", probe.get("codec_name"));
    assertEquals("5", probe.get("nb_read_frames"), probe.toString());
    assertEquals("20/1", probe.get("avg_frame_rate"), probe.toString());
    List<byte[]> decoded = FfmpegTool.decode(g, 64, 48, 1);
    assertEquals(5, decoded.size());
    for (int i = 0; i < 5; i++) assertArrayEquals(grey.get(i).samples(), decoded.get(i), "frame " + i);

    List<Frame> colour = AviMjpegWriterTest.clip(64, 48, 3, 5);
    Path c = write(dir.resolve("colour.gif"), colour, 20);
    List<byte[]> rgb = FfmpegTool.decode(c, 64, 48, 3);
    assertEquals(5, rgb.size());
    List<GifFrame> imageio = read(c);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(imageio.get(i).rgb(), rgb.get(i), "ffmpeg and ImageIO agree on frame " + i);
      double psnr = FfmpegTool.psnr(colour.get(i).samples(), rgb.get(i));
      assertTrue(psnr >= 30, "256-colour frame " + i + " PSNR " + psnr + " (seed " + SEED + ")");
    }
  }

  @Test
  void realColourFrameQuantisation() throws Exception {
    Path echo = TestData.file("cfd/dcm4che_US-PAL-8-10x-echo.dcm");
    List<Frame> frames = new ArrayList<>();
    try (ClipReader r = ClipReaders.open(echo)) {
      for (int i = 0; i < 3; i++) frames.add(r.readFrame(i));
    }
    Path gif = write(dir.resolve("echo.gif"), frames, 13.16);
    List<GifFrame> back = read(gif);
    assertEquals(3, back.size());
    double worst = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 3; i++) worst = Math.min(worst, FfmpegTool.psnr(frames.get(i).samples(), back.get(i).rgb()));
    System.out.printf("palette echo as GIF: %d bytes for 3 frames, worst PSNR %.1f dB%n", Files.size(gif), worst);
    assertTrue(worst >= 30, "worst PSNR " + worst);
  }
}
