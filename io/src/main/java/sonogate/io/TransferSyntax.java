package sonogate.io;

import java.nio.ByteOrder;
import java.nio.file.Path;

/** The DICOM transfer syntaxes these readers decode, and how each one stores its pixels. */
enum TransferSyntax {
  IMPLICIT_LE("1.2.840.10008.1.2", "Implicit VR Little Endian", false, ByteOrder.LITTLE_ENDIAN, Codec.NATIVE),
  EXPLICIT_LE("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, ByteOrder.LITTLE_ENDIAN, Codec.NATIVE),
  DEFLATED_LE("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, ByteOrder.LITTLE_ENDIAN, Codec.NATIVE),
  EXPLICIT_BE("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, ByteOrder.BIG_ENDIAN, Codec.NATIVE),
  RLE("1.2.840.10008.1.2.5", "RLE Lossless", true, ByteOrder.LITTLE_ENDIAN, Codec.RLE),
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, ByteOrder.LITTLE_ENDIAN, Codec.JPEG_IMAGEIO),
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, ByteOrder.LITTLE_ENDIAN, Codec.JPEG_IMAGEIO),
  JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, ByteOrder.LITTLE_ENDIAN, Codec.JPEG_LOSSLESS),
  JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, ByteOrder.LITTLE_ENDIAN, Codec.JPEG_LOSSLESS);

  /** How the pixel data of a transfer syntax is stored. */
  enum Codec { NATIVE, RLE, JPEG_IMAGEIO, JPEG_LOSSLESS }

  final String uid;
  final String displayName;
  final boolean explicitVr;
  final ByteOrder order;
  final Codec codec;

  TransferSyntax(String uid, String displayName, boolean explicitVr, ByteOrder order, Codec codec) {
    this.uid = uid;
    this.displayName = displayName;
    this.explicitVr = explicitVr;
    this.order = order;
    this.codec = codec;
  }

  boolean encapsulated() {
    return codec != Codec.NATIVE;
  }

  /** "uid (name)", as shown in {@link ClipInfo#encoding()}. */
  String describe() {
    return uid + " (" + displayName + ")";
  }

  /** The supported syntax for {@code uid}, or a clear "unsupported transfer syntax" error. */
  static TransferSyntax of(String uid, Path file) throws ClipFormatException {
    for (TransferSyntax ts : values()) {
      if (ts.uid.equals(uid)) return ts;
    }
    throw new ClipFormatException(file, "unsupported transfer syntax " + uid + " (" + knownName(uid) + ")");
  }

  /** Names of well-known syntaxes that are recognised but not decoded. */
  static String knownName(String uid) {
    return switch (uid) {
      case "1.2.840.10008.1.2.4.80" -> "JPEG-LS Lossless";
      case "1.2.840.10008.1.2.4.81" -> "JPEG-LS Near-Lossless";
      case "1.2.840.10008.1.2.4.90" -> "JPEG 2000 Lossless";
      case "1.2.840.10008.1.2.4.91" -> "JPEG 2000";
      case "1.2.840.10008.1.2.4.92" -> "JPEG 2000 Part 2 Multi-component Lossless";
      case "1.2.840.10008.1.2.4.93" -> "JPEG 2000 Part 2 Multi-component";
      case "1.2.840.10008.1.2.4.201" -> "High-Throughput JPEG 2000 Lossless";
      case "1.2.840.10008.1.2.4.202" -> "High-Throughput JPEG 2000 RPCL Lossless";
      case "1.2.840.10008.1.2.4.203" -> "High-Throughput JPEG 2000";
      case "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101" -> "MPEG2";
      case "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104",
          "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106" -> "MPEG-4 AVC/H.264";
      case "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108" -> "HEVC/H.265";
      case "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112" -> "JPEG XL";
      case "1.2.840.10008.1.2.1.98" -> "Encapsulated Uncompressed Explicit VR Little Endian";
      case "1.2.840.10008.1.2.4.52", "1.2.840.10008.1.2.4.53", "1.2.840.10008.1.2.4.54",
          "1.2.840.10008.1.2.4.55", "1.2.840.10008.1.2.4.56", "1.2.840.10008.1.2.4.58",
          "1.2.840.10008.1.2.4.59", "1.2.840.10008.1.2.4.60", "1.2.840.10008.1.2.4.61",
          "1.2.840.10008.1.2.4.62", "1.2.840.10008.1.2.4.63", "1.2.840.10008.1.2.4.64",
          "1.2.840.10008.1.2.4.65", "1.2.840.10008.1.2.4.66" -> "retired JPEG process";
      default -> "unknown";
    };
  }
}
