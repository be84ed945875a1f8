package sonogate.io;

import java.util.Map;

/**
 * The comparison frame of a translated clip: input | mask | output side by side in one RGB frame,
 * under a header strip labelled INPUT, MASK, OUTPUT. The mask panel shows the input's luminance
 * at a quarter of its brightness with the mask in white, so the mask can be placed on the anatomy.
 * Panels are separated by {@link #GAP} grey columns; every panel keeps the input's size, so the
 * output's pixels appear unscaled.
 */
public final class SideBySide {
  private SideBySide() {}

  /** Width of the separator between panels, in pixels. */
  public static final int GAP = 4;
  private static final int SEPARATOR = 96;
  private static final String[] LABELS = {"INPUT", "MASK", "OUTPUT"};

  /** Width of the composed frame for panels {@code w} wide. */
  public static int width(int w) {
    return 3 * w + 2 * GAP;
  }

  /** Height of the header strip for panels {@code w} wide. */
  public static int headerHeight(int w) {
    int scale = scale(w);
    return (GLYPH_ROWS + 4) * scale;
  }

  private static int scale(int w) {
    return Math.max(1, w / 160);
  }

  /**
   * Composes one comparison frame.
   *
   * @param input the clip's frame (grey or RGB)
   * @param mask {@code width * height} values, non-zero where the input is colour (as {@link ColourMask.Result#mask()})
   * @param output the translated frame, the input's size (grey or RGB)
   */
  public static Frame compose(Frame input, byte[] mask, Frame output) {
    int w = input.width(), h = input.height();
    if (output.width() != w || output.height() != h) {
      throw new IllegalArgumentException("output " + output + " and input " + input + " differ in size");
    }
    if (mask.length != w * h) throw new IllegalArgumentException("mask of " + mask.length + " values for a " + w + "x" + h + " frame");
    int header = headerHeight(w);
    int cw = width(w), ch = header + h;
    byte[] out = new byte[cw * ch * 3];
    for (int y = header; y < ch; y++) {
      for (int x = w; x < w + GAP; x++) grey(out, cw, x, y, SEPARATOR);
      for (int x = 2 * w + GAP; x < 2 * w + 2 * GAP; x++) grey(out, cw, x, y, SEPARATOR);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = ((header + y) * cw + x) * 3;
        int r = input.sample(x, y, 0), g = input.sample(x, y, input.channels() == 3 ? 1 : 0), b = input.sample(x, y, input.channels() == 3 ? 2 : 0);
        out[at] = (byte) r;
        out[at + 1] = (byte) g;
        out[at + 2] = (byte) b;
        int luma = (299 * r + 587 * g + 114 * b + 500) / 1000;
        int m = mask[y * w + x] != 0 ? 255 : luma / 4;
        int mat = at + (w + GAP) * 3;
        out[mat] = out[mat + 1] = out[mat + 2] = (byte) m;
        int oat = at + 2 * (w + GAP) * 3;
        for (int c = 0; c < 3; c++) out[oat + c] = (byte) output.sample(x, y, output.channels() == 3 ? c : 0);
      }
    }
    int scale = scale(w);
    for (int p = 0; p < 3; p++) label(out, cw, p * (w + GAP) + 2 * scale, 2 * scale, scale, LABELS[p], w - 2 * scale);
    return new Frame(cw, ch, 3, out);
  }

  private static void grey(byte[] out, int cw, int x, int y, int v) {
    int at = (y * cw + x) * 3;
    out[at] = out[at + 1] = out[at + 2] = (byte) v;
  }

  /** Draws {@code text} in white, clipped to {@code maxWidth} pixels. */
  private static void label(byte[] out, int cw, int x0, int y0, int scale, String text, int maxWidth) {
    for (int i = 0; i < text.length(); i++) {
      String[] glyph = GLYPHS.get(text.charAt(i));
      int gx = x0 + i * (GLYPH_COLUMNS + 1) * scale;
      for (int row = 0; row < GLYPH_ROWS; row++) {
        for (int col = 0; col < GLYPH_COLUMNS; col++) {
          if (glyph[row].charAt(col) != '#') continue;
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              int x = gx + col * scale + dx;
              if (x - x0 < maxWidth) grey(out, cw, x, y0 + row * scale + dy, 255);
            }
          }
        }
      }
    }
  }

  private static final int GLYPH_ROWS = 7;
  private static final int GLYPH_COLUMNS = 5;

  /** A 5x7 pixel font of the letters the labels need (drawn here: AWT fonts may be missing on servers). */
  private static final Map<Character, String[]> GLYPHS = Map.of(
      'A', new String[] {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
      'I', new String[] {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"},
      'K', new String[] {"#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"},
      'M', new String[] {"#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"},
      'N', new String[] {"#...#", "##..#", "##..#", "#.#.#", "#..##", "#..##", "#...#"},
      'O', new String[] {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
      'P', new String[] {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
      'S', new String[] {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
      'T', new String[] {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."},
      'U', new String[] {"#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."});
}
