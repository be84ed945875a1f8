package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every DICOM and MetaImage file of the shared data opens with the values MANIFEST.md states. */
class RealFilesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // file, format, frames, width, height, channels, photometric, fps (0 = unknown), transfer syntax / encoding
      "cfd/dcm4che_US-PAL-8-10x-echo.dcm, DICOM, 10, 600, 430, 3, PALETTE COLOR, 13.16, 1.2.840.10008.1.2.5",
      "cfd/pydicom-data_US1_UNCR.dcm, DICOM, 1, 640, 480, 3, RGB, 0, 1.2.840.10008.1.2.1",
      "cfd/dcm4che_US-RGB-8-esopecho.dcm, DICOM, 1, 256, 120, 3, RGB, 0, 1.2.840.10008.1.2.1",
      "cfd/orthanc_PrivateTags_GE-LOGIQBook.dcm, DICOM, 1, 640, 480, 3, RGB, 0, 1.2.840.10008.1.2.1",
      "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm, DICOM, 2, 1024, 768, 3, RGB, 31.28, 1.2.840.10008.1.2.4.70",
      "bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm, DICOM, 1, 640, 480, 3, PALETTE COLOR, 0, 1.2.840.10008.1.2",
      "bmode-image/dcm4che_YBR_FULL-RLE.dcm, DICOM, 1, 640, 480, 3, YBR_FULL, 0, 1.2.840.10008.1.2.5",
      "bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm, DICOM, 1, 1024, 768, 1, MONOCHROME2, 0, 1.2.840.10008.1.2.4.70",
      "bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha, MetaImage, 5, 820, 616, 1, MONOCHROME2, 3.85, raw",
      "bmode-video/plus_SpinePhantomFreehand.igs.mha, MetaImage, 21, 820, 616, 1, MONOCHROME2, 10.84, zlib",
  })
  void opensWithManifestValues(String name, String format, int frames, int width, int height, int channels,
      String photometric, double fps, String encoding) throws Exception {
    Path file = TestData.file(name);
    try (ClipReader r = ClipReaders.open(file)) {
      ClipInfo info = r.info();
      assertEquals(format, info.format());
      assertEquals(frames, info.frameCount());
      assertEquals(width, info.width());
      assertEquals(height, info.height());
      assertEquals(channels, info.channels());
      assertEquals(photometric, info.photometric());
      assertTrue(info.encoding().startsWith(encoding), info.encoding());
      if (fps == 0) assertFalse(info.hasFrameRate(), "frame rate " + info.frameRate());
      else assertEquals(fps, info.frameRate(), 0.01);
      int count = 0;
      for (Iterator<Frame> it = r.frames(); it.hasNext(); count++) {
        Frame f = it.next();
        assertEquals(width, f.width());
        assertEquals(height, f.height());
        assertEquals(channels, f.channels());
        Stats s = Stats.of(f);
        assertTrue(s.mean > 5 && s.mean < 200 && s.sd > 10, name + " frame " + count + " looks empty: " + s);
      }
      assertEquals(frames, count);
    }
  }

  @Test
  void paletteEchoHasColourFlowInEveryFrame() throws Exception {
    try (ClipReader r = ClipReaders.open(TestData.file("cfd/dcm4che_US-PAL-8-10x-echo.dcm"))) {
      for (int i = 0; i < 10; i++) {
        Stats s = Stats.of(r.readFrame(i));
        assertTrue(s.strongColour > 2000, "frame " + i + " has too few coloured pixels: " + s);
        assertTrue(s.grey > s.strongColour, "frame " + i + " should still be mostly grey B-mode: " + s);
      }
    }
  }

  @Test
  void bModeFilesDecodeToGreyContent() throws Exception {
    for (String name : List.of("bmode-image/dcm4che_YBR_FULL-RLE.dcm",
        "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm",
        "bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm")) {
      try (ClipReader r = ClipReaders.open(TestData.file(name))) {
        Stats s = Stats.of(r.readFrame(r.info().frameCount() - 1));
        // text, calipers and ECG/markers may be coloured; the image itself is grey
        assertTrue(s.grey > 0.85 * s.pixels, name + " is not mostly grey: " + s);
      }
    }
  }

  @Test
  void losslessJpegStatisticsArePlausible() throws Exception {
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm"))) {
      Stats s = Stats.of(r.readFrame(0));
      assertEquals(17.26, s.mean, 0.5, s.toString());
      assertEquals(40.46, s.sd, 0.5, s.toString());
    }
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm"))) {
      for (int i = 0; i < 2; i++) {
        Stats s = Stats.of(r.readFrame(i));
        assertEquals(111.4, s.mean, 0.5, s.toString());
        assertEquals(117.5, s.sd, 0.5, s.toString());
      }
    }
  }

  @Test
  void ultrasoundRegionsAreParsed() throws Exception {
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm"))) {
      List<UltrasoundRegion> regions = r.info().regions();
      assertEquals(1, regions.size());
      UltrasoundRegion g = regions.get(0);
      assertEquals(1, g.spatialFormat());
      assertEquals(UltrasoundRegion.DATA_TISSUE, g.dataType());
      assertEquals(14, g.minX0());
      assertEquals(38, g.minY0());
      assertEquals(1010, g.maxX1());
      assertEquals(758, g.maxY1());
      assertEquals(UltrasoundRegion.UNITS_CM, g.unitsX());
      assertEquals(0.025476696592378154, g.deltaX(), 1e-15);
      assertEquals(0.025476696592378154, g.deltaY(), 1e-15);
    }
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm"))) {
      List<UltrasoundRegion> regions = r.info().regions();
      assertEquals(3, regions.size());
      assertEquals(32, regions.get(0).minX0());
      assertEquals(335, regions.get(0).maxX1());
      assertEquals(0.038265306502580643, regions.get(0).deltaX(), 1e-15);
    }
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-image/dcm4che_YBR_FULL-RLE.dcm"))) {
      assertEquals(2, r.info().regions().size());
      assertEquals(84, r.info().regions().get(1).minX0());
    }
  }

  @Test
  void mhaRandomAccessMatchesStreaming() throws Exception {
    try (ClipReader r = ClipReaders.open(TestData.file("bmode-video/plus_SpinePhantomFreehand.igs.mha"))) {
      List<byte[]> streamed = new ArrayList<>();
      r.frames().forEachRemaining(f -> streamed.add(f.samples()));
      for (int i : new int[] {20, 3, 0, 7}) {
        assertTrue(java.util.Arrays.equals(streamed.get(i), r.readFrame(i).samples()), "frame " + i);
      }
    }
  }

  /** Pixel statistics of a frame. */
  record Stats(long pixels, double mean, double sd, long grey, long strongColour) {
    static Stats of(Frame f) {
      byte[] b = f.samples();
      double sum = 0;
      double sq = 0;
      for (byte x : b) {
        sum += x & 0xFF;
        sq += (x & 0xFF) * (x & 0xFF);
      }
      double mean = sum / b.length;
      long pixels = (long) f.width() * f.height();
      long grey = f.channels() == 1 ? pixels : 0;
      long colour = 0;
      if (f.channels() == 3) {
        for (int i = 0; i < b.length; i += 3) {
          int r = b[i] & 0xFF;
          int g = b[i + 1] & 0xFF;
          int bl = b[i + 2] & 0xFF;
          int spread = Math.max(r, Math.max(g, bl)) - Math.min(r, Math.min(g, bl));
          if (spread <= 3) grey++;
          if (spread >= 60) colour++;
        }
      }
      return new Stats(pixels, mean, Math.sqrt(Math.max(0, sq / b.length - mean * mean)), grey, colour);
    }
  }
}
