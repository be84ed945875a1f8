package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;

/** The fixed-point YUV to RGB conversion against the textbook formula in double, on random pictures. */
class YuvToRgbTest {
  /**
   * The conversion rounds each 16-bit fixed-point coefficient by up to half a unit (2^-17), so
   * besides the final rounding (0.5) a result may be off by 2^-17 times the sum of the magnitudes of
   * its inputs: luma - offset up to 239 plus two chroma terms up to 128 each. Measured over every
   * (Y, U, V): worst 0.5016 for limited range; with the former bound 0.5 + 1e-3 a fresh draw failed
   * 20 of 300 runs.
   */
  static final double FIXED_POINT_SLACK = (239 + 2 * 128) / (double) (1 << 17);

  /** R, G, B of one pixel by the ITU-R formulas (Kr, Kb; limited range scales luma by 255/219, chroma by 255/224). */
  private static double[] reference(int y, int u, int v, boolean bt709, boolean full) {
    double kr = bt709 ? 0.2126 : 0.299;
    double kb = bt709 ? 0.0722 : 0.114;
    double kg = 1 - kr - kb;
    double l = full ? y : (y - 16) * 255.0 / 219;
    double cb = (u - 128) * (full ? 1 : 255.0 / 224);
    double cr = (v - 128) * (full ? 1 : 255.0 / 224);
    double r = l + 2 * (1 - kr) * cr;
    double b = l + 2 * (1 - kb) * cb;
    double g = (l - kr * r - kb * b) / kg;
    return new double[] {r, g, b};
  }

  @Test
  void matchesTheFormulaForEveryMatrixRangeAndOrigin() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int w = 37, h = 23; // odd: partial 2 x 2 blocks at the edges
    Picture p = Picture.create(48, 32, ColorSpace.YUV420);
    for (int plane = 0; plane < 3; plane++) {
      byte[] d = p.getPlaneData(plane);
      for (int i = 0; i < d.length; i++) d[i] = (byte) (random.nextInt(256) - 128);
    }
    for (boolean bt709 : new boolean[] {false, true}) {
      for (boolean full : new boolean[] {false, true}) {
        YuvToRgb conversion = YuvToRgb.of(bt709, full);
        for (int[] origin : new int[][] {{0, 0}, {2, 4}, {1, 3}}) {
          Frame f = conversion.convert(p, origin[0], origin[1], w, h);
          double worst = 0;
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              int py = origin[1] + y, px = origin[0] + x;
              int yy = p.getPlaneData(0)[py * p.getPlaneWidth(0) + px] + 128;
              int u = p.getPlaneData(1)[(py >> 1) * p.getPlaneWidth(1) + (px >> 1)] + 128;
              int v = p.getPlaneData(2)[(py >> 1) * p.getPlaneWidth(2) + (px >> 1)] + 128;
              double[] rgb = reference(yy, u, v, bt709, full);
              for (int c = 0; c < 3; c++) {
                double expected = Math.max(0, Math.min(255, rgb[c]));
                worst = Math.max(worst, Math.abs(expected - f.sample(x, y, c)));
              }
            }
          }
          assertTrue(worst <= 0.5 + FIXED_POINT_SLACK,
              "bt709 " + bt709 + " full " + full + " origin " + origin[0] + "," + origin[1] + ": off by " + worst + " (seed " + seed + ")");
        }
      }
    }
  }
}
