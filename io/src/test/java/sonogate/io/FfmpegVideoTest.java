package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Synthetic videos made by ffmpeg from fresh ultrasound-like frames, in every format and codec
 * the readers support: each opens with the right metadata and every frame matches ffmpeg's own
 * decoding (identical for lossless codecs, PSNR >= 40 dB for lossy ones) and stays close to the
 * source (PSNR >= 28 dB, except for 256-colour formats: the decode is not merely consistent with
 * ffmpeg but right). Formats
 * the readers refuse give their one-line error. Skips when ffmpeg is not installed.
 */
class FfmpegVideoTest {
  private static final int W = 202; // odd multiple of 2: H.264 crops, MPEG pads
  private static final int H = 118;
  private static final int FRAMES = 13;

  @TempDir Path dir;
  private List<Frame> lastSource; // the frames the last encode() started from

  private Path encode(String name, boolean colour, long seed, String... codecArgs) throws Exception {
    FfmpegTool.require();
    List<Frame> source = SyntheticClips.frames(W, H, FRAMES, colour, seed);
    Path raw = SyntheticClips.writeRaw(source, dir.resolve("source.raw"));
    List<String> args = new ArrayList<>(List.of("-f", "rawvideo", "-pix_fmt", colour ? "rgb24" : "gray", "-s", W + "x" + H,
        "-r", "25", "-i", raw.toString()));
    if (name.endsWith(".mp4") || name.endsWith(".mpg")) {
      args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-shortest")); // an audio track to ignore
    }
    args.addAll(List.of(codecArgs));
    Path out = dir.resolve(name);
    args.add(out.toString());
    FfmpegTool.run(args.toArray(String[]::new));
    lastSource = source;
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      // file; ffmpeg codec arguments; format; encoding prefix; colour source; lossless; least PSNR against the
      // source (0: not checked, the 256-colour formats quantise the colours)
      "high.mp4; -c:v libx264 -profile:v high -bf 3 -pix_fmt yuv420p -c:a aac; MP4; H.264 High, BT.601 limited; true; false; 28",
      "main.mov; -c:v libx264 -profile:v main -bf 2 -pix_fmt yuv420p; QuickTime; H.264 Main; true; false; 28",
      "baseline.mp4; -c:v libx264 -profile:v baseline -pix_fmt yuv420p -c:a aac; MP4; H.264 Baseline; true; false; 28",
      "bt709full.mp4; -c:v libx264 -pix_fmt yuvj420p -colorspace bt709 -color_primaries bt709 -color_trc bt709 -c:a aac; MP4; H.264 High, BT.709 full; true; false; 28",
      "grey.mp4; -c:v libx264 -pix_fmt yuv420p -c:a aac; MP4; H.264 High; false; false; 28",
      "mpeg2.mpg; -c:v mpeg2video -bf 2 -g 6 -q:v 3 -c:a mp2 -f mpeg; MPEG-PS; MPEG-2 video (Main); true; false; 28",
      "mpeg1.m1v; -c:v mpeg1video -bf 1 -q:v 3 -f mpeg1video; MPEG video; MPEG-1 video; true; false; 28",
      "mpeg4.avi; -c:v mpeg4 -threads 1 -q:v 3; AVI; MPEG-4 Part 2 (FMP4); true; false; 28",
      "mpeg4-threads.avi; -c:v mpeg4 -threads 4 -q:v 3; AVI; MPEG-4 Part 2 (FMP4); true; false; 28",
      "mjpeg444.avi; -c:v mjpeg -q:v 2 -pix_fmt yuvj444p; AVI; Motion JPEG; true; false; 28",
      "mjpeg420.avi; -c:v mjpeg -q:v 2 -pix_fmt yuvj420p; AVI; Motion JPEG; true; false; 28",
      "bgr24.avi; -c:v rawvideo -pix_fmt bgr24; AVI; uncompressed 24-bit; true; true; 28",
      "bgra.avi; -c:v rawvideo -pix_fmt bgra; AVI; uncompressed 32-bit; true; true; 28",
      "pal8.avi; -c:v rawvideo -pix_fmt pal8; AVI; uncompressed 8-bit; true; true; 0",
      "gray.avi; -c:v rawvideo -pix_fmt gray; AVI; uncompressed Y800; false; true; 28",
      "anim.gif; -f gif; GIF; GIF; true; true; 0",
  })
  void decodesLikeFfmpeg(String name, String codecArgs, String format, String encoding, boolean colour, boolean lossless,
      double sourcePsnr) throws Exception {
    Path file = encode(name, colour, name.hashCode(), codecArgs.trim().split(" +"));
    assertDecodesLikeFfmpeg(file, name, format, encoding, lossless, sourcePsnr);
  }

  private void assertDecodesLikeFfmpeg(Path file, String name, String format, String encoding, boolean lossless,
      double sourcePsnr) throws Exception {
    try (ClipReader r = ClipReaders.open(file)) {
      ClipInfo info = r.info();
      assertEquals(format, info.format());
      assertTrue(info.encoding().startsWith(encoding), info.encoding());
      assertEquals(FRAMES, info.frameCount());
      assertEquals(W, info.width());
      assertEquals(H, info.height());
      assertEquals(25, info.frameRate(), 1e-6);
      List<byte[]> reference = FfmpegTool.decode(file, W, H, info.channels());
      assertEquals(FRAMES, reference.size(), "ffmpeg's frame count");
      for (int i = 0; i < FRAMES; i++) {
        Frame f = r.readFrame(i);
        assertEquals(info.channels(), f.channels());
        if (lossless) {
          assertArrayEquals(reference.get(i), f.samples(), name + " frame " + i);
        } else {
          double psnr = FfmpegTool.psnr(reference.get(i), f.samples());
          assertTrue(psnr >= 40, name + " frame " + i + ": PSNR " + psnr + " dB against ffmpeg");
        }
        Frame src = lastSource.get(i);
        if (sourcePsnr > 0 && src.channels() == f.channels()) {
          double vsSource = FfmpegTool.psnr(src.samples(), f.samples());
          assertTrue(vsSource >= sourcePsnr, name + " frame " + i + ": PSNR " + vsSource + " dB against the source");
        }
      }
    }
  }

  @Test
  void uncompressedAviEqualsTheSource() throws Exception {
    for (String pixelFormat : new String[] {"bgr24", "bgra"}) {
      Path file = encode(pixelFormat + ".avi", true, 7, "-c:v", "rawvideo", "-pix_fmt", pixelFormat);
      try (ClipReader r = ClipReaders.open(file)) {
        for (int i = 0; i < FRAMES; i++) assertArrayEquals(lastSource.get(i).samples(), r.readFrame(i).samples(), pixelFormat + " frame " + i);
      }
    }
    Path grey = encode("grey.avi", false, 8, "-c:v", "rawvideo", "-pix_fmt", "gray");
    try (ClipReader r = ClipReaders.open(grey)) {
      assertEquals(1, r.info().channels());
      for (int i = 0; i < FRAMES; i++) assertArrayEquals(lastSource.get(i).samples(), r.readFrame(i).samples(), "gray frame " + i);
    }
  }

  @Test
  void bFramesComeOutInDisplayOrderForRandomAccessToo() throws Exception {
    for (String[] codec : new String[][] {{"x.mp4", "-c:v", "libx264", "-bf", "3", "-pix_fmt", "yuv420p"},
        {"x.mpg", "-c:v", "mpeg2video", "-bf", "2", "-g", "6", "-f", "mpeg"}}) {
      Path file = encode(codec[0], true, 11, java.util.Arrays.copyOfRange(codec, 1, codec.length));
      try (ClipReader r = ClipReaders.open(file)) {
        List<byte[]> streamed = new ArrayList<>();
        r.frames().forEachRemaining(f -> streamed.add(f.samples()));
        for (int i = 0; i < FRAMES; i++) {
          // each decoded frame is closest to its own source frame: the order is the display order
          double own = FfmpegTool.psnr(lastSource.get(i).samples(), streamed.get(i));
          for (int j = Math.max(0, i - 2); j <= Math.min(FRAMES - 1, i + 2); j++) {
            if (j != i) assertTrue(own > FfmpegTool.psnr(lastSource.get(j).samples(), streamed.get(i)), codec[0] + " frame " + i + " vs source " + j);
          }
        }
        for (int i : new int[] {FRAMES - 1, 2, 5, 4, 0}) assertArrayEquals(streamed.get(i), r.readFrame(i).samples(), codec[0] + " frame " + i);
      }
    }
  }

  @Test
  void mpeg4ToolsJcodecGetsWrongAreRefusedByName() throws Exception {
    Path bFrames = encode("b.avi", true, 3, "-c:v", "mpeg4", "-threads", "1", "-bf", "1");
    BadInputTest.failure(bFrames, "unsupported MPEG-4 Part 2 feature: B-VOPs");
    Path qpel = encode("qpel.avi", true, 4, "-c:v", "mpeg4", "-threads", "1", "-flags", "+qpel");
    BadInputTest.failure(qpel, "unsupported MPEG-4 Part 2 feature: quarter-pixel motion compensation");
  }

  /**
   * Many small video packets: several end on a byte boundary, so a whole stuffing byte precedes
   * their resync marker (JCodec 0.2.5 alone would miss it; see {@link Mpeg4StuffingRewrite}).
   */
  @Test
  void mpeg4VideoPacketsAfterWholeStuffingBytesDecodeLikeFfmpeg() throws Exception {
    Path packets = encode("packets.avi", true, 5, "-c:v", "mpeg4", "-threads", "1", "-ps", "60", "-g", "4", "-q:v", "3");
    int wholeStuffingBytes = 0;
    try (FileChannel ch = FileChannel.open(packets, StandardOpenOption.READ)) {
      AviFile avi = AviFile.read(packets, ch);
      byte[] chunk = new byte[0];
      for (int i = 0; i < avi.frameCount(); i++) {
        chunk = AviReader.readChunk(packets, ch, avi, i, chunk);
        wholeStuffingBytes += Mpeg4StuffingRewrite.count(chunk, avi.size(i));
      }
    }
    assertTrue(wholeStuffingBytes > 0, "the clip should have whole stuffing bytes before resync markers");
    assertDecodesLikeFfmpeg(packets, "packets.avi", "AVI", "MPEG-4 Part 2 (FMP4)", false, 28);
  }

  @Test
  void unsupportedCodecsAreNamed() throws Exception {
    Path planarYuv = encode("yuv.avi", true, 6, "-c:v", "rawvideo", "-pix_fmt", "yuv420p");
    BadInputTest.failure(planarYuv, "unsupported AVI video codec 'I420'");
    Path mpeg4InMp4 = encode("mp4v.mp4", true, 9, "-c:v", "mpeg4");
    BadInputTest.failure(mpeg4InMp4, "unsupported MP4 video codec 'mp4v' (H.264 only)");
    Path interlaced = encode("tff.mp4", true, 10, "-c:v", "libx264", "-flags", "+ildct+ilme", "-vf", "pad=202:120", "-pix_fmt", "yuv420p");
    BadInputTest.failure(interlaced, "interlaced H.264");
    Path yuv422 = encode("yuv422.mp4", true, 12, "-c:v", "libx264", "-pix_fmt", "yuv422p");
    BadInputTest.failure(yuv422, "H.264 chroma format");
  }
}
