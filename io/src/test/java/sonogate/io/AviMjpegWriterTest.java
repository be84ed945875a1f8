package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MJPEG AVI writer: the RIFF structure parsed here (headers, idx1 pointing at every frame
 * chunk), frames decoded by ImageIO and by ffmpeg (PSNR >= 40 dB against the written frames at
 * the default quality), ffprobe's frame count, size and rate.
 */
class AviMjpegWriterTest {
  @TempDir Path dir;
  static final long SEED = System.nanoTime();

  /** What the in-test RIFF parser found. */
  record Avi(int totalFrames, int width, int height, long rate, long scale, int microsPerFrame, String handler,
      List<byte[]> frames, int riffSize, long fileSize) {}

  /** Parses an AVI 1.0 file: avih, strh, strf, and the frames through idx1 (offsets from the movi fourcc). */
  static Avi parse(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", fourcc(all, 0));
    assertEquals("AVI ", fourcc(all, 8));
    int riffSize = b.getInt(4);
    int totalFrames = 0, width = 0, height = 0, micros = 0;
    long rate = 0, scale = 0;
    String handler = null;
    int movi = -1;
    int[] idx1 = null;
    // walk the top-level chunks and the lists inside them
    List<int[]> stack = new ArrayList<>();
    stack.add(new int[] {12, 8 + riffSize});
    while (!stack.isEmpty()) {
      int[] range = stack.remove(stack.size() - 1);
      for (int at = range[0]; at + 8 <= range[1]; ) {
        String id = fourcc(all, at);
        int size = b.getInt(at + 4);
        int data = at + 8;
        switch (id) {
          case "LIST" -> {
            String type = fourcc(all, data);
            if (type.equals("movi")) movi = data;
            else stack.add(new int[] {data + 4, data + size});
          }
          case "avih" -> {
            micros = b.getInt(data);
            totalFrames = b.getInt(data + 16);
            assertEquals(1, b.getInt(data + 24), "streams");
            width = b.getInt(data + 32);
            height = b.getInt(data + 36);
            assertEquals(0x10, b.getInt(data + 12) & 0x10, "AVIF_HASINDEX");
          }
          case "strh" -> {
            assertEquals("vids", fourcc(all, data));
            handler = fourcc(all, data + 4);
            scale = b.getInt(data + 20) & 0xFFFFFFFFL;
            rate = b.getInt(data + 24) & 0xFFFFFFFFL;
            assertEquals(totalFrames, b.getInt(data + 32), "strh dwLength");
          }
          case "strf" -> {
            assertEquals(40, b.getInt(data));
            assertEquals(width, b.getInt(data + 4));
            assertEquals(height, b.getInt(data + 8));
            assertEquals("MJPG", fourcc(all, data + 16));
          }
          case "idx1" -> {
            idx1 = new int[size / 4];
            for (int i = 0; i < idx1.length; i++) idx1[i] = b.getInt(data + 4 * i);
          }
          default -> { }
        }
        at = data + size + (size & 1);
      }
    }
    assertTrue(movi > 0, "movi list");
    assertTrue(idx1 != null, "idx1 index");
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < idx1.length; i += 4) {
      assertEquals("00dc", new String(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(idx1[i]).array(), StandardCharsets.US_ASCII));
      assertEquals(0x10, idx1[i + 1], "keyframe flag");
      int chunk = movi + idx1[i + 2];
      assertEquals("00dc", fourcc(all, chunk), "idx1 entry " + i / 4 + " points at a frame chunk");
      assertEquals(idx1[i + 3], b.getInt(chunk + 4), "idx1 length of frame " + i / 4);
      frames.add(java.util.Arrays.copyOfRange(all, chunk + 8, chunk + 8 + idx1[i + 3]));
    }
    return new Avi(totalFrames, width, height, rate, scale, micros, handler, frames, riffSize, all.length);
  }

  private static String fourcc(byte[] all, int at) {
    return new String(all, at, 4, StandardCharsets.US_ASCII);
  }

  static List<Frame> clip(int w, int h, int channels, int n) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) frames.add(TestFrames.frame(w, h, channels, i, SEED));
    return frames;
  }

  static Path write(Path out, List<Frame> frames, WriterOptions options) throws Exception {
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.AVI, false, options)) {
      for (Frame f : frames) w.write(f);
      assertFalse(Files.exists(out), "nothing at the target before commit");
      w.commit();
    }
    return out;
  }

  static byte[] samples(BufferedImage img, int channels) {
    int w = img.getWidth(), h = img.getHeight();
    byte[] s = new byte[w * h * channels];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (channels == 1) {
          s[y * w + x] = (byte) img.getRaster().getSample(x, y, 0);
        } else {
          int rgb = img.getRGB(x, y);
          int at = (y * w + x) * 3;
          s[at] = (byte) (rgb >> 16);
          s[at + 1] = (byte) (rgb >> 8);
          s[at + 2] = (byte) rgb;
        }
      }
    }
    return s;
  }

  @ParameterizedTest(name = "channels {0}")
  @ValueSource(ints = {1, 3})
  void structureAndFramesDecodedWithImageIo(int channels) throws Exception {
    System.out.println("AviMjpegWriterTest seed " + SEED);
    List<Frame> frames = clip(75, 43, channels, 7); // odd sizes: odd JPEG lengths get a pad byte
    Path out = write(dir.resolve("clip.avi"), frames, WriterOptions.DEFAULT.withFrameRate(13.16));
    Avi avi = parse(out);
    assertEquals(7, avi.totalFrames());
    assertEquals(75, avi.width());
    assertEquals(43, avi.height());
    assertEquals("MJPG", avi.handler());
    assertEquals(13.16, (double) avi.rate() / avi.scale(), 1e-9);
    assertEquals(Math.round(1e6 / 13.16), avi.microsPerFrame());
    assertEquals(avi.fileSize() - 8, avi.riffSize());
    assertEquals(7, avi.frames().size());
    for (int i = 0; i < 7; i++) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(avi.frames().get(i)));
      assertEquals(75, img.getWidth());
      assertEquals(43, img.getHeight());
      assertEquals(channels, img.getRaster().getNumBands());
      double psnr = FfmpegTool.psnr(frames.get(i).samples(), samples(img, channels));
      assertTrue(psnr >= 40, "frame " + i + " PSNR " + psnr + " dB (seed " + SEED + ")");
    }
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left");
    }
  }

  @Test
  void qualityIsConfigurable() throws Exception {
    List<Frame> frames = clip(64, 48, 3, 2);
    long low = Files.size(write(dir.resolve("low.avi"), frames, WriterOptions.DEFAULT.withJpegQuality(0.3f)));
    long high = Files.size(write(dir.resolve("high.avi"), frames, WriterOptions.DEFAULT.withJpegQuality(1f)));
    assertTrue(high > 1.5 * low, "quality 1 (" + high + " bytes) vs 0.3 (" + low + " bytes)");
  }

  @ParameterizedTest(name = "channels {0}")
  @ValueSource(ints = {1, 3})
  void ffmpegDecodesItAtPsnrAtLeast40(int channels) throws Exception {
    FfmpegTool.requireWithProbe();
    List<Frame> frames = clip(96, 64, channels, 9);
    Path out = write(dir.resolve("clip.avi"), frames, WriterOptions.DEFAULT.withFrameRate(31.28));
    Map<String, String> probe = FfmpegTool.probe(out);
    assertEquals("mjpeg", probe.get("codec_name"), probe.toString());
    assertEquals("96", probe.get("width"));
    assertEquals("64", probe.get("height"));
    assertEquals("9", probe.get("nb_read_frames"), probe.toString());
    assertEquals("782/25", probe.get("r_frame_rate"), probe.toString());
    List<byte[]> decoded = FfmpegTool.decode(out, 96, 64, channels);
    assertEquals(9, decoded.size());
    for (int i = 0; i < 9; i++) {
      double psnr = FfmpegTool.psnr(frames.get(i).samples(), decoded.get(i));
      assertTrue(psnr >= 40, "ffmpeg frame " + i + " PSNR " + psnr + " dB (seed " + SEED + ")");
    }
  }

  @Test
  void realPaletteEchoThroughFfmpeg() throws Exception {
    FfmpegTool.requireWithProbe();
    Path echo = TestData.file("cfd/dcm4che_US-PAL-8-10x-echo.dcm");
    List<Frame> frames = new ArrayList<>();
    double fps;
    try (ClipReader r = ClipReaders.open(echo)) {
      fps = r.info().frameRate();
      r.frames().forEachRemaining(frames::add);
    }
    Path out = write(dir.resolve("echo.avi"), frames, WriterOptions.DEFAULT.withFrameRate(fps));
    Map<String, String> probe = FfmpegTool.probe(out);
    assertEquals("10", probe.get("nb_read_frames"), probe.toString());
    String[] r = probe.get("r_frame_rate").split("/");
    assertEquals(fps, Double.parseDouble(r[0]) / Double.parseDouble(r[1]), 1e-3);
    List<byte[]> decoded = FfmpegTool.decode(out, 600, 430, 3);
    double worst = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 10; i++) worst = Math.min(worst, FfmpegTool.psnr(frames.get(i).samples(), decoded.get(i)));
    System.out.printf("palette echo as MJPEG AVI (quality %.2f): %d bytes, worst frame PSNR %.1f dB%n",
        WriterOptions.DEFAULT_JPEG_QUALITY, Files.size(out), worst);
    assertTrue(worst >= 40, "worst PSNR " + worst);
  }

  @Test
  void frameRateRationals() {
    assertArrayEquals(new long[] {30, 1}, AviMjpegWriter.rational(30));
    assertArrayEquals(new long[] {329, 25}, AviMjpegWriter.rational(13.16));
    assertArrayEquals(new long[] {2997, 100}, AviMjpegWriter.rational(29.97));
    assertArrayEquals(new long[] {1, 1000}, AviMjpegWriter.rational(1e-9)); // never a zero rate
  }

  @Test
  void unknownFrameRateIsTheDefault() throws Exception {
    Path out = write(dir.resolve("nofps.avi"), clip(16, 16, 1, 2), WriterOptions.DEFAULT);
    Avi avi = parse(out);
    assertEquals(WriterOptions.DEFAULT_FRAME_RATE, (double) avi.rate() / avi.scale(), 1e-12);
  }

  @Test
  void sizeLimitIsAnErrorAndLeavesNothing() throws Exception {
    Path out = dir.resolve("big.avi");
    try (AviMjpegWriter w = new AviMjpegWriter(out, WriterOptions.DEFAULT, 4000)) {
      java.io.IOException ex = assertThrows(java.io.IOException.class, () -> {
        for (int i = 0; i < 100; i++) w.write(TestFrames.frame(32, 32, 1, i, SEED));
      });
      assertTrue(ex.getMessage().contains("at most 4000 bytes"), ex.getMessage());
      assertTrue(w.count() > 0 && w.count() < 100, "frames before the limit: " + w.count());
    }
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count(), "nothing left behind");
    }
  }


  @Test
  void mixedFrameSizesAreRefused() throws Exception {
    try (FrameWriter w = FrameWriter.open(dir.resolve("mixed.avi"), FrameWriter.Format.AVI, false)) {
      w.write(TestFrames.frame(16, 16, 1, 0, SEED));
      assertThrows(IllegalArgumentException.class, () -> w.write(TestFrames.frame(16, 17, 1, 0, SEED)));
      assertThrows(IllegalArgumentException.class, () -> w.write(TestFrames.frame(16, 16, 3, 0, SEED)));
    }
  }
}
