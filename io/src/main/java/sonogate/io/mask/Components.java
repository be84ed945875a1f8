package sonogate.io.mask;

/**
 * Connected components of a binary image (8- or 4-connected), found by an iterative flood fill.
 * Component k (0-based) owns the pixel indices {@code pixels[start[k] .. start[k+1])};
 * {@code label[i]} is k + 1 for a pixel of component k and 0 for background.
 */
final class Components {
  final int width, height, count;
  final int[] label;
  final int[] start;
  final int[] pixels;

  private Components(int width, int height, int count, int[] label, int[] start, int[] pixels) {
    this.width = width;
    this.height = height;
    this.count = count;
    this.label = label;
    this.start = start;
    this.pixels = pixels;
  }

  static Components of(boolean[] m, int w, int h, boolean eightConnected) {
    int n = w * h;
    int[] label = new int[n];
    int[] pixels = new int[n];
    int[] starts = new int[16];
    int count = 0, filled = 0;
    for (int seed = 0; seed < n; seed++) {
      if (!m[seed] || label[seed] != 0) continue;
      if (count + 1 >= starts.length) starts = java.util.Arrays.copyOf(starts, starts.length * 2);
      starts[count] = filled;
      int id = ++count;
      // The pixel list doubles as the flood-fill queue: everything before `filled` is labelled.
      label[seed] = id;
      pixels[filled++] = seed;
      for (int head = starts[count - 1]; head < filled; head++) {
        int p = pixels[head], px = p % w, py = p / w;
        for (int dy = -1; dy <= 1; dy++) {
          int y = py + dy;
          if (y < 0 || y >= h) continue;
          for (int dx = -1; dx <= 1; dx++) {
            if ((dx == 0 && dy == 0) || (!eightConnected && dx != 0 && dy != 0)) continue;
            int x = px + dx;
            if (x < 0 || x >= w) continue;
            int q = y * w + x;
            if (m[q] && label[q] == 0) {
              label[q] = id;
              pixels[filled++] = q;
            }
          }
        }
      }
    }
    int[] start = java.util.Arrays.copyOf(starts, count + 1);
    start[count] = filled;
    return new Components(w, h, count, label, start, pixels);
  }

  int area(int k) {
    return start[k + 1] - start[k];
  }

  /** {x0, y0, x1, y1}, inclusive. */
  int[] bounds(int k) {
    int x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (int j = start[k]; j < start[k + 1]; j++) {
      int p = pixels[j], x = p % width, y = p / width;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    return new int[] {x0, y0, x1, y1};
  }
}
