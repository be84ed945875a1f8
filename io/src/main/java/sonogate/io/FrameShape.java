package sonogate.io;

/** The size and channel count that every frame of one output must share: the first frame's. */
final class FrameShape {
  private int width, height, channels;
  private boolean known;

  /** Takes frame number {@code index}: the first one sets the shape, any later one must match it. */
  void accept(Frame f, int index) {
    if (!known) {
      width = f.width();
      height = f.height();
      channels = f.channels();
      known = true;
    } else if (f.width() != width || f.height() != height || f.channels() != channels) {
      throw new IllegalArgumentException("frame " + index + " is " + f + ", the first " + width + "x" + height + "x" + channels);
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int channels() {
    return channels;
  }
}
