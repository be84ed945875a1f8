package sonogate.io;

import java.nio.file.Path;
import java.util.List;

/**
 * What a reader tells about a clip. Privacy: this is a WHITELIST of technical metadata only
 * (geometry, timing, colour model, spacing, modality, encoding). Patient and study identifiers
 * (names, IDs, dates, accession numbers, institutions, free text) are never read into it; the
 * DICOM parser does not even keep them (see {@code DicomTags}).
 *
 * @param source the file read
 * @param format "DICOM", "MetaImage", "images", "MP4", "QuickTime", "MPEG-PS", "MPEG video", "AVI", "GIF" or "HDF5"
 * @param encoding the transfer syntax as "uid (name)" for DICOM, e.g. "raw" or "zlib" for MetaImage,
 *     the codec and colour conversion for video (e.g. "H.264 High, BT.601 limited range"), the
 *     element type, dataset path and filters for HDF5 (e.g. "uint8 /video (deflate)")
 * @param modality DICOM Modality (e.g. "US"), "" when unknown
 * @param frameCount number of frames, at least 1
 * @param width columns
 * @param height rows
 * @param channels channels of every {@link Frame} (1 grey or 3 RGB)
 * @param photometric the stored colour model: MONOCHROME1, MONOCHROME2, RGB, YBR_FULL,
 *     YBR_FULL_422, PALETTE COLOR, YBR_PARTIAL_420 (video-range 4:2:0 YCbCr), YBR_FULL_420, ...
 *     (frames are already converted to grey or RGB)
 * @param bitsStored significant bits of a stored sample (frames are always 8-bit)
 * @param frameRate frames per second (video: frames / total duration of the track); NaN when unknown
 * @param pixelSpacingX horizontal pixel size in mm (DICOM PixelSpacing, MetaImage ElementSpacing); NaN when unknown
 * @param pixelSpacingY vertical pixel size in mm; NaN when unknown
 * @param regions DICOM ultrasound regions (0018,6011), empty when none
 */
public record ClipInfo(
    Path source,
    String format,
    String encoding,
    String modality,
    int frameCount,
    int width,
    int height,
    int channels,
    String photometric,
    int bitsStored,
    double frameRate,
    double pixelSpacingX,
    double pixelSpacingY,
    List<UltrasoundRegion> regions) {

  public ClipInfo {
    regions = List.copyOf(regions);
  }

  /** True when the frame rate is known. */
  public boolean hasFrameRate() {
    return !Double.isNaN(frameRate);
  }
}
