package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 clips written by h5py (chunked, gzip; fixtures from scripts/fixtures/make_hdf5_clips.py,
 * whose pixel formula v = (37 f + 11 y + 3 x + 50 c) mod 256 this test recomputes): the one clip
 * dataset is found by itself, several candidates need a name, every element type maps to the
 * documented 0..255 values, and wrong shapes or values are one-line errors.
 */
class Hdf5ClipTest {
  private static final int FRAMES = 6;
  private static final int H = 24;
  private static final int W = 32;

  @TempDir Path dir;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(Hdf5ClipTest.class.getResource("/fixtures/" + name).toURI());
  }

  private static int value(int f, int y, int x, int c) {
    return (37 * f + 11 * y + 3 * x + 50 * c) % 256;
  }

  private static void assertPattern(ClipReader r, int channels) throws Exception {
    assertEquals(FRAMES, r.info().frameCount());
    assertEquals(W, r.info().width());
    assertEquals(H, r.info().height());
    assertEquals(channels, r.info().channels());
    for (int f : new int[] {5, 0, 3, 4, 1, 2}) { // chunks span several frames: read out of order
      Frame frame = r.readFrame(f);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          for (int c = 0; c < channels; c++) {
            if (f == 0 && y == 0 && x < 3) continue; // the planted out-of-range values of float_bytes
            assertEquals(value(f, y, x, c), frame.sample(x, y, c), "frame " + f + " (" + x + "," + y + ") channel " + c);
          }
        }
      }
    }
  }

  @Test
  void theOneClipDatasetIsFoundByItself() throws Exception {
    try (ClipReader r = ClipReaders.open(fixture("echo_clip.h5"))) {
      assertEquals("HDF5", r.info().format());
      assertTrue(r.info().encoding().startsWith("uint8 /video"), r.info().encoding());
      assertEquals("MONOCHROME2", r.info().photometric());
      assertEquals(50, r.info().frameRate(), 1e-9); // the file's "fps" attribute
      assertPattern(r, 1);
    }
  }

  @Test
  void severalCandidatesAreListedAndOneIsNamed() throws Exception {
    Path file = fixture("many_clips.h5");
    String m = BadInputTest.failure(file, "several candidate datasets");
    assertTrue(m.contains("/grey/uint8 [6,24,32]") && m.contains("/rgb/uint8 [6,24,32,3]") && m.contains(":/path"), m);
    assertFalse(m.contains("/image2d"), "2-D datasets are not candidates: " + m);
    try (ClipReader r = ClipReaders.open(Path.of(file + ":/grey/uint8"))) {
      assertPattern(r, 1);
      assertFalse(r.info().hasFrameRate());
    }
    try (ClipReader r = ClipReaders.openHdf5(file, "/rgb/uint8")) {
      assertEquals("RGB", r.info().photometric());
      assertPattern(r, 3);
    }
    try (ClipReader r = ClipReaders.openHdf5(file, "/grey/contiguous")) {
      assertPattern(r, 1);
    }
  }

  @Test
  void floatArraysFollowTheRangeRule() throws Exception {
    Path file = fixture("many_clips.h5");
    try (ClipReader r = ClipReaders.openHdf5(file, "/grey/float_unit")) { // largest value <= 1: x 255
      assertTrue(r.info().encoding().startsWith("float32"), r.info().encoding());
      assertPattern(r, 1);
    }
    try (ClipReader r = ClipReaders.openHdf5(file, "/grey/float_big_endian")) { // odd chunks crossing frames and edges
      assertPattern(r, 1);
    }
    try (ClipReader r = ClipReaders.openHdf5(file, "/grey/float_bytes")) { // 0..255 + 0.3, rounded
      assertTrue(r.info().encoding().startsWith("float64"), r.info().encoding());
      assertPattern(r, 1);
      Frame first = r.readFrame(0);
      assertEquals(0, first.sample(0, 0, 0), "-5 clips to 0");
      assertEquals(255, first.sample(1, 0, 0), "300 clips to 255");
      assertEquals(0, first.sample(2, 0, 0), "NaN reads as 0");
    }
  }

  @Test
  void wrongDatasetsGiveOneLineErrors() throws Exception {
    Path file = fixture("many_clips.h5");
    BadInputTest.failure(Path.of(file + ":/grey/int16_wide"), "holds the value 256");
    BadInputTest.failure(Path.of(file + ":/rgba/uint8"), "wrong channel count");
    BadInputTest.failure(Path.of(file + ":/image2d"), "expected frames x H x W");
    BadInputTest.failure(Path.of(file + ":/nope"), "no dataset /nope");
    byte[] all = Files.readAllBytes(fixture("echo_clip.h5"));
    Path cut = Files.write(dir.resolve("cut.h5"), java.util.Arrays.copyOf(all, all.length / 2));
    BadInputTest.failure(cut, "");
  }

  /** Found by FuzzTest: a cut header made jhdf allocate the 365 MB a garbage size field declared. */
  @Test
  void corruptHeaderSizesAreNotAllocated() throws Exception {
    // The sample that failed: our writer's output drawn by the fuzz seed that found the bug.
    java.util.Random setup = new java.util.Random(1882552338378698820L);
    FuzzSamples.synthetic(setup);
    byte[] all = FuzzSamples.writerOutputs(setup, Files.createDirectory(dir.resolve("written"))).stream()
        .filter(s -> s.name().equals("grey-written.h5")).findFirst().orElseThrow().bytes();
    byte[] cut = new byte[all.length - 159];
    System.arraycopy(all, 0, cut, 0, 225);
    System.arraycopy(all, 225 + 159, cut, 225, all.length - 225 - 159);
    Path bad = Files.write(dir.resolve("cut-header.h5"), cut);
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    org.junit.jupiter.api.Assertions.assertThrows(ClipFormatException.class, () -> ClipReaders.open(bad).close());
    long used = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(used < 16L << 20, "opening a " + cut.length + "-byte file allocated " + used + " bytes");
    BadInputTest.failure(bad, "HDF5");
  }
}
