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

  /** Outputs get the permissions any new file gets here (umask), not a temporary file's owner-only ones. */
  @Test
  void outputsAreReadableLikeAnyNewFile() throws Exception {
    var fileMode = Files.getPosixFilePermissions(Files.createFile(dir.resolve("control-file")));
    var dirMode = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("control-dir")));
    for (FrameWriter.Format format : FrameWriter.Format.values()) {
      Path out = dir.resolve("out-" + format + (format == FrameWriter.Format.PNG ? "" : "." + format.toString().toLowerCase()));
      try (FrameWriter w = FrameWriter.open(out, format, false)) {
        for (int i = 0; i < 2; i++) w.write(grey(20, 12, i));
        w.commit();
      }
      assertEquals(Files.isDirectory(out) ? dirMode : fileMode, Files.getPosixFilePermissions(out), out.toString());
      if (Files.isDirectory(out)) {
        try (Stream<Path> s = Files.list(out)) {
          for (Path f : s.toList()) assertEquals(fileMode, Files.getPosixFilePermissions(f), f.toString());
        }
      }
    }
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
  void formatFollowsTheExtensionAndUnwritableVideoIsRefused() {
    assertEquals(FrameWriter.Format.AVI, FrameWriter.Format.forPath(Path.of("a/out.AVI")));
    assertEquals(FrameWriter.Format.GIF, FrameWriter.Format.forPath(Path.of("out.gif")));
    assertEquals(FrameWriter.Format.H5, FrameWriter.Format.forPath(Path.of("out.hdf5")));
    assertEquals(FrameWriter.Format.PNG, FrameWriter.Format.forPath(Path.of("frames")));
    assertEquals(FrameWriter.Format.PNG, FrameWriter.Format.forPath(Path.of("frames.v2")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameWriter.Format.forPath(Path.of("out.mp4")));
    assertTrue(e.getMessage().contains("MP4 output is not supported"), e.getMessage());
    assertEquals(FrameWriter.Format.AVI, FrameWriter.Format.parse("avi"));
    assertThrows(IllegalArgumentException.class, () -> FrameWriter.Format.parse("tiff"));
  }

  /** Every format: nothing at the target before commit, an uncommitted writer leaves an existing output alone, force replaces it at commit. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(FrameWriter.Format.class)
  void everyFormatIsAtomicAndNeedsForce(FrameWriter.Format format) throws Exception {
    Path out = dir.resolve(format == FrameWriter.Format.PNG ? "out" : "out." + format.name().toLowerCase());
    try (FrameWriter w = FrameWriter.open(out, format, false)) {
      w.write(grey(12, 10, 0));
      assertFalse(Files.exists(out), "nothing at the target before commit");
    }
    assertEquals(0, countEntries(dir), "an uncommitted writer leaves nothing");
    try (FrameWriter w = FrameWriter.open(out, format, false)) {
      w.write(grey(12, 10, 0));
      w.commit();
    }
    byte[] first = snapshot(out);
    assertThrows(FrameWriter.FileAlreadyExistsOutput.class, () -> FrameWriter.open(out, format, false));
    try (FrameWriter w = FrameWriter.open(out, format, true)) {
      w.write(grey(12, 10, 1));
      w.write(grey(12, 10, 2));
    }
    assertArrayEquals(first, snapshot(out), "the old output is untouched by an uncommitted writer");
    try (FrameWriter w = FrameWriter.open(out, format, true)) {
      w.write(grey(12, 10, 1));
      w.write(grey(12, 10, 2));
      assertArrayEquals(first, snapshot(out), "replaced only at commit");
      w.commit();
    }
    assertFalse(java.util.Arrays.equals(first, snapshot(out)), "replaced");
    assertEquals(1, countEntries(dir), "no temporary output left");
    try (FrameWriter w = FrameWriter.open(out, format, true)) {
      assertThrows(java.io.IOException.class, w::commit, "no frames is an error");
    }
    Path wrongKind = format.isFile() ? Files.createDirectory(dir.resolve("folder." + format.name().toLowerCase()))
        : Files.writeString(dir.resolve("file"), "x");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> FrameWriter.open(wrongKind, format, true));
    assertTrue(e.getMessage().contains("exists and is a"), e.getMessage());
  }

  /** The bytes of a file, or of every file of a folder in name order. */
  private static byte[] snapshot(Path p) throws Exception {
    if (!Files.isDirectory(p)) return Files.readAllBytes(p);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    try (Stream<Path> s = Files.list(p)) {
      for (Path f : s.sorted().toList()) all.writeBytes(Files.readAllBytes(f));
    }
    return all.toByteArray();
  }

  @Test
  void h5StoresTheFrameRateWhenKnown() throws Exception {
    Path out = dir.resolve("fps.h5");
    try (FrameWriter w = FrameWriter.open(out, FrameWriter.Format.H5, false, WriterOptions.DEFAULT.withFrameRate(31.28))) {
      w.write(grey(10, 6, 0));
      w.commit();
    }
    try (HdfFile f = new HdfFile(out)) {
      Dataset ds = f.getDatasetByPath("frames");
      assertEquals(31.28, ((Number) ds.getAttribute("frame_rate").getData()).doubleValue(), 0);
      assertEquals(java.util.Set.of("frame_rate"), ds.getAttributes().keySet());
    }
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
