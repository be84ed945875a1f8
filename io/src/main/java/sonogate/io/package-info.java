/**
 * Readers of clinical clip formats, streaming frame by frame.
 *
 * <p>Entry point: {@link sonogate.io.ClipReaders#open(java.nio.file.Path)} sniffs the content
 * (DICOM Part 10 with or without preamble, MetaImage .mha/.mhd) and returns a
 * {@link sonogate.io.ClipReader}: {@link sonogate.io.ClipInfo} (technical metadata only) plus
 * frames decoded on demand as 8-bit grey or RGB {@link sonogate.io.Frame}s. Malformed input gives
 * a {@link sonogate.io.ClipFormatException} whose one-line message names the file and the problem;
 * every declared length is checked against the file size before anything is allocated.
 *
 * <p>DICOM: implicit/explicit VR little endian, explicit big endian, deflated (inflated once to a
 * temporary file), RLE Lossless, JPEG baseline/extended 8-bit (JDK ImageIO), JPEG Lossless process
 * 14 (own decoder, {@code LosslessJpegDecoder}); MONOCHROME1/2, RGB, YBR_FULL(_422), PALETTE COLOR
 * (plain and segmented LUTs). JPEG-LS, JPEG 2000, MPEG/HEVC syntaxes are rejected by name.
 *
 * <p>Privacy: the DICOM parser keeps only the whitelisted tags of {@code DicomTags}; patient and
 * study identifiers are skipped unread, so they cannot reach {@code ClipInfo}.
 *
 * <p>Readers are not thread-safe; {@link sonogate.io.ClipReader#frames()} rethrows I/O and format
 * errors as {@link java.io.UncheckedIOException} (use {@code readFrame} for checked errors).
 */
package sonogate.io;
