package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Labelling against a naive union-find over neighbour pairs, on fresh random masks. */
class ComponentsTest {
  final long seed = System.nanoTime();
  final SplittableRandom rng = new SplittableRandom(seed);

  static int find(int[] parent, int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }

  @Test
  void labelsMatchUnionFind() {
    for (int trial = 0; trial < 30; trial++) {
      int w = 1 + rng.nextInt(30), h = 1 + rng.nextInt(30), n = w * h;
      boolean eight = rng.nextBoolean();
      boolean[] m = new boolean[n];
      double p = rng.nextDouble();
      for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < p;
      int[] parent = new int[n];
      for (int i = 0; i < n; i++) parent[i] = i;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (!m[y * w + x]) continue;
          int[][] steps = eight ? new int[][] {{1, 0}, {0, 1}, {1, 1}, {-1, 1}} : new int[][] {{1, 0}, {0, 1}};
          for (int[] d : steps) {
            int xx = x + d[0], yy = y + d[1];
            if (xx < 0 || xx >= w || yy >= h || !m[yy * w + xx]) continue;
            parent[find(parent, y * w + x)] = find(parent, yy * w + xx);
          }
        }
      }
      Components c = Components.of(m, w, h, eight);
      int roots = 0, total = 0;
      for (int i = 0; i < n; i++) if (m[i] && find(parent, i) == i) roots++;
      assertEquals(roots, c.count, "seed " + seed + " trial " + trial);
      for (int k = 0; k < c.count; k++) {
        total += c.area(k);
        int root = find(parent, c.pixels[c.start[k]]);
        for (int j = c.start[k]; j < c.start[k + 1]; j++) {
          assertEquals(root, find(parent, c.pixels[j]), "component " + k + " mixes sets (seed " + seed + ")");
          assertEquals(k + 1, c.label[c.pixels[j]], "seed " + seed);
        }
      }
      int set = 0;
      for (boolean b : m) if (b) set++;
      assertEquals(set, total, "seed " + seed);
      for (int i = 0; i < n; i++) assertTrue(m[i] == (c.label[i] != 0), "seed " + seed);
    }
  }
}
