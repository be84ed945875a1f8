package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import sonogate.io.mask.ColourMask;
import java.lang.reflect.RecordComponent;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patient and study identifiers planted in a DICOM header never reach {@link ClipInfo}, nor any
 * byte of any writer's output (every format, and a comparison clip).
 */
class PrivacyTest {
  @TempDir Path dir;

  static final List<String> SECRETS = List.of("Doe^Jane", "PID-77123", "19700101", "ACC-555",
      "St Secret Hospital", "20240229", "Dr^Who", "Study of Jane", "Series of Jane", "OTHER-ID-9",
      "PRIVATE-CREATOR-X", "private value 42");

  /** A 2-frame RGB clip whose header carries every secret, in the top level, sequences, private tags and the meta group. */
  static DicomWriter planted(String syntax, byte[] pixels) {
    return new DicomWriter(syntax)
        .str(0x0008_0020, "DA", "20240229") // StudyDate
        .str(0x0008_0050, "SH", "ACC-555") // AccessionNumber
        .str(0x0008_0060, "CS", "US")
        .str(0x0008_0080, "LO", "St Secret Hospital") // InstitutionName
        .str(0x0008_0090, "PN", "Dr^Who") // ReferringPhysicianName
        .str(0x0008_1030, "LO", "Study of Jane") // StudyDescription
        .str(0x0008_103E, "LO", "Series of Jane") // SeriesDescription
        .str(0x0010_0010, "PN", "Doe^Jane") // PatientName
        .str(0x0010_0020, "LO", "PID-77123") // PatientID
        .str(0x0010_0030, "DA", "19700101") // PatientBirthDate
        .sequence(0x0010_1002, true, new DicomWriter(syntax).str(0x0010_0020, "LO", "OTHER-ID-9")) // OtherPatientIDsSequence
        .str(0x0009_0010, "LO", "PRIVATE-CREATOR-X") // a private creator
        .str(0x0009_1001, "LO", "private value 42") // and its private element
        .str(0x0018_1063, "DS", "40") // FrameTime: 25 fps, kept
        .sequence(0x0018_6011, false, new DicomWriter(syntax).us(0x0018_6012, 1).us(0x0018_6014, 1)
            .str(0x0010_0010, "PN", "Doe^Jane")) // planted inside a region item too
        .image(12, 16, 3, "RGB", 8).us(0x0028_0006, 0).str(0x0028_0008, "IS", "2")
        .pixels("OB", pixels);
  }

  @Test
  void identifiersDoNotAppearInClipInfo() throws Exception {
    for (String syntax : List.of(DicomWriter.EXPLICIT_LE, DicomWriter.IMPLICIT_LE, DicomWriter.DEFLATED_LE)) {
      Path file = planted(syntax, new byte[2 * 12 * 16 * 3]).write(dir.resolve("private.dcm"));
      assertTrue(contains(Files.readAllBytes(file), "ACC-555") || syntax.equals(DicomWriter.DEFLATED_LE), "the secrets are in the input");
      try (ClipReader r = ClipReaders.open(file)) {
        ClipInfo info = r.info();
        assertEquals("US", info.modality());
        assertClean(info.toString());
        for (RecordComponent c : ClipInfo.class.getRecordComponents()) {
          assertClean(String.valueOf(c.getAccessor().invoke(info)));
        }
        for (UltrasoundRegion region : info.regions()) assertClean(region.toString());
      }
    }
  }

  @Test
  void noWriterOutputCarriesAnIdentifier() throws Exception {
    long seed = System.nanoTime();
    byte[] pixels = new byte[2 * 12 * 16 * 3];
    new Random(seed).nextBytes(pixels);
    Path input = planted(DicomWriter.EXPLICIT_LE, pixels).write(dir.resolve("private.dcm"));
    byte[] inputBytes = Files.readAllBytes(input);
    for (String secret : SECRETS) assertTrue(contains(inputBytes, secret), "the grep finds '" + secret + "' in the input");
    Path outputs = Files.createDirectory(dir.resolve("outputs"));
    List<Frame> frames = new ArrayList<>();
    WriterOptions options;
    try (ClipReader r = ClipReaders.open(input)) {
      r.frames().forEachRemaining(frames::add);
      options = WriterOptions.DEFAULT.withFrameRate(r.info().frameRate());
    }
    for (FrameWriter.Format format : FrameWriter.Format.values()) {
      for (boolean grey : new boolean[] {false, true}) {
        String name = "out-" + (grey ? "grey" : "rgb") + (format == FrameWriter.Format.PNG ? "" : "." + format.name().toLowerCase());
        try (FrameWriter w = FrameWriter.open(outputs.resolve(name), format, false, options)) {
          for (Frame f : frames) w.write(grey ? new Frame(f.width(), f.height(), 1, new ColourMask().apply(f).grey()) : f);
          w.commit();
        }
      }
      String name = "compare" + (format == FrameWriter.Format.PNG ? "" : "." + format.name().toLowerCase());
      try (FrameWriter w = FrameWriter.open(outputs.resolve(name), format, false, options)) {
        for (Frame f : frames) {
          ColourMask.Result m = new ColourMask().apply(f);
          w.write(SideBySide.compose(f, m.mask(), new Frame(f.width(), f.height(), 1, m.grey())));
        }
        w.commit();
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(outputs)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 3 * 3 + 3 * 2, "outputs written: " + files);
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      for (String secret : SECRETS) {
        for (Charset cs : List.of(StandardCharsets.US_ASCII, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
          assertFalse(contains(bytes, new String(secret.getBytes(cs), StandardCharsets.ISO_8859_1)),
              f.getFileName() + " carries '" + secret + "' (" + cs + ", seed " + seed + ")");
        }
      }
    }
  }

  /** True when {@code bytes} contain {@code needle}'s ISO-8859-1 bytes. */
  static boolean contains(byte[] bytes, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + n.length <= bytes.length; i++) {
      for (int j = 0; j < n.length; j++) if (bytes[i + j] != n[j]) continue outer;
      return true;
    }
    return false;
  }

  private static void assertClean(String text) {
    for (String secret : SECRETS) assertFalse(text.contains(secret), "leaked '" + secret + "' in " + text);
  }
}
