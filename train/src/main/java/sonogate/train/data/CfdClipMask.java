package sonogate.train.data;

/**
 * The synthetic colour-flow masks of one clip: {@code masks[t]} is frame t's H x W row-major 0/1
 * mask (1 = colour, to be reconstructed); every mask lies inside {@code colourBox}, which lies
 * inside the sector.
 *
 * @param masks          per-frame masks, {@code frames x (height * width)}
 * @param sector         the imaging sector the masks were drawn in
 * @param colourBox      the clip's colour box (0/1, intersected with the sector), fixed over the clip
 * @param targetCoverage the clip's mean coverage target (fraction of the sector area)
 */
public record CfdClipMask(int height, int width, float[][] masks, ImagingSector sector, float[] colourBox,
        double targetCoverage) {

    public int frames() {
        return masks.length;
    }

    /** Fraction of the sector that frame t's mask covers. */
    public double coverage(int t) {
        int n = 0;
        for (float v : masks[t]) if (v > 0.5f) n++;
        return n / (double) sector.area();
    }
}
