package sonogate.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Opens a clip file with the right reader, chosen by content first and by extension second. */
public final class ClipReaders {
  private ClipReaders() {}

  /**
   * Opens {@code file}: a folder as PNG/JPEG frames ({@link ImageFolderReader}); DICOM when it has
   * the "DICM" marker at offset 128 or starts with a data element (preamble-less, e.g. implicit
   * VR), MetaImage when it starts with header keys such as "ObjectType =", else by extension
   * (.dcm/.dicom, .mha/.mhd).
   *
   * @throws ClipFormatException when the format is not recognised or the file is malformed
   */
  public static ClipReader open(Path file) throws IOException {
    if (Files.isDirectory(file)) return ImageFolderReader.open(file);
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(512);
    }
    if (head.length == 0) throw new ClipFormatException(file, "empty file");
    if (DicomParser.hasPreamble(head)) return DicomReader.open(file);
    if (MetaImageHeader.looksLikeHeader(head)) return MetaImageReader.open(file);
    if (DicomParser.looksLikeBareDataset(head)) return DicomReader.open(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".dcm") || name.endsWith(".dicom") || name.endsWith(".dic")) return DicomReader.open(file);
    if (name.endsWith(".mha") || name.endsWith(".mhd")) return MetaImageReader.open(file);
    throw new ClipFormatException(file, "unrecognised format (neither DICOM nor MetaImage)");
  }
}
