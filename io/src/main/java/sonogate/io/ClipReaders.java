package sonogate.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a clip file with the right reader, chosen by content first and by extension second. */
public final class ClipReaders {
  private ClipReaders() {}

  /**
   * Opens {@code file}: a folder as PNG/JPEG frames ({@link ImageFolderReader}); a file by content: DICOM ("DICM" at offset 128, or a bare dataset), MetaImage
   * (header keys such as "ObjectType ="), HDF5 (signature), AVI (RIFF "AVI "), GIF ("GIF87a",
   * "GIF89a"), MPEG program stream or MPEG-1/2 video elementary stream (pack or sequence start
   * code), MP4/MOV (an ISO media box such as ftyp, moov, mdat). Otherwise by extension (.dcm,
   * .dicom, .dic, .mha, .mhd, .h5, .hdf5, .avi, .gif, .mpg, .mpeg, .m2v, .mp4, .m4v, .mov).
   *
   * <p>HDF5: {@code clip.h5} uses the file's one 3-D or 4-D dataset; {@code clip.h5:/group/name}
   * names the dataset (see {@link #openHdf5(Path, String)}).
   *
   * @throws ClipFormatException when the format is not recognised or the file is malformed
   */
  public static ClipReader open(Path file) throws IOException {
    if (Files.isDirectory(file)) return ImageFolderReader.open(file);
    if (!Files.exists(file)) {
      String s = file.toString();
      int colon = s.lastIndexOf(":/");
      if (colon > 0 && Files.isRegularFile(Path.of(s.substring(0, colon)))) {
        return openHdf5(Path.of(s.substring(0, colon)), s.substring(colon + 1));
      }
      throw new NoSuchFileException(s);
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(512);
    }
    if (head.length == 0) throw new ClipFormatException(file, "empty file");
    if (DicomParser.hasPreamble(head)) return DicomReader.open(file);
    if (MetaImageHeader.looksLikeHeader(head)) return MetaImageReader.open(file);
    if (DicomParser.looksLikeBareDataset(head)) return DicomReader.open(file);
    if (Hdf5ClipReader.hasSignature(head)) return Hdf5ClipReader.open(file, null);
    if (startsWith(head, 0, "RIFF") && startsWith(head, 8, "AVI ")) return AviReader.open(file);
    if (startsWith(head, 0, "GIF87a") || startsWith(head, 0, "GIF89a")) return GifReader.open(file);
    if (MpegStream.looksLikeMpeg(head)) return MpegVideoReader.open(file);
    if (Mp4Parser.looksLikeMp4(head)) return Mp4VideoReader.open(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    return switch (ext) {
      case "dcm", "dicom", "dic" -> DicomReader.open(file);
      case "mha", "mhd" -> MetaImageReader.open(file);
      case "h5", "hdf5", "he5" -> Hdf5ClipReader.open(file, null);
      case "avi" -> AviReader.open(file);
      case "gif" -> GifReader.open(file);
      case "mpg", "mpeg", "m2v", "m1v", "vob" -> MpegVideoReader.open(file);
      case "mp4", "m4v", "mov", "qt" -> Mp4VideoReader.open(file);
      default -> throw new ClipFormatException(file, "unrecognised format (not DICOM, MetaImage, HDF5, AVI, GIF, MPEG, MP4/MOV)");
    };
  }

  /**
   * Opens dataset {@code dataset} (e.g. "/frames"; null to pick the file's only 3-D or 4-D
   * numeric dataset) of an HDF5 file as a clip.
   */
  public static ClipReader openHdf5(Path file, String dataset) throws IOException {
    return Hdf5ClipReader.open(file, dataset);
  }

  private static boolean startsWith(byte[] head, int at, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (head.length < at + m.length) return false;
    for (int i = 0; i < m.length; i++) if (head[at + i] != m[i]) return false;
    return true;
  }
}
