package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated, corrupt and lying files give a one-line {@link ClipFormatException} naming the file
 * and the problem: never an out-of-memory error, another exception type, or a hang.
 */
class BadInputTest {
  @TempDir Path dir;

  /** Opens the file and reads every frame; returns the format error's message. */
  static String failure(Path file, String expectedProblem) {
    ClipFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(ClipFormatException.class, () -> {
      try (ClipReader r = ClipReaders.open(file)) {
        for (int i = 0; i < r.info().frameCount(); i++) r.readFrame(i);
      }
    }, file.getFileName() + " should be rejected"));
    String m = e.getMessage();
    assertTrue(m.contains(file.getFileName().toString()), "message names the file: " + m);
    assertTrue(!m.contains("\n"), "one line: " + m);
    assertTrue(m.toLowerCase().contains(expectedProblem.toLowerCase()), "message '" + m + "' should mention '" + expectedProblem + "'");
    return m;
  }

  private Path cut(Path source, double fraction) throws Exception {
    byte[] all = Files.readAllBytes(source);
    Path out = dir.resolve("cut-" + (int) (fraction * 100) + "-" + source.getFileName());
    Files.write(out, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cfd/dcm4che_US-PAL-8-10x-echo.dcm",
      "cfd/pydicom-data_US1_UNCR.dcm",
      "bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm",
      "bmode-image/dcm4che_YBR_FULL-RLE.dcm",
      "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm",
      "bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha",
      "bmode-video/plus_SpinePhantomFreehand.igs.mha"})
  void truncatedCopiesOfRealFiles(String name) throws Exception {
    Path source = TestData.file(name);
    for (double fraction : new double[] {0.02, 0.5, 0.98}) {
      Path file = cut(source, fraction);
      ClipFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(ClipFormatException.class, () -> {
        try (ClipReader r = ClipReaders.open(file)) {
          for (int i = 0; i < r.info().frameCount(); i++) r.readFrame(i);
        }
      }, file.getFileName() + " should be rejected"));
      assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }
  }

  @Test
  void billionFramesOnATinyNativeFile() throws Exception {
    Path file = new DicomWriter(DicomWriter.EXPLICIT_LE).image(8, 8, 1, "MONOCHROME2", 8)
        .str(0x0028_0008, "IS", "1000000000").pixels("OB", new byte[64]).write(dir.resolve("billion.dcm"));
    failure(file, "declares 1000000000 frames");
  }

  @Test
  void billionFramesOnATinyEncapsulatedFile() throws Exception {
    Path file = new DicomWriter(DicomWriter.RLE).image(8, 8, 1, "MONOCHROME2", 8).str(0x0028_0008, "IS", "1000000000")
        .encapsulated(List.of(DicomWriter.rle(new byte[][] {new byte[64]})), false).write(dir.resolve("billion-rle.dcm"));
    failure(file, "declares 1000000000 frames");
  }

  @Test
  void hugeImageSizeOnATinyFile() throws Exception {
    Path file = new DicomWriter(DicomWriter.EXPLICIT_LE).image(65535, 65535, 3, "RGB", 16)
        .pixels("OB", new byte[64]).write(dir.resolve("huge.dcm"));
    failure(file, "larger than supported");
  }

  @Test
  void pixelDataLengthBeyondTheFile() throws Exception {
    byte[] bytes = new DicomWriter(DicomWriter.EXPLICIT_LE).image(8, 8, 1, "MONOCHROME2", 8).pixels("OB", new byte[64]).toBytes();
    Path file = dir.resolve("short.dcm");
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    failure(file, "truncated");
  }

  @Test
  void zeroFrames() throws Exception {
    Path file = new DicomWriter(DicomWriter.EXPLICIT_LE).image(8, 8, 1, "MONOCHROME2", 8)
        .str(0x0028_0008, "IS", "0").pixels("OB", new byte[64]).write(dir.resolve("zero.dcm"));
    failure(file, "zero frames");
    Path mha = dir.resolve("zero.mha");
    Files.writeString(mha, "ObjectType = Image\nNDims = 3\nDimSize = 4 4 0\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n");
    failure(mha, "zero frames");
  }

  @Test
  void unsupportedTransferSyntaxIsNamed() throws Exception {
    Path j2k = new DicomWriter("1.2.840.10008.1.2.4.90").image(8, 8, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(new byte[16]), false).write(dir.resolve("j2k.dcm"));
    failure(j2k, "unsupported transfer syntax 1.2.840.10008.1.2.4.90 (JPEG 2000 Lossless)");
    Path jls = new DicomWriter("1.2.840.10008.1.2.4.80").image(8, 8, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(new byte[16]), false).write(dir.resolve("jls.dcm"));
    failure(jls, "unsupported transfer syntax 1.2.840.10008.1.2.4.80 (JPEG-LS Lossless)");
    Path unknown = new DicomWriter("1.2.3.4").image(8, 8, 1, "MONOCHROME2", 8).pixels("OB", new byte[64]).write(dir.resolve("unknown.dcm"));
    failure(unknown, "unsupported transfer syntax 1.2.3.4 (unknown)");
  }

  @Test
  void wrongChannelCounts() throws Exception {
    Path dcm = new DicomWriter(DicomWriter.EXPLICIT_LE).image(8, 8, 3, "MONOCHROME2", 8)
        .pixels("OB", new byte[192]).write(dir.resolve("channels.dcm"));
    failure(dcm, "wrong channel count");
    Path mha = dir.resolve("channels.mha");
    Files.write(mha, concat("ObjectType = Image\nNDims = 2\nDimSize = 2 2\nElementNumberOfChannels = 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", new byte[16]));
    failure(mha, "wrong channel count");
  }

  @Test
  void garbageBytes() throws Exception {
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);
    failure(Files.write(dir.resolve("noise.bin"), noise), "unrecognised format");
    failure(Files.write(dir.resolve("noise.dcm"), noise), "not a DICOM file");
    failure(Files.write(dir.resolve("noise.mha"), noise), "MetaImage");
    failure(Files.write(dir.resolve("empty.dcm"), new byte[0]), "empty file");
    byte[] dicm = noise.clone(); // preamble + DICM, then noise
    System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicm, 128, 4);
    failure(Files.write(dir.resolve("dicm-noise.dcm"), dicm), "");
  }

  @Test
  void corruptCompressedFrames() throws Exception {
    byte[] junk = new byte[200];
    new Random(1).nextBytes(junk);
    junk[0] = (byte) 0xFF;
    junk[1] = (byte) 0xD8;
    Path lossless = new DicomWriter("1.2.840.10008.1.2.4.70").image(8, 8, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(junk), false).write(dir.resolve("lossless-junk.dcm"));
    failure(lossless, "");
    Path baseline = new DicomWriter(DicomWriter.JPEG_BASELINE).image(8, 8, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(junk), false).write(dir.resolve("baseline-junk.dcm"));
    failure(baseline, "JPEG frame 0");
    Path rle = new DicomWriter(DicomWriter.RLE).image(8, 8, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(junk), false).write(dir.resolve("rle-junk.dcm"));
    failure(rle, "RLE frame 0");
    Path deflated = dir.resolve("deflated-junk.dcm");
    byte[] good = new DicomWriter(DicomWriter.DEFLATED_LE).image(8, 8, 1, "MONOCHROME2", 8).pixels("OB", new byte[64]).toBytes();
    byte[] bad = java.util.Arrays.copyOf(good, good.length);
    for (int i = bad.length - 20; i < bad.length; i++) bad[i] = (byte) 0xFF;
    Files.write(deflated, bad);
    failure(deflated, "");
  }

  @Test
  void lyingMetaImages() throws Exception {
    Path raw = dir.resolve("lying.mha");
    Files.write(raw, concat("ObjectType = Image\nNDims = 3\nDimSize = 64 64 1000000000\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", new byte[100]));
    failure(raw, "declares 1000000000 frames");
    Path zlib = dir.resolve("lying-zlib.mha");
    Files.write(zlib, concat("NDims = 3\nDimSize = 64 64 1000\nElementType = MET_UCHAR\nCompressedData = True\nCompressedDataSize = 99999999\nElementDataFile = LOCAL\n", new byte[100]));
    failure(zlib, "CompressedDataSize");
    Path noEnd = dir.resolve("noend.mha");
    Files.writeString(noEnd, "ObjectType = Image\nNDims = 2\nDimSize = 4 4\n");
    failure(noEnd, "without ElementDataFile");
    Path type = dir.resolve("float.mha");
    Files.write(type, concat("NDims = 2\nDimSize = 2 2\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n", new byte[16]));
    failure(type, "unsupported ElementType");
    Path short4 = dir.resolve("short-zlib.mha");
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (var d = new java.util.zip.DeflaterOutputStream(z)) {
      d.write(new byte[16 * 3]);
    }
    Files.write(short4, concat("NDims = 3\nDimSize = 4 4 5\nElementType = MET_UCHAR\nCompressedData = True\nElementDataFile = LOCAL\n", z.toByteArray()));
    failure(short4, "zlib data ends");
  }

  static byte[] concat(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = java.util.Arrays.copyOf(h, h.length + data.length);
    System.arraycopy(data, 0, out, h.length, data.length);
    return out;
  }
}
