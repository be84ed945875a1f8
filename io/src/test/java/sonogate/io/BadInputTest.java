package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @ParameterizedTest
  @ValueSource(strings = {"bmode-image/hc18_000_HC.png", "bmode-image/busi_benign_1.png"})
  void truncatedCopiesOfRealImagesInAFolder(String name) throws Exception {
    Path source = TestData.file(name);
    for (double fraction : new double[] {0.02, 0.5, 0.98}) {
      Path folder = Files.createDirectory(dir.resolve("frames-" + (int) (fraction * 100)));
      Files.copy(cut(source, fraction), folder.resolve("frame.png"));
      failure(folder, "frame.png");
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

  // ---- found by FuzzTest or by reading the readers for it; one test per bug ----

  @Test
  void messagesStayOneShortLineWhateverTheFileHolds() throws Exception {
    Path uid = new DicomWriter("1.2.840.\n\r\u0000\u0085garbage").image(8, 8, 1, "MONOCHROME2", 8)
        .pixels("OB", new byte[64]).write(dir.resolve("uid.dcm"));
    String m = failure(uid, "unsupported transfer syntax 1.2.840.");
    assertTrue(!m.contains("\r") && !m.contains("\u0000") && !m.contains("\u0085"), m);
    Path type = dir.resolve("type.mha");
    Files.writeString(type, "ObjectType = Im\rage" + "x".repeat(100_000) + "\nNDims = 2\nElementDataFile = LOCAL\n");
    m = failure(type, "not an image: ObjectType 'Im?agexxx");
    assertTrue(m.length() < ClipFormatException.MAX_PROBLEM_CHARS + type.toString().length() + 10, "cut short: " + m.length() + " chars");
  }

  @Test
  void metaImageDataFileThatIsMissingOrNotAName() throws Exception {
    String head = "NDims = 2\nDimSize = 2 2\nElementType = MET_UCHAR\nElementDataFile = ";
    failure(Files.writeString(dir.resolve("missing.mhd"), head + "missing.raw\n"), "the data file named by ElementDataFile does not exist: 'missing.raw'");
    Files.createDirectory(dir.resolve("folder.raw"));
    failure(Files.writeString(dir.resolve("folder.mhd"), head + "folder.raw\n"), "does not exist");
    Files.write(dir.resolve("nul.mhd"), (head + "a\u0000b.raw\n").getBytes(StandardCharsets.ISO_8859_1));
    failure(dir.resolve("nul.mhd"), "is not a valid file name");
  }

  @Test
  void metaImageHugeSidesDoNotOverflow() throws Exception {
    Path mha = dir.resolve("overflow.mha"); // 2^32 x 2^32 = 2^64 overflows a long to 0
    Files.write(mha, concat("NDims = 2\nDimSize = 4294967296 4294967296\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", new byte[16]));
    failure(mha, "larger than supported");
  }

  @Test
  void metaImageZlibTooShortForItsFrames() throws Exception {
    byte[] z = MetaImageTest.zlib(new byte[64]);
    Path mha = dir.resolve("bomb.mha");
    Files.write(mha, concat("NDims = 3\nDimSize = 4096 4096 100\nElementType = MET_UCHAR\nCompressedData = True\nCompressedDataSize = "
        + z.length + "\nElementDataFile = LOCAL\n", z));
    failure(mha, "cannot hold them");
  }

  /** A PNG whose IHDR says {@code w x h} (CRC fixed), whatever its data holds. */
  static byte[] pngClaiming(int w, int h) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", out);
    byte[] png = out.toByteArray();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png); // big endian; IHDR data at 16..28, its CRC at 29
    b.putInt(16, w).putInt(20, h);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return png;
  }

  @Test
  void imageFolderFramesThatLieOrAreCut() throws Exception {
    Path huge = Files.createDirectory(dir.resolve("huge"));
    Files.write(huge.resolve("a.png"), pngClaiming(30000, 30000));
    failure(huge, "larger than supported");
    Path lying = Files.createDirectory(dir.resolve("lying"));
    Files.write(lying.resolve("a.png"), pngClaiming(8000, 4000)); // 32 M pixels in ~80 bytes
    failure(lying, "bytes can hold");
    Path cutPng = Files.createDirectory(dir.resolve("cutpng"));
    byte[] png = FuzzSamples.synthetic(new Random(3)).stream().filter(s -> s.name().equals("folder-grey-png")).findFirst().orElseThrow().bytes();
    Files.write(cutPng.resolve("a.png"), java.util.Arrays.copyOf(png, png.length * 2 / 3));
    failure(cutPng, "a.png");
    Path cutJpeg = Files.createDirectory(dir.resolve("cutjpeg"));
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, new Random(x * 64 + y).nextInt());
    byte[] jpeg = SyntheticDicomTest.jpeg(img);
    Files.write(cutJpeg.resolve("a.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    failure(cutJpeg, "truncated");
    Path sizes = Files.createDirectory(dir.resolve("sizes"));
    Files.write(sizes.resolve("a.png"), pngOf(8, 8));
    Files.write(sizes.resolve("b.png"), pngOf(9, 8));
    failure(sizes, "b.png: is 9x8, the folder's first frame 8x8");
  }

  private static byte[] pngOf(int w, int h) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", out);
    return out.toByteArray();
  }

  @Test
  void losslessJpegWhoseFrameHeaderLies() throws Exception {
    int[] samples = new int[16 * 12];
    byte[] jpeg = LosslessJpegEncoder.encode(samples, 16, 12, 1, 8, 1, 0);
    // SOF3 at 2: FF C3, length (2), precision (1), height (2) at 7, width (2) at 9
    byte[] big = jpeg.clone();
    big[7] = big[8] = big[9] = big[10] = (byte) 0x75; // 30069 x 30069
    Path header = new DicomWriter("1.2.840.10008.1.2.4.70").image(12, 16, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(big), false).write(dir.resolve("sof-lies.dcm"));
    failure(header, "JPEG frame is 30069x30069x1 but the header says 16x12x1");
    byte[] both = jpeg.clone(); // 4096 x 4096 in both headers, ~100 bytes of data
    both[7] = both[9] = 0x10;
    both[8] = both[10] = 0;
    Path tiny = new DicomWriter("1.2.840.10008.1.2.4.70").image(4096, 4096, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(both), false).write(dir.resolve("tiny-lossless.dcm"));
    failure(tiny, "cannot be in");
  }

  @Test
  void losslessJpegCutShortIsAnErrorNotMadeUpSamples() throws Exception {
    Random r = new Random(11);
    int[] samples = new int[64 * 64];
    for (int i = 0; i < samples.length; i++) samples[i] = r.nextInt(256);
    byte[] jpeg = LosslessJpegEncoder.encode(samples, 64, 64, 1, 8, 1, 0);
    byte[] cut = java.util.Arrays.copyOf(jpeg, jpeg.length * 3 / 4);
    Path file = new DicomWriter("1.2.840.10008.1.2.4.70").image(64, 64, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(cut), false).write(dir.resolve("cut-lossless.dcm"));
    failure(file, "lossless JPEG data ends before row");
  }

  @Test
  void rleFrameTooSmallForItsDeclaredSize() throws Exception {
    byte[] rle = DicomWriter.rle(new byte[][] {new byte[128], new byte[128], new byte[128]});
    Path file = new DicomWriter(DicomWriter.RLE).image(4096, 4096, 3, "RGB", 8)
        .encapsulated(List.of(rle), false).write(dir.resolve("rle-lies.dcm"));
    failure(file, "too few for 16777216 pixels");
  }

  @Test
  void jpegBaselineCutShortOrOfAnotherSize() throws Exception {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    Random r = new Random(5);
    for (int y = 0; y < 16; y++) for (int x = 0; x < 32; x++) img.getRaster().setSample(x, y, 0, r.nextInt(256));
    byte[] jpeg = SyntheticDicomTest.jpeg(img);
    Path cut = new DicomWriter(DicomWriter.JPEG_BASELINE).image(16, 32, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3)), false).write(dir.resolve("cut-jpeg.dcm"));
    failure(cut, "JPEG frame 0 is truncated");
    Path other = new DicomWriter(DicomWriter.JPEG_BASELINE).image(8, 16, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(jpeg), false).write(dir.resolve("other-size.dcm"));
    failure(other, "JPEG frame 0 is 32x16 but the header says 16x8");
  }

  @Test
  void segmentedPaletteBombEndsQuickly() throws Exception {
    // n indirect segments, each replaying n indirect segments, each replaying n empty discrete
    // segments: n^3 = 1e9 steps within the nesting limit, unless the segments read are bounded
    int n = 1000;
    int[] words = new int[10 * n];
    for (int i = 0; i < 2 * n; i++) {
      words[4 * i] = 2;
      words[4 * i + 1] = n;
      words[4 * i + 2] = i < n ? 4 * n : 8 * n; // word offsets (low word; high word 0)
    }
    Path file = new DicomWriter(DicomWriter.EXPLICIT_LE).image(1, 4, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 4, 0, 8).us(0x0028_1102, 4, 0, 8).us(0x0028_1103, 4, 0, 8)
        .ow(0x0028_1221, words).ow(0x0028_1222, words).ow(0x0028_1223, words).pixels("OB", new byte[4]).write(dir.resolve("bomb.dcm"));
    failure(file, "too many segments");
    // long linear segments past the table's end: ignored once the table is full
    int[] table = new int[3 + 3 * 1000];
    table[0] = 0; // discrete, 1 entry: 7
    table[1] = 1;
    table[2] = 7;
    for (int i = 0; i < 1000; i++) {
      table[3 + 3 * i] = 1; // linear over 65535 entries to 200
      table[4 + 3 * i] = 65535;
      table[5 + 3 * i] = 200;
    }
    Path ok = new DicomWriter(DicomWriter.EXPLICIT_LE).image(1, 4, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 256, 0, 8).us(0x0028_1102, 256, 0, 8).us(0x0028_1103, 256, 0, 8)
        .ow(0x0028_1221, table).ow(0x0028_1222, table).ow(0x0028_1223, table).pixels("OB", new byte[] {0, 1, 2, (byte) 255}).write(dir.resolve("long.dcm"));
    try (ClipReader r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ClipReaders.open(ok))) {
      Frame f = r.readFrame(0);
      assertEquals(7, f.sample(0, 0, 0));
      assertEquals(7 + Math.round((200 - 7) / 65535.0), f.sample(1, 0, 0), 1);
    }
  }

  static byte[] concat(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = java.util.Arrays.copyOf(h, h.length + data.length);
    System.arraycopy(data, 0, out, h.length, data.length);
    return out;
  }
}
