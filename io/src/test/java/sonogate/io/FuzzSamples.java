package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The inputs the fuzz test mutates: every real file of the shared sample folders that some reader
 * accepts (so readers added later are fuzzed once their formats open), small synthetic files of
 * every DICOM transfer syntax and colour model, MetaImage and image-folder variant, and our own
 * writers' outputs (fuzzed once a reader opens them).
 */
final class FuzzSamples {
  private FuzzSamples() {}

  /**
   * One input. The mutated file is {@code fileName}; {@code companions} are written unchanged beside
   * it (an .mhd's data file, a folder's other frames); {@code folder} means the clip is the folder
   * (image frames), else the file.
   */
  record Sample(String name, String fileName, byte[] bytes, Map<String, byte[]> companions, boolean folder) {
    long totalBytes() {
      long n = bytes.length;
      for (byte[] c : companions.values()) n += c.length;
      return n;
    }

    /** Writes the sample (with {@code bytes} in place of its own) into {@code dir}; returns what to open. */
    Path writeTo(Path dir, byte[] content) throws java.io.IOException {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> c : companions.entrySet()) Files.write(dir.resolve(c.getKey()), c.getValue());
      Path file = Files.write(dir.resolve(fileName), content);
      return folder ? dir : file;
    }
  }

  /** Opens a clip the way the command line does: a folder of images, else by content. */
  static ClipReader open(Path p) throws java.io.IOException {
    return Files.isDirectory(p) ? ImageFolderReader.open(p) : ClipReaders.open(p);
  }

  /** Every regular file under the sample folders (sorted), as a file sample or, for images, a one-frame folder. */
  static List<Sample> realCandidates(Path root) throws java.io.IOException {
    List<Sample> out = new ArrayList<>();
    if (root == null) return out;
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
    for (Path f : files) {
      String rel = root.relativize(f).toString();
      String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      boolean image = n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
      out.add(new Sample(rel, f.getFileName().toString(), Files.readAllBytes(f), Map.of(), false));
      if (image) out.add(new Sample(rel + " (folder)", f.getFileName().toString(), Files.readAllBytes(f), Map.of(), true));
    }
    return out;
  }

  /** Small synthetic files of every feature the readers decode; content drawn from {@code r}. */
  static List<Sample> synthetic(Random r) throws Exception {
    List<Sample> out = new ArrayList<>();
    int w = 16, h = 12;
    // DICOM, native
    out.add(dicom("explicit-grey-3f.dcm", new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0008_0060, "CS", "US")
        .str(0x0018_1063, "DS", "40").sequence(0x0018_6011, false, region(DicomWriter.EXPLICIT_LE))
        .image(h, w, 1, "MONOCHROME2", 8).str(0x0028_0008, "IS", "3").pixels("OB", bytes(r, 3 * w * h))));
    out.add(dicom("implicit-rgb-planar.dcm", new DicomWriter(DicomWriter.IMPLICIT_LE).image(6, 10, 3, "RGB", 8)
        .us(0x0028_0006, 1).pixels("OB", bytes(r, 6 * 10 * 3))));
    out.add(dicom("bigendian-mono1-12bit.dcm", new DicomWriter(DicomWriter.EXPLICIT_BE).image(h, w, 1, "MONOCHROME1", 16, 12)
        .str(0x0028_1050, "DS", "2048").str(0x0028_1051, "DS", "1000").str(0x0028_0008, "IS", "2")
        .pixels("OW", bytes(r, 2 * 2 * w * h))));
    out.add(dicom("deflated.dcm", new DicomWriter(DicomWriter.DEFLATED_LE).image(h, w, 1, "MONOCHROME2", 8)
        .str(0x0028_0008, "IS", "2").pixels("OB", smooth(r, 2 * w * h))));
    out.add(dicom("ybr422-native.dcm", new DicomWriter(DicomWriter.EXPLICIT_LE).image(h, w, 3, "YBR_FULL_422", 8)
        .pixels("OB", bytes(r, 2 * w * h))));
    out.add(dicom("palette-8.dcm", new DicomWriter(DicomWriter.EXPLICIT_LE).image(h, w, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 256, 0, 16).us(0x0028_1102, 256, 0, 16).us(0x0028_1103, 256, 0, 16)
        .ow(0x0028_1201, words(r, 256)).ow(0x0028_1202, words(r, 256)).ow(0x0028_1203, words(r, 256))
        .pixels("OB", bytes(r, w * h))));
    out.add(dicom("palette-segmented.dcm", new DicomWriter(DicomWriter.EXPLICIT_LE).image(1, 11, 1, "PALETTE COLOR", 8)
        .us(0x0028_1101, 11, 0, 8).us(0x0028_1102, 11, 0, 8).us(0x0028_1103, 11, 0, 8)
        .ow(0x0028_1221, new int[] {0, 2, 0, 10, 1, 9, 100}).ow(0x0028_1222, new int[] {0, 11, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5})
        .ow(0x0028_1223, new int[] {0, 1, 50, 1, 10, 50, 2, 1, 0, 0}).pixels("OB", bytes(r, 12))));
    out.add(new Sample("bare-implicit.dcm", "bare-implicit.dcm", new DicomWriter(DicomWriter.IMPLICIT_LE).bare()
        .str(0x0008_0060, "CS", "US").image(h, w, 1, "MONOCHROME2", 8).pixels("OB", bytes(r, w * h)).toBytes(), Map.of(), false));
    DicomWriter nested = new DicomWriter(DicomWriter.EXPLICIT_LE).sequence(0x0009_1011, true,
        new DicomWriter(DicomWriter.EXPLICIT_LE).str(0x0028_0004, "CS", "RGB"));
    out.add(dicom("undefined-sequences.dcm", new DicomWriter(DicomWriter.EXPLICIT_LE).sequence(0x0009_1010, true, nested, nested)
        .sequence(0x0018_6011, true, region(DicomWriter.EXPLICIT_LE), region(DicomWriter.EXPLICIT_LE))
        .image(h, w, 1, "MONOCHROME2", 8).str(0x0028_0030, "DS", "0.5\\0.25").pixels("OB", bytes(r, w * h))));
    // DICOM, encapsulated
    List<byte[]> rle = new ArrayList<>();
    for (int f = 0; f < 2; f++) rle.add(DicomWriter.rle(new byte[][] {smooth(r, w * h), smooth(r, w * h), smooth(r, w * h)}));
    out.add(dicom("rle-rgb-2f.dcm", new DicomWriter(DicomWriter.RLE).image(h, w, 3, "RGB", 8).str(0x0028_0008, "IS", "2")
        .encapsulated(rle, true)));
    out.add(dicom("rle-16bit.dcm", new DicomWriter(DicomWriter.RLE).image(h, w, 1, "MONOCHROME2", 16)
        .encapsulated(List.of(DicomWriter.rle(new byte[][] {smooth(r, w * h), bytes(r, w * h)})), false)));
    byte[] ybr = jpeg(rgbImage(r, 32, 16));
    out.add(dicom("jpeg-ybr-2f.dcm", new DicomWriter(DicomWriter.JPEG_BASELINE).image(16, 32, 3, "YBR_FULL_422", 8)
        .str(0x0028_0008, "IS", "2").encapsulated(List.of(ybr, jpeg(rgbImage(r, 32, 16))), true)));
    out.add(dicom("jpeg-grey.dcm", new DicomWriter(DicomWriter.JPEG_BASELINE).image(h, w, 1, "MONOCHROME2", 8)
        .encapsulated(List.of(jpeg(greyImage(r, w, h))), false)));
    int[] grey = new int[w * h];
    for (int i = 0; i < grey.length; i++) grey[i] = r.nextInt(256);
    out.add(dicom("lossless-sv1-restart-2f.dcm", new DicomWriter("1.2.840.10008.1.2.4.70").image(h, w, 1, "MONOCHROME2", 8)
        .str(0x0028_0008, "IS", "2").encapsulated(List.of(LosslessJpegEncoder.encode(grey, w, h, 1, 8, 1, 2 * w),
            LosslessJpegEncoder.encode(grey, w, h, 1, 8, 1, 0)), false)));
    int[] rgb = new int[w * h * 3];
    for (int i = 0; i < rgb.length; i++) rgb[i] = r.nextInt(4096);
    out.add(dicom("lossless-rgb12-p7.dcm", new DicomWriter("1.2.840.10008.1.2.4.57").image(h, w, 3, "RGB", 16, 12)
        .encapsulated(List.of(LosslessJpegEncoder.encode(rgb, w, h, 3, 12, 7, 0)), false)));
    // MetaImage
    String head = "ObjectType = Image\nNDims = 3\nDimSize = 20 10 3\nElementSpacing = 0.2 0.3 1\nElementType = MET_UCHAR\n"
        + "Seq_Frame0000_Timestamp = 1.0\nSeq_Frame0002_Timestamp = 1.08\n";
    byte[] data = smooth(r, 20 * 10 * 3);
    out.add(new Sample("raw-3f.mha", "raw-3f.mha", BadInputTest.concat(head + "ElementDataFile = LOCAL\n", data), Map.of(), false));
    byte[] z = MetaImageTest.zlib(data);
    out.add(new Sample("zlib-3f.mha", "zlib-3f.mha", BadInputTest.concat(head + "CompressedData = True\nCompressedDataSize = "
        + z.length + "\nElementDataFile = LOCAL\n", z), Map.of(), false));
    out.add(new Sample("rgb-2d.mha", "rgb-2d.mha", BadInputTest.concat("NDims = 2\nDimSize = 8 6\nElementNumberOfChannels = 3\n"
        + "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n", bytes(r, 8 * 6 * 3)), Map.of(), false));
    out.add(new Sample("external-16bit.mhd", "clip.mhd", ("ObjectType = Image\nNDims = 3\nDimSize = 4 2 2\nElementType = MET_SHORT\n"
        + "BinaryDataByteOrderMSB = True\nElementMin = -100\nElementMax = 900\nElementDataFile = clip.raw\n").getBytes(StandardCharsets.US_ASCII),
        Map.of("clip.raw", bytes(r, 2 * 4 * 2 * 2)), false));
    // image folders: the mutated frame and an intact one beside it
    byte[] png = png(greyImage(r, w, h), "png");
    out.add(new Sample("folder-grey-png", "f0.png", png, Map.of("f1.png", png(greyImage(r, w, h), "png")), true));
    out.add(new Sample("folder-rgb-jpeg", "f0.jpg", png(rgbImage(r, w, h), "jpeg"), Map.of(), true));
    out.add(new Sample("folder-indexed-png", "f0.png", png(indexedImage(r, w, h), "png"), Map.of(), true));
    out.add(new Sample("folder-grey16-png", "f0.png", png(grey16Image(r, w, h), "png"), Map.of(), true));
    out.add(new Sample("folder-binary-png", "f0.png", png(binaryImage(r, w, h), "png"), Map.of(), true));
    return out;
  }

  /** Our writers' outputs of a small clip, as file samples (fuzzed only once a reader accepts them). */
  static List<Sample> writerOutputs(Random r, Path scratch) throws Exception {
    List<Sample> out = new ArrayList<>();
    Map<String, FrameWriter.Format> names = new LinkedHashMap<>();
    names.put("written.avi", FrameWriter.Format.AVI);
    names.put("written.gif", FrameWriter.Format.GIF);
    names.put("written.h5", FrameWriter.Format.H5);
    for (Map.Entry<String, FrameWriter.Format> e : names.entrySet()) {
      for (int channels : new int[] {1, 3}) {
        Path p = scratch.resolve(channels + "-" + e.getKey());
        try (FrameWriter w = FrameWriter.open(p, e.getValue(), true, WriterOptions.DEFAULT.withFrameRate(20))) {
          for (int i = 0; i < 3; i++) w.write(TestFrames.frame(24, 16, channels, i, r.nextLong()));
          w.commit();
        }
        out.add(new Sample((channels == 1 ? "grey-" : "rgb-") + e.getKey(), e.getKey(), Files.readAllBytes(p), Map.of(), false));
      }
    }
    return out;
  }

  private static Sample dicom(String name, DicomWriter w) throws java.io.IOException {
    return new Sample(name, name, w.toBytes(), Map.of(), false);
  }

  private static DicomWriter region(String syntax) {
    return new DicomWriter(syntax).us(0x0018_6012, 1).us(0x0018_6014, 2).ul(0x0018_6016, 2)
        .ul(0x0018_6018, 3).ul(0x0018_601A, 4).ul(0x0018_601C, 12).ul(0x0018_601E, 7)
        .us(0x0018_6024, 3).us(0x0018_6026, 3).fd(0x0018_602C, 0.01).fd(0x0018_602E, 0.02);
  }

  private static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** Runs of equal bytes (so RLE and deflate have something to compress). */
  private static byte[] smooth(Random r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; ) {
      int run = 1 + r.nextInt(20);
      byte v = (byte) r.nextInt(256);
      for (int k = 0; k < run && i < n; k++) b[i++] = v;
    }
    return b;
  }

  private static int[] words(Random r, int n) {
    int[] w = new int[n];
    for (int i = 0; i < n; i++) w[i] = r.nextInt(65536);
    return w;
  }

  private static BufferedImage greyImage(Random r, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (x * 9 + y * 5 + r.nextInt(30)) & 0xFF);
    return img;
  }

  private static BufferedImage grey16Image(Random r, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(65536));
    return img;
  }

  private static BufferedImage rgbImage(Random r, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, x < w / 2 ? 0xC81E1E : (r.nextInt(256) * 0x010101));
    return img;
  }

  private static BufferedImage indexedImage(Random r, int w, int h) {
    byte[] red = bytes(r, 16), green = bytes(r, 16), blue = bytes(r, 16);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(4, 16, red, green, blue));
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(16));
    return img;
  }

  private static BufferedImage binaryImage(Random r, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, r.nextInt(2));
    return img;
  }

  private static byte[] png(BufferedImage img, String format) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no " + format + " writer for " + img);
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage img) throws java.io.IOException {
    return png(img, "jpeg");
  }
}
