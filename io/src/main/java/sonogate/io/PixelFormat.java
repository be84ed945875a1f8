package sonogate.io;

import java.nio.file.Path;

/**
 * How the samples of one DICOM frame are laid out and what they mean, validated once per clip.
 *
 * @param rows image height
 * @param columns image width
 * @param samplesPerPixel 1 or 3
 * @param bitsAllocated 8 or 16
 * @param bitsStored significant bits, 1..bitsAllocated
 * @param highBit position of the most significant stored bit
 * @param signed PixelRepresentation 1 (two's complement)
 * @param planar PlanarConfiguration 1 (colour-by-plane) for native data
 * @param photometric colour model, upper case
 * @param palette the palette for PALETTE COLOR, else null
 * @param rescaleSlope modality rescale slope (1 when absent)
 * @param rescaleIntercept modality rescale intercept (0 when absent)
 * @param windowCenter first VOI window centre, NaN when absent
 * @param windowWidth first VOI window width, NaN when absent
 */
record PixelFormat(
    int rows,
    int columns,
    int samplesPerPixel,
    int bitsAllocated,
    int bitsStored,
    int highBit,
    boolean signed,
    boolean planar,
    String photometric,
    PaletteLut palette,
    double rescaleSlope,
    double rescaleIntercept,
    double windowCenter,
    double windowWidth) {

  static final String MONOCHROME1 = "MONOCHROME1";
  static final String MONOCHROME2 = "MONOCHROME2";
  static final String PALETTE_COLOR = "PALETTE COLOR";
  static final String RGB = "RGB";
  static final String YBR_FULL = "YBR_FULL";
  static final String YBR_FULL_422 = "YBR_FULL_422";

  /** Reads and validates the image pixel module of a DICOM dataset. */
  static PixelFormat fromDicom(DicomAttributes a, TransferSyntax ts, Path file) throws ClipFormatException {
    int rows = a.u16(DicomTags.ROWS, 0);
    int columns = a.u16(DicomTags.COLUMNS, 0);
    if (rows == 0 || columns == 0) throw new ClipFormatException(file, "image size " + columns + "x" + rows + " (Rows/Columns missing or zero)");
    String photometric = a.string(DicomTags.PHOTOMETRIC).toUpperCase(java.util.Locale.ROOT);
    int spp = a.u16(DicomTags.SAMPLES_PER_PIXEL, 1);
    if (photometric.isEmpty()) photometric = spp == 3 ? RGB : MONOCHROME2;
    int expectedSpp = switch (photometric) {
      case MONOCHROME1, MONOCHROME2, PALETTE_COLOR -> 1;
      case RGB, YBR_FULL, YBR_FULL_422 -> 3;
      case "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT" -> {
        if (ts.codec != TransferSyntax.Codec.JPEG_IMAGEIO) {
          throw new ClipFormatException(file, "photometric interpretation " + photometric + " is not supported with " + ts.describe());
        }
        yield 3;
      }
      default -> throw new ClipFormatException(file, "unsupported photometric interpretation " + photometric);
    };
    if (spp != expectedSpp) {
      throw new ClipFormatException(file, "wrong channel count: SamplesPerPixel " + spp + " for " + photometric + " (expected " + expectedSpp + ")");
    }
    int bitsAllocated = a.u16(DicomTags.BITS_ALLOCATED, 0);
    if (bitsAllocated != 8 && bitsAllocated != 16) throw new ClipFormatException(file, "BitsAllocated " + bitsAllocated + " is not supported (8 or 16)");
    int bitsStored = a.u16(DicomTags.BITS_STORED, bitsAllocated);
    if (bitsStored < 1 || bitsStored > bitsAllocated) throw new ClipFormatException(file, "BitsStored " + bitsStored + " with BitsAllocated " + bitsAllocated);
    int highBit = a.u16(DicomTags.HIGH_BIT, bitsStored - 1);
    if (highBit < bitsStored - 1 || highBit >= bitsAllocated) highBit = bitsStored - 1;
    boolean signed = a.u16(DicomTags.PIXEL_REPRESENTATION, 0) == 1;
    boolean planar = a.u16(DicomTags.PLANAR_CONFIGURATION, 0) == 1;
    PaletteLut palette = PALETTE_COLOR.equals(photometric) ? PaletteLut.from(a, signed, file) : null;
    double slope = a.decimal(DicomTags.RESCALE_SLOPE, 0);
    double intercept = a.decimal(DicomTags.RESCALE_INTERCEPT, 0);
    if (Double.isNaN(slope) || slope == 0) slope = 1;
    if (Double.isNaN(intercept)) intercept = 0;
    return new PixelFormat(rows, columns, spp, bitsAllocated, bitsStored, highBit, signed, planar,
        photometric, palette, slope, intercept, a.decimal(DicomTags.WINDOW_CENTER, 0),
        a.decimal(DicomTags.WINDOW_WIDTH, 0));
  }

  int pixels() {
    return rows * columns;
  }

  int bytesPerSample() {
    return bitsAllocated / 8;
  }

  /** Bytes of one uncompressed frame as stored (YBR_FULL_422 keeps 2 samples per pixel). */
  long nativeFrameBytes() {
    long samples = YBR_FULL_422.equals(photometric) ? 2L * pixels() : (long) pixels() * samplesPerPixel;
    return samples * bytesPerSample();
  }

  boolean monochrome() {
    return MONOCHROME1.equals(photometric) || MONOCHROME2.equals(photometric);
  }

  boolean ybr() {
    return YBR_FULL.equals(photometric) || YBR_FULL_422.equals(photometric);
  }

  /** Extracts the stored bits of a raw container value and sign-extends them when signed. */
  int normalize(int raw) {
    int shift = highBit + 1 - bitsStored;
    int v = (raw >>> shift) & ((1 << bitsStored) - 1);
    if (signed && (v & (1 << (bitsStored - 1))) != 0) v -= 1 << bitsStored;
    return v;
  }

  /** The same format with another colour model (for codecs that convert colour themselves). */
  PixelFormat withPhotometric(String newPhotometric) {
    return new PixelFormat(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
        planar, newPhotometric, palette, rescaleSlope, rescaleIntercept, windowCenter, windowWidth);
  }

  /** The same format with other sample bits (for codecs whose precision the stream states). */
  PixelFormat withBits(int newBitsAllocated, int newBitsStored) {
    return new PixelFormat(rows, columns, samplesPerPixel, newBitsAllocated, newBitsStored,
        newBitsStored - 1, signed, planar, photometric, palette, rescaleSlope, rescaleIntercept,
        windowCenter, windowWidth);
  }
}
