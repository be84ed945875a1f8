package sonogate.io;

import java.util.Objects;

/**
 * One decoded image: {@code width x height} pixels of 1 (grey) or 3 (RGB) channels, 8 bits per
 * sample, row-major and channel-interleaved ({@code R G B R G B ...}).
 *
 * <p>Decision: frames are always 8-bit. Ultrasound scanners store display-ready 8-bit images; the
 * readers convert palette colour and YBR to RGB and map deeper greyscale (12/16-bit) to 8 bits at
 * decode time (VOI window when the file has one, otherwise the full stored range), so the rest of
 * the engine sees one pixel format. {@link ClipInfo#bitsStored()} tells when such a mapping
 * happened.
 */
public final class Frame {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] samples;

  /** Wraps {@code samples} (not copied); its length must be {@code width * height * channels}. */
  public Frame(int width, int height, int channels, byte[] samples) {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
    if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels " + channels);
    Objects.requireNonNull(samples, "samples");
    if (samples.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          "samples length " + samples.length + " != " + width + "*" + height + "*" + channels);
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.samples = samples;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** 1 for grey, 3 for RGB. */
  public int channels() {
    return channels;
  }

  /** The sample array itself (not a copy): interleaved, row-major, unsigned 8-bit. */
  public byte[] samples() {
    return samples;
  }

  /** Sample {@code channel} of pixel (x, y), 0..255. */
  public int sample(int x, int y, int channel) {
    return samples[(y * width + x) * channels + channel] & 0xFF;
  }

  @Override
  public String toString() {
    return "Frame[" + width + "x" + height + "x" + channels + "]";
  }
}
