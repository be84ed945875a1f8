package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoBenchTest {

  @Test
  void parsesOptions() throws Exception {
    IoBench.Options o = IoBench.parse(new String[] {"--json", "out/io.json", "--quick", "--data", "/tmp/d", "--threads", "3"});
    assertEquals(Path.of("out/io.json"), o.json());
    assertTrue(o.quick());
    assertEquals(Path.of("/tmp/d"), o.data());
    assertEquals(3, o.threads());
    IoBench.Options d = IoBench.parse(new String[0]);
    assertEquals(2, d.threads());
    assertFalse(d.quick() || d.help());
    assertTrue(IoBench.parse(new String[] {"-h"}).help());
    for (String[] bad : List.of(new String[] {"--threads", "0"}, new String[] {"--json"}, new String[] {"--data", "--quick"},
        new String[] {"--fast"})) {
      assertThrows(UsageException.class, () -> IoBench.parse(bad), String.join(" ", bad));
    }
  }

  @Test
  void exitCodes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, IoBench.run(new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: sonogate bench io"));
    assertEquals(2, IoBench.run(new String[] {"--bogus"}, o, e));
    assertEquals(1, IoBench.run(new String[] {"--data", "/nonexistent/folder"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith("sonogate bench io: no sample folder")));
  }

  /** The uncompressed DICOM sample's Pixel Data value (640x480 RGB, followed by trailing padding) is found. */
  @Test
  void findsThePixelDataOfTheUncompressedSample() throws Exception {
    Path data = IoBench.findData();
    assumeTrue(data != null, "shared/data/ultrasound not found: skipping");
    Path file = data.resolve("cfd/pydicom-data_US1_UNCR.dcm");
    assumeTrue(Files.isRegularFile(file), "sample missing: skipping");
    long offset = IoBench.pixelDataOffset(file);
    byte[] b = Files.readAllBytes(file);
    java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(b, (int) offset - 12, 12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x00107FE0, header.getInt(), "tag (7FE0,0010)");
    assertEquals('O', header.get());
    assertEquals('B', header.get());
    header.getShort();
    assertEquals(640 * 480 * 3, header.getInt(), "value length");
  }
}
