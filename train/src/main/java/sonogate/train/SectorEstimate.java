package sonogate.train;

import sonogate.train.data.ImagingSector;

/**
 * Estimates a real frame's imaging sector (where there is tissue, not black background or
 * padding), so that training holes fall where a scanner would put a colour box: per row, the
 * span from the first to the last pixel brighter than {@link #THRESHOLD} (on the [-1, 1] scale;
 * about 5 % grey), rows with fewer than 3 such pixels left out. Spans make a fan or a rectangle
 * come out whole even where the tissue inside is dark (a vessel, a cyst).
 */
public final class SectorEstimate {
    public static final float THRESHOLD = -0.9f;
    /** Below this fraction of the frame the estimate is not trusted and {@link #of} returns null. */
    public static final double MIN_AREA_FRACTION = 0.05;

    private SectorEstimate() {}

    /** The sector of a {@code size x size} frame, or null when too little of it is bright. */
    public static ImagingSector of(float[] frame, int size) {
        float[] mask = new float[size * size];
        int area = 0;
        for (int y = 0; y < size; y++) {
            int first = -1, last = -1, count = 0;
            for (int x = 0; x < size; x++) {
                if (frame[y * size + x] > THRESHOLD) {
                    if (first < 0) first = x;
                    last = x;
                    count++;
                }
            }
            if (count < 3) continue;
            for (int x = first; x <= last; x++) mask[y * size + x] = 1f;
            area += last - first + 1;
        }
        if (area < MIN_AREA_FRACTION * size * size) return null;
        return ImagingSector.of(size, size, mask);
    }
}
