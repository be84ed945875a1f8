package sonogate.io.mask;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import sonogate.io.Frame;

/**
 * {@link ColourMask#stream}: frames in, temporally smoothed results out, in order. Holds the
 * detections of at most 2 r + 1 frames (r = {@link MaskSettings#temporalRadius()}) and, while a
 * sector is being estimated, the first {@link SectorEstimator.Settings#sampleFrames()} frames of
 * a size: memory stays bounded whatever the clip's length.
 */
final class ColourMaskStream implements Iterator<ColourMask.Result> {
  private final ColourMask masker;
  private final Iterator<Frame> source;
  private final int radius;
  private final ArrayDeque<Frame> readAhead = new ArrayDeque<>();
  private final List<ColourMask.Detection> window = new ArrayList<>();
  private int current;       // index in window of the next result
  private Sector estimated;  // the sector estimated for the current frame size

  ColourMaskStream(ColourMask masker, Iterator<Frame> source) {
    this.masker = masker;
    this.source = source;
    this.radius = masker.settings().temporalRadius();
  }

  private boolean more() {
    return !readAhead.isEmpty() || source.hasNext();
  }

  @Override
  public boolean hasNext() {
    return current < window.size() || more();
  }

  @Override
  public ColourMask.Result next() {
    if (!hasNext()) throw new NoSuchElementException();
    while (window.size() <= current + radius && more()) window.add(detectNext());
    ColourMask.Detection d = window.get(current);
    List<ColourMask.Detection> before = window.subList(Math.max(0, current - radius), current);
    List<ColourMask.Detection> after = window.subList(current + 1, Math.min(window.size(), current + radius + 1));
    ColourMask.Result r = masker.finish(d, before, after);
    current++;
    while (current > radius) {
      window.remove(0);
      current--;
    }
    return r;
  }

  private ColourMask.Detection detectNext() {
    Frame f = readAhead.isEmpty() ? source.next() : readAhead.poll();
    Sector s = masker.sectorFor(f);
    if (s == null && f.channels() == 3) {
      if (estimated == null || estimated.width() != f.width() || estimated.height() != f.height()) estimated = estimate(f);
      s = estimated;
    }
    return masker.detect(f, s);
  }

  /** The sector from {@code first} and the frames of its size that follow it (read ahead and kept). */
  private Sector estimate(Frame first) {
    int want = masker.settings().sector().sampleFrames();
    List<Frame> sample = new ArrayList<>(want);
    sample.add(first);
    boolean sizeChanged = false;
    for (Frame f : readAhead) {
      if (sample.size() == want) break;
      if (f.width() != first.width() || f.height() != first.height()) {
        sizeChanged = true;
        break;
      }
      sample.add(f);
    }
    while (!sizeChanged && sample.size() < want && source.hasNext()) {
      Frame f = source.next();
      readAhead.add(f);
      if (f.width() != first.width() || f.height() != first.height()) sizeChanged = true;
      else sample.add(f);
    }
    return SectorEstimator.estimate(sample, masker.settings().sector());
  }
}
