package sonogate.io;

/**
 * Settings of the writers that need more than frames: the frame rate stored by the timed formats
 * (AVI, GIF, HDF5 attribute) and the JPEG quality of AVI (MJPEG) frames.
 *
 * @param frameRate frames per second; NaN or not positive when unknown (timed formats then use
 *     {@link #DEFAULT_FRAME_RATE})
 * @param jpegQuality 0..1, the ImageIO JPEG quality of MJPEG frames (0.95 by default: at least 40 dB
 *     PSNR on ultrasound frames, see the README)
 */
public record WriterOptions(double frameRate, float jpegQuality) {
  /** Frame rate of timed outputs when the clip does not state one. */
  public static final double DEFAULT_FRAME_RATE = 25;
  public static final float DEFAULT_JPEG_QUALITY = 0.95f;
  public static final WriterOptions DEFAULT = new WriterOptions(Double.NaN, DEFAULT_JPEG_QUALITY);

  public WriterOptions {
    if (!(jpegQuality >= 0 && jpegQuality <= 1)) throw new IllegalArgumentException("JPEG quality " + jpegQuality + " not in 0..1");
  }

  public WriterOptions withFrameRate(double fps) {
    return new WriterOptions(fps, jpegQuality);
  }

  public WriterOptions withJpegQuality(float quality) {
    return new WriterOptions(frameRate, quality);
  }

  /** True when a usable frame rate was given. */
  public boolean hasFrameRate() {
    return frameRate > 0 && Double.isFinite(frameRate);
  }

  /** The frame rate, or {@link #DEFAULT_FRAME_RATE} when unknown. */
  public double frameRateOrDefault() {
    return hasFrameRate() ? frameRate : DEFAULT_FRAME_RATE;
  }
}
