package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameWriterTest {
  @TempDir Path dir;

  static Frame grey(int w, int h, int seed) {
    byte[] s = new byte[w * h];
    for (int i = 0; i < s.length; i++) s[i] = (byte) (i * 7 + seed * 31);
    return new Frame(w, h, 1, s);
  }

  @Test
  void pngFolderRoundTripsThroughTheImageFolderReader() throws Exception {
    Path out = dir.resolve("frames");
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.PNG, false)) {
      for (int i = 0; i < 3; i++) w.write(grey(20, 12, i));
      assertFalse(Files.exists(out), "nothing at the target before commit");
      w.commit();
    }
    try (ImageFolderReader r = ImageFolderReader.open(out)) {
      assertEquals(3, r.info().frameCount());
      assertEquals(1, r.info().channels());
      for (int i = 0; i < 3; i++) assertArrayEquals(grey(20, 12, i).samples(), r.readFrame(i).samples());
    }
    assertEquals(1, countEntries(dir), "no temporary folder left behind");
  }

  @Test
  void existingOutputNeedsForceAndAnUncommittedWriterLeavesItAlone() throws Exception {
    Path out = dir.resolve("frames");
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.PNG, false)) {
      w.write(grey(8, 8, 0));
      w.commit();
    }
    assertThrows(FrameWriter.FileAlreadyExistsOutput.class, () -> FrameWriter.open(out, FrameWriter.Format.PNG, false));
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.PNG, true)) {
      w.write(grey(8, 8, 1));
      w.write(grey(8, 8, 2));
      // closed without commit: the old output stays
    }
    assertEquals(1, countEntries(out));
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.PNG, true)) {
      w.write(grey(8, 8, 1));
      w.write(grey(8, 8, 2));
      w.commit();
    }
    assertEquals(2, countEntries(out));
    assertEquals(1, countEntries(dir));
  }

  @Test
  void h5IsUint8FramesByHeightByWidth() throws Exception {
    Path out = dir.resolve("out.h5");
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.forPath(out), false)) {
      for (int i = 0; i < 4; i++) w.write(grey(10, 6, i));
      w.commit();
    }
    try (HdfFile f = new HdfFile(out)) {
      Dataset ds = f.getDatasetByPath("frames");
      assertArrayEquals(new int[] {4, 6, 10}, ds.getDimensions());
      Object data = ds.getData();
      for (int i = 0; i < 4; i++) {
        byte[] want = grey(10, 6, i).samples();
        for (int y = 0; y < 6; y++) {
          Object row = Array.get(Array.get(data, i), y);
          for (int x = 0; x < 10; x++) {
            assertEquals(want[y * 10 + x] & 0xFF, ((Number) Array.get(row, x)).intValue(), "frame " + i + " (" + x + "," + y + ")");
          }
        }
      }
    }
    assertThrows(FrameWriter.FileAlreadyExistsOutput.class, () -> FrameWriter.open(out, FrameWriter.Format.H5, false));
    assertEquals(1, countEntries(dir));
  }

  @Test
  void imageFolderErrorsNameTheFile() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    ClipFormatException e = assertThrows(ClipFormatException.class, () -> ImageFolderReader.open(empty));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Path bad = Files.createDirectory(dir.resolve("bad"));
    Files.writeString(bad.resolve("a.png"), "not a png");
    e = assertThrows(ClipFormatException.class, () -> ImageFolderReader.open(bad));
    assertTrue(e.getMessage().contains("a.png"), e.getMessage());
  }

  private static long countEntries(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }
}
