package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic MetaImage files: raw, zlib, colour, 16-bit, external data file, timestamps. */
class MetaImageTest {
  @TempDir Path dir;

  static byte[] frames(int w, int h, int channels, int count) {
    byte[] b = new byte[w * h * channels * count];
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7 + i / (w * h * channels));
    return b;
  }

  static byte[] zlib(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
      d.write(data);
    }
    return out.toByteArray();
  }

  static String timestamps(int count, double dt) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) s.append(String.format("Seq_Frame%04d_Timestamp = %.6f%nSeq_Frame%04d_ImageStatus = OK%n", i, 12 + i * dt, i));
    return s.toString();
  }

  @Test
  void rawAndZlibGreyFramesMatch() throws Exception {
    int w = 20;
    int h = 10;
    int n = 6;
    byte[] data = frames(w, h, 1, n);
    String common = "ObjectType = Image\nNDims = 3\nDimSize = 20 10 6\nElementSpacing = 0.2 0.3 1\nElementType = MET_UCHAR\n"
        + timestamps(n, 0.04);
    Path raw = Files.write(dir.resolve("raw.mha"), BadInputTest.concat(common + "ElementDataFile = LOCAL\n", data));
    byte[] z = zlib(data);
    Path zip = Files.write(dir.resolve("zip.mha"), BadInputTest.concat(common + "CompressedData = True\nCompressedDataSize = "
        + z.length + "\nElementDataFile = LOCAL\n", z));
    for (Path p : new Path[] {raw, zip}) {
      try (ClipReader r = ClipReaders.open(p)) {
        ClipInfo info = r.info();
        assertEquals("MetaImage", info.format());
        assertEquals(n, info.frameCount());
        assertEquals(w, info.width());
        assertEquals(h, info.height());
        assertEquals(25.0, info.frameRate(), 1e-6);
        assertEquals(0.2, info.pixelSpacingX(), 1e-12);
        assertEquals(0.3, info.pixelSpacingY(), 1e-12);
        for (int i : new int[] {0, 1, 5, 2, 2, 0}) {
          byte[] expected = java.util.Arrays.copyOfRange(data, i * w * h, (i + 1) * w * h);
          assertArrayEquals(expected, r.readFrame(i).samples(), p.getFileName() + " frame " + i);
        }
      }
    }
  }

  @Test
  void rgbTwoDimensionalImageWithoutTimestamps() throws Exception {
    byte[] data = frames(4, 3, 3, 1);
    Path p = Files.write(dir.resolve("rgb.mha"), BadInputTest.concat(
        "ObjectType = Image\nNDims = 2\nDimSize = 4 3\nElementNumberOfChannels = 3\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", data));
    try (ClipReader r = ClipReaders.open(p)) {
      assertEquals(1, r.info().frameCount());
      assertEquals(3, r.info().channels());
      assertEquals("RGB", r.info().photometric());
      assertTrue(Double.isNaN(r.info().frameRate()));
      assertArrayEquals(data, r.readFrame(0).samples());
    }
  }

  @Test
  void externalBigEndianSixteenBitDataFile() throws Exception {
    byte[] data = new byte[2 * 4 * 2 * 2]; // 4x2, 2 frames, 16-bit big endian
    for (int i = 0; i < data.length / 2; i++) {
      int v = i * 4000;
      data[2 * i] = (byte) (v >> 8);
      data[2 * i + 1] = (byte) v;
    }
    Files.write(dir.resolve("clip.raw"), data);
    Path header = dir.resolve("clip.mhd");
    Files.writeString(header, "ObjectType = Image\nNDims = 3\nDimSize = 4 2 2\nElementType = MET_USHORT\n"
        + "BinaryDataByteOrderMSB = True\nElementDataFile = clip.raw\n");
    try (ClipReader r = ClipReaders.open(header)) {
      assertEquals(2, r.info().frameCount());
      assertEquals(16, r.info().bitsStored());
      Frame f = r.readFrame(1);
      for (int i = 0; i < 8; i++) assertEquals(Math.round((8 + i) * 4000 * 255.0 / 65535), f.samples()[i] & 0xFF);
    }
  }
}
