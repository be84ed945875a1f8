package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Patient and study identifiers never reach {@link ClipInfo}. */
class PrivacyTest {
  @TempDir Path dir;

  static final List<String> SECRETS = List.of("Doe^Jane", "PID-77123", "19700101", "ACC-555",
      "St Secret Hospital", "20240229", "Dr^Who", "Study of Jane");

  @Test
  void identifiersDoNotAppearInClipInfo() throws Exception {
    for (String syntax : List.of(DicomWriter.EXPLICIT_LE, DicomWriter.IMPLICIT_LE)) {
      DicomWriter w = new DicomWriter(syntax)
          .str(0x0008_0020, "DA", "20240229") // StudyDate
          .str(0x0008_0050, "SH", "ACC-555") // AccessionNumber
          .str(0x0008_0060, "CS", "US")
          .str(0x0008_0080, "LO", "St Secret Hospital") // InstitutionName
          .str(0x0008_0090, "PN", "Dr^Who") // ReferringPhysicianName
          .str(0x0008_1030, "LO", "Study of Jane") // StudyDescription
          .str(0x0010_0010, "PN", "Doe^Jane") // PatientName
          .str(0x0010_0020, "LO", "PID-77123") // PatientID
          .str(0x0010_0030, "DA", "19700101") // PatientBirthDate
          .sequence(0x0018_6011, false, new DicomWriter(syntax).us(0x0018_6012, 1)
              .str(0x0010_0010, "PN", "Doe^Jane")) // planted inside a region item too
          .image(4, 4, 1, "MONOCHROME2", 8).pixels("OB", new byte[16]);
      Path file = w.write(dir.resolve("private.dcm"));
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

  private static void assertClean(String text) {
    for (String secret : SECRETS) assertFalse(text.contains(secret), "leaked '" + secret + "' in " + text);
  }
}
