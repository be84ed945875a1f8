package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Small DICOM files written by the test itself, one feature each, decoded exactly. */
class SyntheticDicomTest {
  @TempDir Path dir;

  static final int W = 16;
  static final int H = 8;

  static byte[] greyRamp(int frame) {
    byte[] b = new byte[W * H];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 2 + frame);
    return b;
  }

  static byte[] rgbPattern() {
    byte[] b = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) {
      b[3 * p] = (byte) (p * 2);
      b[3 * p + 1] = (byte) (255 - p);
      b[3 * p + 2] = (byte) (p % 7 * 30);
    }
    return b;
  }

  private ClipReader open(DicomWriter w, String name) throws Exception {
    return ClipReaders.open(w.write(dir.resolve(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {DicomWriter.IMPLICIT_LE, DicomWriter.EXPLICIT_LE, DicomWriter.EXPLICIT_BE, DicomWriter.DEFLATED_LE})
  void greyscaleInEveryNativeSyntax(String syntax) throws Exception {
    DicomWriter w = new DicomWriter(syntax).str(0x0008_0060, "CS", "US").image(H, W, 1, "MONOCHROME2", 8)
        .pixels("OB", greyRamp(0));
    try (ClipReader r = open(w, "grey.dcm")) {
      assertTrue(r.info().encoding().startsWith(syntax + " "), r.info().encoding());
      assertEquals("US", r.info().modality());
      assertEquals(1, r.info().channels());
      assertArrayEquals(greyRamp(0), r.readFrame(0).samples());
    }
  }

  @Test
  void bareImplicitDatasetWithoutPreamble() throws Exception {
    DicomWriter w = new DicomWriter(DicomWriter.IMPLICIT_LE).bare().str(0x0008_0060, "CS", "US")
        .image(H, W, 1, "MONOCHROME2", 8).pixels("OB", greyRamp(3));
    try (ClipReader r = open(w, "bare")) {
      assertEquals("DICOM", r.info().format());
      assertArrayEquals(greyRamp(3), r.readFrame(0).samples());
    }
  }

  @Test
  void bareExplicitDatasetWithoutPreamble() throws Exception {
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).bare().str(0x0008_0060, "CS", "US")
        .image(H, W, 1, "MONOCHROME2", 8).pixels("OB", greyRamp(1));
    try (ClipReader r = open(w, "bare-explicit.dcm")) {
      assertArrayEquals(greyRamp(1), r.readFrame(0).samples());
    }
  }

  @Test
  void bigEndianEightBitOwIsSwappedInPairs() throws Exception {
    byte[] pixels = greyRamp(0);
    byte[] swapped = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) swapped[i ^ 1] = pixels[i];
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_BE).image(H, W, 1, "MONOCHROME2", 8).pixels("OW", swapped);
    try (ClipReader r = open(w, "be-ow.dcm")) {
      assertArrayEquals(pixels, r.readFrame(0).samples());
    }
  }

  @Test
  void rgbInterleavedAndPlanar() throws Exception {
    byte[] rgb = rgbPattern();
    byte[] planar = new byte[rgb.length];
    int n = W * H;
    for (int p = 0; p < n; p++) for (int c = 0; c < 3; c++) planar[c * n + p] = rgb[3 * p + c];
    DicomWriter interleaved = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 3, "RGB", 8)
        .us(0x0028_0006, 0).pixels("OB", rgb);
    DicomWriter byPlane = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 3, "RGB", 8)
        .us(0x0028_0006, 1).pixels("OB", planar);
    try (ClipReader a = open(interleaved, "rgb0.dcm"); ClipReader b = open(byPlane, "rgb1.dcm")) {
      assertArrayEquals(rgb, a.readFrame(0).samples());
      assertArrayEquals(rgb, b.readFrame(0).samples());
      assertEquals(3, b.info().channels());
    }
  }

  @Test
  void monochrome1IsInverted() throws Exception {
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 1, "MONOCHROME1", 8).pixels("OB", greyRamp(0));
    try (ClipReader r = open(w, "mono1.dcm")) {
      byte[] got = r.readFrame(0).samples();
      byte[] ramp = greyRamp(0);
      for (int i = 0; i < got.length; i++) assertEquals(255 - (ramp[i] & 0xFF), got[i] & 0xFF);
      assertEquals("MONOCHROME1", r.info().photometric());
    }
  }

  static byte[] words(int[] values, boolean bigEndian) {
    byte[] b = new byte[2 * values.length];
    for (int i = 0; i < values.length; i++) {
      int hi = values[i] >> 8 & 0xFF;
      int lo = values[i] & 0xFF;
      b[2 * i] = (byte) (bigEndian ? hi : lo);
      b[2 * i + 1] = (byte) (bigEndian ? lo : hi);
    }
    return b;
  }

  @Test
  void sixteenBitWithoutWindowMapsTheStoredRange() throws Exception {
    int[] v = new int[W * H];
    for (int i = 0; i < v.length; i++) v[i] = i * 32; // 12-bit values 0..4064
    for (String syntax : List.of(DicomWriter.EXPLICIT_LE, DicomWriter.EXPLICIT_BE)) {
      DicomWriter w = new DicomWriter(syntax).image(H, W, 1, "MONOCHROME2", 16, 12).pixels("OW", words(v, syntax.equals(DicomWriter.EXPLICIT_BE)));
      try (ClipReader r = open(w, "w16.dcm")) {
        byte[] got = r.readFrame(0).samples();
        assertEquals(12, r.info().bitsStored());
        for (int i = 0; i < v.length; i++) assertEquals(Math.round(v[i] * 255.0 / 4095), got[i] & 0xFF, "sample " + i);
      }
    }
  }

  @Test
  void sixteenBitUsesTheVoiWindow() throws Exception {
    int[] v = {0, 999, 1000, 1500, 2000, 2001, 4095, 3000};
    DicomWriter w = new DicomWriter(DicomWriter.IMPLICIT_LE).image(1, v.length, 1, "MONOCHROME2", 16, 12)
        .str(0x0028_1050, "DS", "1500").str(0x0028_1051, "DS", "1000")
        .pixels("OW", words(v, false));
    try (ClipReader r = open(w, "window.dcm")) {
      byte[] got = r.readFrame(0).samples();
      assertEquals(0, got[0] & 0xFF);
      assertEquals(0, got[1] & 0xFF);
      assertEquals(128, got[3] & 0xFF, 1);
      assertEquals(255, got[5] & 0xFF);
      assertEquals(255, got[6] & 0xFF);
    }
  }

  @Test
  void signedSixteenBitWithRescale() throws Exception {
    int[] v = {-1000 & 0xFFFF, 0, 1000, -32768 & 0xFFFF, 32767};
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).us(0x0028_0002, 1).str(0x0028_0004, "CS", "MONOCHROME2")
        .us(0x0028_0010, 1).us(0x0028_0011, v.length).us(0x0028_0100, 16).us(0x0028_0101, 16).us(0x0028_0102, 15)
        .us(0x0028_0103, 1).str(0x0028_1052, "DS", "-1024").str(0x0028_1053, "DS", "1")
        .pixels("OW", words(v, false));
    try (ClipReader r = open(w, "signed.dcm")) {
      byte[] got = r.readFrame(0).samples();
      assertEquals(0, got[3] & 0xFF); // most negative stored value
      assertEquals(255, got[4] & 0xFF); // most positive
      assertTrue((got[0] & 0xFF) < (got[1] & 0xFF) && (got[1] & 0xFF) < (got[2] & 0xFF));
    }
  }

  @Test
  void ybrFull422SharesChromaBetweenPixelPairs() throws Exception {
    // two pixels per group: Y1 Y2 Cb Cr
    byte[] data = new byte[W * H * 2];
    for (int p = 0; p < W * H; p += 2) {
      data[2 * p] = (byte) (p);
      data[2 * p + 1] = (byte) (p + 1);
      data[2 * p + 2] = (byte) (p < W * H / 2 ? 128 : 90); // grey upper half, coloured lower half
      data[2 * p + 3] = (byte) (p < W * H / 2 ? 128 : 200);
    }
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 3, "YBR_FULL_422", 8).pixels("OB", data);
    try (ClipReader r = open(w, "ybr422.dcm")) {
      Frame f = r.readFrame(0);
      assertEquals("YBR_FULL_422", r.info().photometric());
      for (int p = 0; p < W * H / 2; p++) {
        for (int c = 0; c < 3; c++) assertEquals(p, f.samples()[3 * p + c] & 0xFF);
      }
      int p = W * H - 1; // Y = p, Cb = 90, Cr = 200
      byte[] expected = new byte[3];
      PixelMapper.ybrToRgb(p, 90, 200, expected, 0);
      for (int c = 0; c < 3; c++) assertEquals(expected[c], f.samples()[3 * p + c]);
      assertTrue((f.samples()[3 * p] & 0xFF) > (f.samples()[3 * p + 2] & 0xFF) + 100, "red");
    }
  }

  @Test
  void ybrFullGreyStaysGrey() throws Exception {
    byte[] data = new byte[W * H * 3];
    for (int p = 0; p < W * H; p++) {
      data[3 * p] = (byte) (p * 2);
      data[3 * p + 1] = (byte) 128;
      data[3 * p + 2] = (byte) 128;
    }
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 3, "YBR_FULL", 8).pixels("OB", data);
    try (ClipReader r = open(w, "ybr.dcm")) {
      byte[] s = r.readFrame(0).samples();
      for (int p = 0; p < W * H; p++) for (int c = 0; c < 3; c++) assertEquals(data[3 * p], s[3 * p + c]);
    }
  }

  private static int[] lut(int entries, java.util.function.IntUnaryOperator f) {
    int[] v = new int[entries];
    for (int i = 0; i < entries; i++) v[i] = f.applyAsInt(i);
    return v;
  }

  @Test
  void paletteColourEightBitIndices() throws Exception {
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 256, 0, 16).us(0x0028_1102, 256, 0, 16).us(0x0028_1103, 256, 0, 16)
        .ow(0x0028_1201, lut(256, i -> i << 8)).ow(0x0028_1202, lut(256, i -> (255 - i) << 8)).ow(0x0028_1203, lut(256, i -> 0x8000))
        .pixels("OB", greyRamp(0));
    try (ClipReader r = open(w, "pal8.dcm")) {
      Frame f = r.readFrame(0);
      assertEquals(3, f.channels());
      byte[] ramp = greyRamp(0);
      for (int p = 0; p < W * H; p++) {
        assertEquals(ramp[p] & 0xFF, f.sample(p % W, p / W, 0));
        assertEquals(255 - (ramp[p] & 0xFF), f.sample(p % W, p / W, 1));
        assertEquals(128, f.sample(p % W, p / W, 2));
      }
    }
  }

  @Test
  void paletteColourSixteenBitIndicesWithFirstMappedAndEightBitEntries() throws Exception {
    int[] idx = new int[W * H];
    for (int i = 0; i < idx.length; i++) idx[i] = 1000 + i * 3; // 1000..1381, some beyond the table
    DicomWriter w = new DicomWriter(DicomWriter.IMPLICIT_LE).image(H, W, 1, "PALETTE COLOR", 16)
        .us(0x0028_1101, 300, 1000, 8).us(0x0028_1102, 300, 1000, 8).us(0x0028_1103, 300, 1000, 8)
        .ow(0x0028_1201, lut(300, i -> i % 256)).ow(0x0028_1202, lut(300, i -> 7)).ow(0x0028_1203, lut(300, i -> 255 - i % 256))
        .pixels("OW", words(idx, false));
    try (ClipReader r = open(w, "pal16.dcm")) {
      Frame f = r.readFrame(0);
      assertEquals(0, f.sample(0, 0, 0));
      assertEquals(3 * 5, f.sample(5, 0, 0)); // index 1015 -> entry 15
      assertEquals(7, f.sample(5, 0, 1));
      assertEquals(299 % 256, f.sample(W - 1, H - 1, 0)); // beyond the table: clamped to the last entry
    }
  }

  @Test
  void segmentedPalette() throws Exception {
    // red: discrete 0,10 then linear to 100 over 9 entries -> 0,10,20..100 (11 entries)
    int[] red = {0, 2, 0, 10, 1, 9, 100};
    int[] green = {0, 11, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    int[] blue = {0, 1, 50, 1, 10, 50}; // discrete 50, then flat "linear" to 50 over 10
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(1, 11, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 11, 0, 8).us(0x0028_1102, 11, 0, 8).us(0x0028_1103, 11, 0, 8)
        .ow(0x0028_1221, red).ow(0x0028_1222, green).ow(0x0028_1223, blue)
        .pixels("OB", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0});
    try (ClipReader r = open(w, "segmented.dcm")) {
      Frame f = r.readFrame(0);
      for (int i = 0; i < 11; i++) {
        assertEquals(i * 10, f.sample(i, 0, 0), "red " + i);
        assertEquals(5, f.sample(i, 0, 1));
        assertEquals(50, f.sample(i, 0, 2));
      }
    }
  }

  @Test
  void rleMultiFrameRgbAndSixteenBitGrey() throws Exception {
    byte[] rgb = rgbPattern();
    int n = W * H;
    List<byte[]> fragments = new ArrayList<>();
    for (int frame = 0; frame < 3; frame++) {
      byte[][] planes = new byte[3][n];
      for (int p = 0; p < n; p++) for (int c = 0; c < 3; c++) planes[c][p] = (byte) (rgb[3 * p + c] + frame);
      fragments.add(DicomWriter.rle(planes));
    }
    DicomWriter w = new DicomWriter(DicomWriter.RLE).image(H, W, 3, "RGB", 8).str(0x0028_0008, "IS", "3")
        .encapsulated(fragments, true);
    try (ClipReader r = open(w, "rle.dcm")) {
      assertEquals(3, r.info().frameCount());
      for (int frame = 2; frame >= 0; frame--) {
        byte[] s = r.readFrame(frame).samples();
        for (int i = 0; i < s.length; i++) assertEquals((byte) (rgb[i] + frame), s[i]);
      }
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) v[i] = i * 512; // 16-bit
    byte[][] planes = new byte[2][n];
    for (int p = 0; p < n; p++) {
      planes[0][p] = (byte) (v[p] >> 8);
      planes[1][p] = (byte) v[p];
    }
    DicomWriter g = new DicomWriter(DicomWriter.RLE).image(H, W, 1, "MONOCHROME2", 16)
        .encapsulated(List.of(DicomWriter.rle(planes)), false);
    try (ClipReader r = open(g, "rle16.dcm")) {
      byte[] s = r.readFrame(0).samples();
      for (int i = 0; i < n; i++) assertEquals(Math.round(v[i] * 255.0 / 65535), s[i] & 0xFF, "sample " + i);
    }
  }

  static byte[] jpeg(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "jpeg", out));
    return out.toByteArray();
  }

  /**
   * Lossless JPEG with restart markers (DRI), every predictor, grey 12-bit and RGB 8-bit, from the
   * test's own encoder (cross-checked against DCMTK in DcmtkCrossCheckTest): decoded exactly.
   */
  @ParameterizedTest(name = "restart interval {0} rows")
  @ValueSource(ints = {0, 1, 3})
  void losslessJpegWithRestartMarkers(int rowsPerInterval) throws Exception {
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    int w = 23, h = 11;
    for (int predictor = 1; predictor <= 7; predictor++) {
      for (int[] c : new int[][] {{1, 12}, {3, 8}}) {
        int spp = c[0], bits = c[1];
        int[] samples = new int[w * h * spp];
        for (int i = 0; i < samples.length; i++) samples[i] = (int) Math.min((1 << bits) - 1, Math.abs(random.nextGaussian() * 300 + i % 97));
        byte[] jpeg = LosslessJpegEncoder.encode(samples, w, h, spp, bits, predictor, rowsPerInterval * w);
        int allocated = bits > 8 ? 16 : 8;
        DicomWriter dw = new DicomWriter(predictor == 1 ? "1.2.840.10008.1.2.4.70" : "1.2.840.10008.1.2.4.57")
            .image(h, w, spp, spp == 1 ? "MONOCHROME2" : "RGB", allocated, bits).encapsulated(List.of(jpeg), false);
        try (ClipReader r = open(dw, "lossless-" + predictor + "-" + spp + ".dcm")) {
          byte[] got = r.readFrame(0).samples();
          for (int i = 0; i < samples.length; i++) {
            int want = spp == 1 ? (int) Math.round(samples[i] * 255.0 / 4095) : samples[i];
            assertEquals(want, got[i] & 0xFF, "predictor " + predictor + " spp " + spp + " sample " + i + " (seed " + seed + ")");
          }
        }
      }
    }
  }

  @Test
  void jpegBaselineYbrFull422ComesOutAsRgb() throws Exception {
    BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) image.setRGB(x, y, x < 16 ? 0xC81E1E : 0x808080); // red left, grey right
    }
    byte[] frame = jpeg(image);
    DicomWriter w = new DicomWriter(DicomWriter.JPEG_BASELINE).image(16, 32, 3, "YBR_FULL_422", 8)
        .str(0x0028_0008, "IS", "2").encapsulated(List.of(frame, frame), true);
    try (ClipReader r = open(w, "jpeg.dcm")) {
      assertEquals("YBR_FULL_422", r.info().photometric());
      Frame f = r.readFrame(1);
      assertEquals(3, f.channels());
      assertEquals(0xC8, f.sample(4, 8, 0), 12);
      assertEquals(0x1E, f.sample(4, 8, 1), 12);
      assertEquals(0x1E, f.sample(4, 8, 2), 12);
      for (int c = 0; c < 3; c++) assertEquals(0x80, f.sample(28, 8, c), 4);
    }
  }

  @Test
  void jpegBaselineGrey() throws Exception {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) image.getRaster().setSample(x, y, 0, 100);
    DicomWriter w = new DicomWriter(DicomWriter.JPEG_BASELINE).image(H, W, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(jpeg(image)), false);
    try (ClipReader r = open(w, "jpeg-grey.dcm")) {
      Frame f = r.readFrame(0);
      assertEquals(1, f.channels());
      assertEquals(100, f.sample(3, 3, 0), 2);
    }
  }

  @Test
  void fiftyFrameNativeClipStreamsFrameByFrame() throws Exception {
    int frames = 50;
    byte[] all = new byte[frames * W * H];
    for (int f = 0; f < frames; f++) System.arraycopy(greyRamp(f), 0, all, f * W * H, W * H);
    DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).image(H, W, 1, "MONOCHROME2", 8)
        .str(0x0028_0008, "IS", "50").str(0x0018_1063, "DS", "40").pixels("OB", all);
    try (ClipReader r = open(w, "cine.dcm")) {
      assertEquals(50, r.info().frameCount());
      assertEquals(25.0, r.info().frameRate(), 1e-9);
      int i = 0;
      for (Iterator<Frame> it = r.frames(); it.hasNext(); i++) {
        Frame f = it.next();
        assertEquals(W * H, f.samples().length, "one frame at a time");
        assertArrayEquals(greyRamp(i), f.samples(), "frame " + i);
      }
      assertEquals(50, i);
      assertArrayEquals(greyRamp(49), r.readFrame(49).samples());
      assertArrayEquals(greyRamp(7), r.readFrame(7).samples());
    }
  }

  @Test
  void frameRateSources() throws Exception {
    record Case(String name, DicomWriter extra, double fps) {}
    List<Case> cases = List.of(
        new Case("frame-time", new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0018_0040, "IS", "10").str(0x0018_1063, "DS", "50"), 20),
        new Case("cine-rate", new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_2144, "IS", "12").str(0x0018_0040, "IS", "30"), 30),
        new Case("recommended", new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_2144, "IS", "12"), 12),
        new Case("vector", new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0018_1065, "DS", "0\\100\\100"), 10),
        new Case("none", new DicomWriter(DicomWriter.EXPLICIT_LE), Double.NaN));
    for (Case c : cases) {
      DicomWriter file = c.extra().image(H, W, 1, "MONOCHROME2", 8).str(0x0028_0008, "IS", "3")
          .pixels("OB", new byte[3 * W * H]);
      try (ClipReader r = open(file, c.name() + ".dcm")) {
        if (Double.isNaN(c.fps())) assertTrue(Double.isNaN(r.info().frameRate()), c.name());
        else assertEquals(c.fps(), r.info().frameRate(), 1e-9, c.name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void regionsAndSpacingAndNestedSequencesAreHandled(boolean undefinedLengths) throws Exception {
    for (String syntax : List.of(DicomWriter.EXPLICIT_LE, DicomWriter.IMPLICIT_LE)) {
      DicomWriter region = new DicomWriter(syntax).us(0x0018_6012, 1).us(0x0018_6014, 2).ul(0x0018_6016, 2)
          .ul(0x0018_6018, 3).ul(0x0018_601A, 4).ul(0x0018_601C, 12).ul(0x0018_601E, 7)
          .us(0x0018_6024, 3).us(0x0018_6026, 3).fd(0x0018_602C, 0.01).fd(0x0018_602E, 0.02);
      // a private sequence whose items look like an image: must not override the top-level values
      DicomWriter decoy = new DicomWriter(syntax).us(0x0028_0010, 64).us(0x0028_0011, 64)
          .sequence(0x0009_1011, undefinedLengths, new DicomWriter(syntax).str(0x0028_0004, "CS", "RGB"));
      DicomWriter w = new DicomWriter(syntax).sequence(0x0009_1010, undefinedLengths, decoy, decoy)
          .sequence(0x0018_6011, undefinedLengths, region, region)
          .image(H, W, 1, "MONOCHROME2", 8).str(0x0028_0030, "DS", "0.5\\0.25").pixels("OB", greyRamp(0));
      try (ClipReader r = open(w, "regions.dcm")) {
        ClipInfo info = r.info();
        assertEquals(W, info.width());
        assertEquals(H, info.height());
        assertEquals(2, info.regions().size());
        UltrasoundRegion g = info.regions().get(1);
        assertEquals(new UltrasoundRegion(1, 2, 2, 3, 4, 12, 7, 3, 3, 0.01, 0.02), g);
        assertEquals(10, g.width());
        assertEquals(0.25, info.pixelSpacingX(), 1e-12);
        assertEquals(0.5, info.pixelSpacingY(), 1e-12);
        assertArrayEquals(greyRamp(0), r.readFrame(0).samples());
      }
    }
  }
}
