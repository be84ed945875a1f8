package sonogate.train.data;

/**
 * Shape statistics of a binary mask (row-major {@code width x height}, > 0.5 = hole), to compare
 * synthetic colour-flow masks with real ones:
 * <ul>
 *   <li><b>coverage</b>: hole pixels / all pixels;</li>
 *   <li><b>solidity</b>: the share of hole pixels whose four neighbours are all holes (pixels on
 *       the frame's edge count as border). A filled disc of radius r has about 1 - 2/r; thin
 *       vessels, frayed borders and holes lower it; NaN for an empty mask.</li>
 * </ul>
 */
public record MaskShapeStats(double coverage, double solidity) {

    public static MaskShapeStats of(float[] mask, int width, int height) {
        if (mask.length != width * height) throw new IllegalArgumentException("mask has " + mask.length + " values, not " + width + "x" + height);
        long holes = 0, interior = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (!(mask[i] > 0.5f)) continue;
                holes++;
                if (x > 0 && y > 0 && x < width - 1 && y < height - 1 && mask[i - 1] > 0.5f && mask[i + 1] > 0.5f
                        && mask[i - width] > 0.5f && mask[i + width] > 0.5f) {
                    interior++;
                }
            }
        }
        return new MaskShapeStats(holes / (double) mask.length, holes == 0 ? Double.NaN : interior / (double) holes);
    }
}
