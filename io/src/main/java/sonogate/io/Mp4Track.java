package sonogate.io;

/**
 * The first video track of an MP4/QuickTime file, as {@link Mp4Parser} found it: where each
 * sample (coded frame, in decoding order) lies and when it is shown.
 *
 * @param brand "MP4" or "QuickTime" (from the file type box)
 * @param codec the sample entry's four-character code, e.g. "avc1"
 * @param width the sample entry's width
 * @param height the sample entry's height
 * @param timescale media time units per second
 * @param duration sum of the sample durations, in media time units
 * @param offsets file offset of each sample, in decoding order
 * @param sizes byte size of each sample
 * @param presentation presentation time of each sample (decoding time + composition offset)
 * @param codecConfig the codec configuration box's payload (avcC for H.264), empty when absent
 */
record Mp4Track(
    String brand,
    String codec,
    int width,
    int height,
    long timescale,
    long duration,
    long[] offsets,
    int[] sizes,
    long[] presentation,
    byte[] codecConfig) {

  int sampleCount() {
    return sizes.length;
  }

  /** Samples per second over the whole track; NaN when the durations are zero. */
  double frameRate() {
    return duration > 0 ? sampleCount() * (double) timescale / duration : Double.NaN;
  }

  /**
   * The decoding-order sample shown at each display position: samples sorted by presentation
   * time (ties keep decoding order).
   */
  int[] displayOrder() {
    Integer[] order = new Integer[sampleCount()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Long.compare(presentation[a], presentation[b]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) out[i] = order[i];
    return out;
  }
}
