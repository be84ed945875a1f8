/**
 * Readers of clinical clip formats, streaming frame by frame.
 *
 * <p>Entry point: {@link sonogate.io.ClipReaders#open(java.nio.file.Path)} sniffs the content
 * (DICOM Part 10 with or without preamble, MetaImage .mha/.mhd, HDF5, AVI, GIF, MPEG program or
 * elementary stream, MP4/MOV; the extension only when the content says nothing) and returns a
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
 * <p>Video: MP4/MOV with H.264 ({@code Mp4Parser} + JCodec), MPEG-1/2 program and elementary
 * streams ({@code MpegStream} + JCodec), AVI with uncompressed, Motion JPEG (ImageIO) or MPEG-4
 * Part 2 Simple Profile (JCodec) frames, animated GIF (own decoder and compositing). Inter-coded
 * formats decode in order ({@code SequentialClipReader}): streaming is cheap, going backwards
 * decodes from the start again. HDF5: frames x H x W (x 3) arrays ({@code Hdf5ClipReader}).
 *
 * <p>Privacy: the DICOM parser keeps only the whitelisted tags of {@code DicomTags}; patient and
 * study identifiers are skipped unread, so they cannot reach {@code ClipInfo}. The video and HDF5
 * readers read no free-text metadata at all.
 *
 * <p>Readers are not thread-safe; {@link sonogate.io.ClipReader#frames()} rethrows I/O and format
 * errors as {@link java.io.UncheckedIOException} (use {@code readFrame} for checked errors).
 */
package sonogate.io;
