package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import sonogate.io.mask.ColourMask;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison frame against a pixel-by-pixel reading of its definition. */
class SideBySideTest {
  @TempDir Path dir;

  static Frame random(int w, int h, int channels, Random r) {
    byte[] s = new byte[w * h * channels];
    r.nextBytes(s);
    return new Frame(w, h, channels, s);
  }

  @Test
  void panelsHoldInputMaskAndOutput() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int[] size : new int[][] {{37, 21}, {64, 64}, {400, 90}}) {
      int w = size[0], h = size[1];
      Frame input = random(w, h, 3, r);
      Frame output = random(w, h, 1, r);
      byte[] mask = new byte[w * h];
      for (int i = 0; i < mask.length; i++) mask[i] = (byte) (r.nextInt(3) == 0 ? 1 : 0);
      Frame c = SideBySide.compose(input, mask, output);
      int header = SideBySide.headerHeight(w);
      assertEquals(3 * w + 2 * SideBySide.GAP, c.width());
      assertEquals(h + header, c.height());
      assertEquals(3, c.channels());
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < 3; ch++) {
            assertEquals(input.sample(x, y, ch), c.sample(x, header + y, ch), "input panel (seed " + seed + ")");
            assertEquals(output.sample(x, y, 0), c.sample(2 * (w + SideBySide.GAP) + x, header + y, ch), "output panel");
          }
          int luma = (299 * input.sample(x, y, 0) + 587 * input.sample(x, y, 1) + 114 * input.sample(x, y, 2) + 500) / 1000;
          int want = mask[y * w + x] != 0 ? 255 : luma / 4;
          assertEquals(want, c.sample(w + SideBySide.GAP + x, header + y, 1), "mask panel");
        }
        for (int g = 0; g < SideBySide.GAP; g++) {
          assertEquals(96, c.sample(w + g, header + y, 0), "separator");
          assertEquals(96, c.sample(2 * w + SideBySide.GAP + g, header + y, 0), "separator");
        }
      }
      // labels: white pixels in each panel's header, nothing else there
      for (int p = 0; p < 3; p++) {
        int white = 0;
        for (int y = 0; y < header; y++) {
          for (int x = p * (w + SideBySide.GAP); x < p * (w + SideBySide.GAP) + w; x++) {
            int v = c.sample(x, y, 0);
            assertTrue(v == 0 || v == 255, "header pixel " + v);
            if (v == 255) white++;
          }
        }
        assertTrue(white > 20, "panel " + p + " has a label");
      }
    }
  }

  @Test
  void greyInputIsReplicated() {
    Random r = new Random(1);
    Frame input = random(10, 8, 1, r);
    Frame c = SideBySide.compose(input, new byte[80], random(10, 8, 3, r));
    int header = SideBySide.headerHeight(10);
    for (int ch = 0; ch < 3; ch++) assertEquals(input.sample(3, 4, 0), c.sample(3, header + 4, ch));
  }

  @Test
  void mismatchedSizesAreRefused() {
    Random r = new Random(2);
    assertThrows(IllegalArgumentException.class, () -> SideBySide.compose(random(10, 8, 3, r), new byte[80], random(10, 9, 1, r)));
    assertThrows(IllegalArgumentException.class, () -> SideBySide.compose(random(10, 8, 3, r), new byte[79], random(10, 8, 1, r)));
  }

  @Test
  void aComparisonClipIsWrittenByAnyWriter() throws Exception {
    Random r = new Random(3);
    for (String name : new String[] {"cmp.avi", "cmp.gif", "cmp.h5", "cmp"}) {
      Path out = dir.resolve(name);
      try (FrameWriter w = FrameWriter.open(out, false, WriterOptions.DEFAULT.withFrameRate(10))) {
        for (int i = 0; i < 3; i++) {
          Frame in = TestFrames.frame(48, 32, 3, i, 5);
          ColourMask.Result m = new ColourMask().apply(in);
          w.write(SideBySide.compose(in, m.mask(), random(48, 32, 1, r)));
        }
        w.commit();
      }
      assertTrue(java.nio.file.Files.exists(out), name);
    }
  }
}
