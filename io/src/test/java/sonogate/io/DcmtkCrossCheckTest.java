package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our decoded pixels against DCMTK's (install it with scripts/setup-test-tools): IDENTICAL for
 * the lossless files, and codec-independent for YBR_FULL (our RLE decoding of the original equals
 * our reading of DCMTK's decompressed copy; our YCbCr-to-RGB rounding differs from DCMTK's by at
 * most 2). Skips visibly when DCMTK is not installed.
 */
class DcmtkCrossCheckTest {
  @TempDir Path dir;

  private static void requireDcmtk() {
    assumeTrue(TestData.onPath("dcm2pnm") && TestData.onPath("dcmdjpeg") && TestData.onPath("dcmdrle"),
        "DCMTK (dcm2pnm, dcmdjpeg, dcmdrle) not installed: run scripts/setup-test-tools; skipping cross-checks");
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8));
  }

  /** DCMTK's rendering of every frame as PPM/PGM pixel bytes. */
  private List<byte[]> dcmtkFrames(Path dicom, int frames) throws Exception {
    Path prefix = dir.resolve("ref");
    run("dcm2pnm", "+Fa", "+op", dicom.toString(), prefix.toString());
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      Path p = dir.resolve("ref." + i + ".ppm");
      if (!Files.exists(p)) p = dir.resolve("ref." + i + ".pgm");
      out.add(pnmPixels(Files.readAllBytes(p)));
    }
    return out;
  }

  /** The pixel bytes of a binary P5/P6 file with maxval 255. */
  static byte[] pnmPixels(byte[] all) {
    int pos = 0;
    int fields = 0;
    while (fields < 4) {
      while (Character.isWhitespace(all[pos])) pos++;
      if (all[pos] == '#') {
        while (all[pos] != '\n') pos++;
        continue;
      }
      while (!Character.isWhitespace(all[pos])) pos++;
      fields++;
    }
    return java.util.Arrays.copyOfRange(all, pos + 1, all.length);
  }

  /** DCMTK's decompressed copy (dcmdjpeg for JPEG, dcmdrle for RLE), in explicit VR little endian. */
  private Path decompressed(Path source, String tool) throws Exception {
    Path out = dir.resolve("plain-" + source.getFileName());
    run(tool, source.toString(), out.toString());
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cfd/dcm4che_US-PAL-8-10x-echo.dcm",
      "cfd/pydicom-data_US1_UNCR.dcm",
      "cfd/dcm4che_US-RGB-8-esopecho.dcm",
      "cfd/orthanc_PrivateTags_GE-LOGIQBook.dcm",
      "bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm",
      "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm"})
  void losslessPixelsAreIdentical(String name) throws Exception {
    Path file = TestData.file(name);
    requireDcmtk();
    // dcm2pnm cannot render lossless JPEG itself: compare with its decompressed copy
    Path rendered = name.contains("JPEGLossless") ? decompressed(file, "dcmdjpeg") : file;
    try (ClipReader r = ClipReaders.open(file)) {
      List<byte[]> reference = dcmtkFrames(rendered, r.info().frameCount());
      for (int i = 0; i < r.info().frameCount(); i++) {
        assertArrayEquals(reference.get(i), r.readFrame(i).samples(), name + " frame " + i);
      }
    }
  }

  @Test
  void ybrFullRleMatchesDcmtk() throws Exception {
    Path file = TestData.file("bmode-image/dcm4che_YBR_FULL-RLE.dcm");
    requireDcmtk();
    Path plain = decompressed(file, "dcmdrle");
    try (ClipReader ours = ClipReaders.open(file); ClipReader theirs = ClipReaders.open(plain)) {
      byte[] a = ours.readFrame(0).samples();
      assertArrayEquals(theirs.readFrame(0).samples(), a, "RLE decoding identical to DCMTK's");
      byte[] reference = dcmtkFrames(file, 1).get(0);
      int max = 0;
      for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] & 0xFF) - (reference[i] & 0xFF)));
      assertTrue(max <= 2, "YBR_FULL to RGB differs from DCMTK by " + max);
    }
  }

  @Test
  void jpegBaselineFromDcmcjpegMatchesDcmtkWithinLossyTolerance() throws Exception {
    requireDcmtk();
    assumeTrue(TestData.onPath("dcmcjpeg"), "dcmcjpeg not installed; skipping");
    byte[] rgb = new byte[64 * 48 * 3];
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        int p = 3 * (y * 64 + x);
        rgb[p] = (byte) (x < 32 ? 200 : 4 * x);
        rgb[p + 1] = (byte) (y * 5);
        rgb[p + 2] = (byte) (x < 32 ? 30 : 255 - 3 * y);
      }
    }
    Path plain = new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.6.1")
        .str(0x0008_0018, "UI", "1.2.3.4.5").str(0x0008_0060, "CS", "US").image(48, 64, 3, "RGB", 8)
        .us(0x0028_0006, 0).pixels("OB", rgb).write(dir.resolve("plain.dcm"));
    Path jpeg = dir.resolve("baseline.dcm");
    run("dcmcjpeg", "+eb", plain.toString(), jpeg.toString());
    try (ClipReader r = ClipReaders.open(jpeg)) {
      assertTrue(r.info().encoding().startsWith("1.2.840.10008.1.2.4.50"), r.info().encoding());
      byte[] ours = r.readFrame(0).samples();
      byte[] reference = dcmtkFrames(decompressed(jpeg, "dcmdjpeg"), 1).get(0); // dcmdjpeg converts YCbCr to RGB
      double sum = 0;
      for (int i = 0; i < ours.length; i++) sum += Math.abs((ours[i] & 0xFF) - (reference[i] & 0xFF));
      assertTrue(sum / ours.length < 2.0, "mean difference from DCMTK " + sum / ours.length + " (" + r.info().photometric() + ")");
      double orig = 0;
      for (int i = 0; i < ours.length; i++) orig += Math.abs((ours[i] & 0xFF) - (rgb[i] & 0xFF));
      assertTrue(orig / ours.length < 8.0, "mean difference from the original " + orig / ours.length);
    }
  }

  /** A smooth pattern with noise, {@code bits} deep, as native little-endian pixel data. */
  private static byte[] pattern(int w, int h, int spp, int bits, int frames) {
    int bytes = bits > 8 ? 2 : 1;
    byte[] out = new byte[w * h * spp * bytes * frames];
    java.util.Random random = new java.util.Random(bits * 31L + spp);
    int max = (1 << bits) - 1;
    int i = 0;
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < spp; c++) {
            double v = (0.5 + 0.4 * Math.sin((x + 3 * f) * 0.2 + c) * Math.cos(y * 0.15)) * max + random.nextGaussian() * max / 50;
            int s = (int) Math.max(0, Math.min(max, Math.round(v)));
            out[i++] = (byte) s;
            if (bytes == 2) out[i++] = (byte) (s >> 8);
          }
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "predictor {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void losslessJpegEveryPredictorAndDepthRoundTrips(int predictor) throws Exception {
    requireDcmtk();
    assumeTrue(TestData.onPath("dcmcjpeg"), "dcmcjpeg not installed; skipping");
    int[][] configs = {{1, 8, 1}, {3, 8, 3}, {1, 12, 1}, {1, 16, 2}}; // samples, bits stored, frames
    for (int[] c : configs) {
      int spp = c[0];
      int bits = c[1];
      int frames = c[2];
      int allocated = bits > 8 ? 16 : 8;
      DicomWriter w = new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.3.1")
          .str(0x0008_0018, "UI", "1.2.3.4.6").str(0x0008_0060, "CS", "US")
          .image(40, 56, spp, spp == 3 ? "RGB" : "MONOCHROME2", allocated, bits);
      if (spp == 3) w.us(0x0028_0006, 0);
      w.str(0x0028_0008, "IS", String.valueOf(frames));
      Path plain = w.pixels(allocated == 16 ? "OW" : "OB", pattern(56, 40, spp, bits, frames)).write(dir.resolve("plain.dcm"));
      Path jpeg = dir.resolve("lossless.dcm");
      Files.deleteIfExists(jpeg);
      run("dcmcjpeg", "+el", "+sv", String.valueOf(predictor), plain.toString(), jpeg.toString());
      try (ClipReader a = ClipReaders.open(plain); ClipReader b = ClipReaders.open(jpeg)) {
        assertTrue(b.info().encoding().startsWith("1.2.840.10008.1.2.4.57"), b.info().encoding());
        for (int f = 0; f < frames; f++) {
          assertArrayEquals(a.readFrame(f).samples(), b.readFrame(f).samples(), "predictor " + predictor + " spp " + spp + " bits " + bits + " frame " + f);
        }
      }
    }
  }

  @Test
  void losslessJpegPointTransformMatchesDcmdjpeg() throws Exception {
    requireDcmtk();
    assumeTrue(TestData.onPath("dcmcjpeg"), "dcmcjpeg not installed; skipping");
    Path plain = new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.3.1")
        .str(0x0008_0018, "UI", "1.2.3.4.7").image(40, 56, 1, "MONOCHROME2", 16, 12)
        .pixels("OW", pattern(56, 40, 1, 12, 1)).write(dir.resolve("plain-pt.dcm"));
    Path jpeg = dir.resolve("pt.dcm");
    run("dcmcjpeg", "+el", "+sv", "1", "+pt", "3", plain.toString(), jpeg.toString());
    try (ClipReader a = ClipReaders.open(decompressed(jpeg, "dcmdjpeg")); ClipReader b = ClipReaders.open(jpeg)) {
      assertArrayEquals(a.readFrame(0).samples(), b.readFrame(0).samples());
    }
  }
  /** The test's lossless encoder with restart markers, decoded by DCMTK: proves the encoder (and so SyntheticDicomTest's restart test) right. */
  @Test
  void losslessJpegWithRestartMarkersFromOurTestEncoderMatchesDcmdjpeg() throws Exception {
    requireDcmtk();
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    int w = 23, h = 11;
    for (int predictor : new int[] {1, 4, 7}) {
      int[] samples = new int[w * h];
      for (int i = 0; i < samples.length; i++) samples[i] = random.nextInt(256);
      byte[] jpeg = LosslessJpegEncoder.encode(samples, w, h, 1, 8, predictor, 2 * w);
      Path file = new DicomWriter("1.2.840.10008.1.2.4.57").str(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.6.1")
          .str(0x0008_0018, "UI", "1.2.3.4.9").image(h, w, 1, "MONOCHROME2", 8)
          .encapsulated(List.of(jpeg), false).write(dir.resolve("restart-" + predictor + ".dcm"));
      try (ClipReader dcmtk = ClipReaders.open(decompressed(file, "dcmdjpeg")); ClipReader ours = ClipReaders.open(file)) {
        byte[] want = new byte[samples.length];
        for (int i = 0; i < want.length; i++) want[i] = (byte) samples[i];
        assertArrayEquals(want, dcmtk.readFrame(0).samples(), "DCMTK decodes the test encoder's stream (seed " + seed + ")");
        assertArrayEquals(want, ours.readFrame(0).samples(), "and so do we");
      }
    }
  }
}
