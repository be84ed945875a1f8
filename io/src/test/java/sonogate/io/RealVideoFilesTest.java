package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every video and GIF file of the shared data opens with the values its MANIFEST.md row states,
 * and (with ffmpeg installed) every decoded frame matches ffmpeg's decoding of the same file:
 * identical for GIF (lossless), PSNR >= 40 dB for H.264, MPEG-2 and MPEG-4 Part 2 (the YUV planes
 * are decoded exactly or within IDCT rounding; the YUV to RGB rounding differs by 1-2 levels). The
 * MPEG-4 AVI has video packets after whole stuffing bytes ({@link Mpeg4StuffingRewrite}). One pass
 * per file, because decoding is the slow part.
 */
class RealVideoFilesTest {
  private static final double MIN_PSNR = 40;

  @Test
  void ffmpegIsInstalledForTheCrossChecks() {
    FfmpegTool.require();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // file, format, encoding (prefix), frames, width, height, fps (MANIFEST, 2 decimals)
      "bmode-video/pocus_Reg_pat1Image_133410.mpeg, MPEG-PS, MPEG-2 video (Main), 183, 370, 370, 25",
      "bmode-video/pocus_Reg_Image_181739_trimmed_crop.mp4, MP4, H.264 High, 104, 386, 386, 29.03",
      "bmode-video/pocus_Reg_Image_18122_crop.mp4, MP4, H.264 High, 187, 208, 208, 19.1",
      "bmode-video/pocus_Cov-Atlas_45.gif, GIF, GIF, 21, 174, 174, 10",
      "bmode-video/pocus_Cov_convex_volpecelli_sonographic_v1.mov, QuickTime, H.264 High, 403, 450, 450, 39",
      "bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4, MP4, H.264 High, 25, 280, 280, 15",
      "bmode-video/pocus_Reg_recommendations_alines_mov1.mov, QuickTime, H.264 High, 180, 322, 322, 18",
      "bmode-video/pocus_Pneu_prospective_file3.mp4, MP4, H.264 High, 151, 260, 260, 25",
      "bmode-video/pocus_Pneu_northumbria_0409_set1_vid1.avi, AVI, MPEG-4 Part 2 (FMP4), 90, 516, 516, 22.25",
  })
  void opensWithManifestValuesAndMatchesFfmpeg(String name, String format, String encoding, int frames, int width, int height,
      double fps) throws Exception {
    Path file = TestData.file(name);
    try (ClipReader r = ClipReaders.open(file)) {
      ClipInfo info = r.info();
      assertEquals(format, info.format());
      assertTrue(info.encoding().startsWith(encoding), info.encoding());
      assertEquals(frames, info.frameCount());
      assertEquals(width, info.width());
      assertEquals(height, info.height());
      assertEquals(fps, info.frameRate(), 0.006);
      assertEquals(8, info.bitsStored());
      List<byte[]> reference = TestData.onPath("ffmpeg") ? FfmpegTool.decode(file, width, height, info.channels()) : null;
      if (reference != null) assertEquals(frames, reference.size(), "ffmpeg's frame count");
      boolean lossless = format.equals("GIF");
      int count = 0;
      for (Iterator<Frame> it = r.frames(); it.hasNext(); count++) {
        Frame f = it.next();
        assertEquals(width, f.width());
        assertEquals(height, f.height());
        assertEquals(info.channels(), f.channels());
        RealFilesTest.Stats s = RealFilesTest.Stats.of(f);
        assertTrue(s.mean() > 5 && s.mean() < 200 && s.sd() > 10, name + " frame " + count + " looks empty: " + s);
        if (reference != null && lossless) {
          assertArrayEquals(reference.get(count), f.samples(), name + " frame " + count + " differs from ffmpeg's");
        } else if (reference != null) {
          double psnr = FfmpegTool.psnr(reference.get(count), f.samples());
          assertTrue(psnr >= MIN_PSNR, name + " frame " + count + ": PSNR " + psnr + " dB against ffmpeg");
        }
      }
      assertEquals(frames, count);
    }
  }

  /** Random access (backwards too) returns the frames streaming returns: B-frame reordering and rewinds. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4", "bmode-video/pocus_Reg_pat1Image_133410.mpeg",
      "bmode-video/pocus_Cov-Atlas_45.gif"})
  void randomAccessMatchesStreaming(String name) throws Exception {
    try (ClipReader r = ClipReaders.open(TestData.file(name))) {
      List<byte[]> streamed = new ArrayList<>();
      r.frames().forEachRemaining(f -> streamed.add(f.samples()));
      int n = streamed.size();
      for (int i : new int[] {n - 1, 3, 6, 2, n / 2}) {
        assertArrayEquals(streamed.get(i), r.readFrame(i).samples(), name + " frame " + i);
      }
      assertThrows(IndexOutOfBoundsException.class, () -> r.readFrame(n));
    }
  }
}
