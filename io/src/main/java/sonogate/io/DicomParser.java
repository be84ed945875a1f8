package sonogate.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks a DICOM Part 10 file up to its top-level Pixel Data without building a tree: keeps only the
 * whitelisted attributes of {@link DicomTags}, parses the ultrasound region sequence, and skips
 * everything else by length (undefined-length sequences item by item). Every length is checked
 * against the file size before it is used, and nesting depth is bounded.
 */
final class DicomParser {
  /** Where the top-level Pixel Data value starts; length -1 when undefined (encapsulated). */
  record PixelData(long position, long length, String vr) {}

  /** What the dataset parse found. */
  record Dataset(DicomAttributes attributes, List<UltrasoundRegion> regions, PixelData pixelData) {}

  /** The file meta information: transfer syntax ("" when there is no meta group) and where the dataset starts. */
  record Meta(String transferSyntaxUid, long datasetStart, boolean preamble) {}

  private static final int MAX_DEPTH = 12;
  private static final long MAX_KEPT_VALUE = 64L << 20;
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
  private static final Set<String> VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD",
      "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV",
      "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV");

  private record Element(int tag, String vr, long length) {
    boolean undefinedLength() {
      return length < 0;
    }
  }

  private final ChannelReader in;
  private boolean explicit;

  private DicomParser(ChannelReader in, boolean explicit) {
    this.in = in;
    this.explicit = explicit;
  }

  /** True when the 128-byte preamble is followed by "DICM". */
  static boolean hasPreamble(byte[] head) {
    return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
  }

  /** True when {@code head} starts like a dataset or meta group without a preamble. */
  static boolean looksLikeBareDataset(byte[] head) {
    if (head.length < 8) return false;
    int group = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
    int element = (head[2] & 0xFF) | (head[3] & 0xFF) << 8;
    if (group < 0x0002 || group > 0x0008 || element > 0x0100 && group != 0x0008) return false;
    if (isVr(head[4], head[5])) return true;
    long length = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
    return length < 1024; // implicit VR: a small first value (e.g. SpecificCharacterSet, group length)
  }

  static boolean isVr(byte a, byte b) {
    return VRS.contains(new String(new byte[] {a, b}, StandardCharsets.US_ASCII));
  }

  /** Reads the (always explicit little-endian) file meta group, if there is one. */
  static Meta readMeta(ChannelReader in) throws IOException {
    byte[] head = in.bytes(Math.min(132, in.size()), "preamble");
    boolean preamble = hasPreamble(head);
    if (!preamble && !looksLikeBareDataset(head)) {
      throw new ClipFormatException(in.file(), "not a DICOM file (no DICM marker at offset 128 and no data element at offset 0)");
    }
    in.seek(preamble ? 132 : 0);
    in.order(ByteOrder.LITTLE_ENDIAN);
    DicomParser p = new DicomParser(in, true);
    String uid = "";
    while (in.remaining() >= 8) {
      long at = in.position();
      int group = in.u16();
      in.seek(at);
      if (group != 0x0002) break;
      Element e = p.next();
      if (e.undefinedLength()) throw new ClipFormatException(in.file(), "undefined length in the file meta group");
      if (e.tag() == DicomTags.TRANSFER_SYNTAX_UID) {
        uid = new String(in.bytes(e.length(), "transfer syntax UID"), StandardCharsets.US_ASCII).replace('\0', ' ').trim();
      } else {
        in.skip(e.length(), "meta element " + DicomTags.hex(e.tag()));
      }
    }
    return new Meta(uid, in.position(), preamble);
  }

  /** Guesses explicit VR for a file without a transfer syntax, from its first element. */
  static boolean guessExplicit(ChannelReader in, long start) throws IOException {
    if (in.size() - start < 6) return false;
    in.seek(start + 4);
    int a = in.u8();
    int b = in.u8();
    in.seek(start);
    return isVr((byte) a, (byte) b);
  }

  /** Parses the dataset from the current position of {@code in} up to the top-level Pixel Data. */
  static Dataset readDataset(ChannelReader in, boolean explicit) throws IOException {
    return new DicomParser(in, explicit).dataset();
  }

  private Dataset dataset() throws IOException {
    DicomAttributes attributes = new DicomAttributes(in.order());
    List<UltrasoundRegion> regions = new ArrayList<>();
    while (in.remaining() >= 8) {
      Element e = next();
      int tag = e.tag();
      if (tag == DicomTags.PIXEL_DATA) {
        return new Dataset(attributes, regions, pixelData(e));
      }
      if (tag == DicomTags.FLOAT_PIXEL_DATA || tag == DicomTags.DOUBLE_PIXEL_DATA) {
        throw new ClipFormatException(in.file(), "float pixel data " + DicomTags.hex(tag) + " is not supported");
      }
      if (tag == DicomTags.ULTRASOUND_REGIONS && (e.vr() == null || "SQ".equals(e.vr()))) {
        sequence(e, 1, regions);
      } else if (isSequence(e) || e.undefinedLength()) {
        skipSequence(e, 1);
      } else if (DicomTags.KEPT.contains(tag) && e.length() <= MAX_KEPT_VALUE) {
        attributes.put(tag, in.bytes(e.length(), "element " + DicomTags.hex(tag)));
      } else {
        in.skip(e.length(), "element " + DicomTags.hex(tag));
      }
    }
    throw new ClipFormatException(in.file(), "no pixel data (7FE0,0010) before the end of the file at offset " + in.size());
  }

  private PixelData pixelData(Element e) throws ClipFormatException {
    long at = in.position();
    if (!e.undefinedLength() && e.length() > in.remaining()) {
      throw new ClipFormatException(in.file(), "truncated: pixel data declares " + e.length()
          + " bytes at offset " + at + " but only " + in.remaining() + " remain");
    }
    return new PixelData(at, e.length(), e.vr() == null ? "" : e.vr());
  }

  private boolean isSequence(Element e) {
    return "SQ".equals(e.vr()) || e.vr() == null && e.undefinedLength();
  }

  /** Skips a sequence (or an undefined-length UN/OB value, which holds implicit-VR items). */
  private void skipSequence(Element e, int depth) throws IOException {
    if (!e.undefinedLength()) {
      in.skip(e.length(), "sequence " + DicomTags.hex(e.tag()));
      return;
    }
    boolean saved = explicit;
    if (!"SQ".equals(e.vr()) && e.vr() != null) explicit = false; // UN of undefined length: implicit VR LE inside
    try {
      sequence(e, depth, null);
    } finally {
      explicit = saved;
    }
  }

  /** Walks the items of a sequence; collects ultrasound regions into {@code regions} when not null. */
  private void sequence(Element seq, int depth, List<UltrasoundRegion> regions) throws IOException {
    if (depth > MAX_DEPTH) throw new ClipFormatException(in.file(), "sequences nested deeper than " + MAX_DEPTH);
    if (!seq.undefinedLength()) in.require(seq.length(), "sequence " + DicomTags.hex(seq.tag()));
    long end = seq.undefinedLength() ? Long.MAX_VALUE : in.position() + seq.length();
    while (in.position() < end) {
      long at = in.position();
      Element item = next();
      if (item.tag() == DicomTags.SEQUENCE_END) return;
      if (item.tag() != DicomTags.ITEM) {
        throw new ClipFormatException(in.file(), "malformed sequence " + DicomTags.hex(seq.tag())
            + ": found " + DicomTags.hex(item.tag()) + " instead of an item at offset " + at);
      }
      DicomAttributes attributes = item(item, depth, regions != null);
      if (regions != null) regions.add(region(attributes));
    }
    if (in.position() > end) throw new ClipFormatException(in.file(), "sequence " + DicomTags.hex(seq.tag()) + " overruns its length");
  }

  private DicomAttributes item(Element item, int depth, boolean keepRegionValues) throws IOException {
    DicomAttributes attributes = new DicomAttributes(in.order());
    if (!item.undefinedLength()) {
      if (!keepRegionValues) {
        in.skip(item.length(), "sequence item");
        return attributes;
      }
      in.require(item.length(), "sequence item");
    }
    long end = item.undefinedLength() ? Long.MAX_VALUE : in.position() + item.length();
    while (in.position() < end) {
      Element e = next();
      if (e.tag() == DicomTags.ITEM_END) return attributes;
      if (isSequence(e) || e.undefinedLength()) {
        skipSequence(e, depth + 1);
      } else if (keepRegionValues && DicomTags.REGION_KEPT.contains(e.tag()) && e.length() <= 64) {
        attributes.put(e.tag(), in.bytes(e.length(), "region element " + DicomTags.hex(e.tag())));
      } else {
        in.skip(e.length(), "element " + DicomTags.hex(e.tag()));
      }
    }
    return attributes;
  }

  private static UltrasoundRegion region(DicomAttributes a) {
    return new UltrasoundRegion(
        a.u16(DicomTags.REGION_SPATIAL_FORMAT, 0),
        a.u16(DicomTags.REGION_DATA_TYPE, 0),
        a.u32(DicomTags.REGION_FLAGS, 0),
        a.u32(DicomTags.REGION_MIN_X0, 0),
        a.u32(DicomTags.REGION_MIN_Y0, 0),
        a.u32(DicomTags.REGION_MAX_X1, 0),
        a.u32(DicomTags.REGION_MAX_Y1, 0),
        a.u16(DicomTags.PHYSICAL_UNITS_X, -1),
        a.u16(DicomTags.PHYSICAL_UNITS_Y, -1),
        a.float64(DicomTags.PHYSICAL_DELTA_X),
        a.float64(DicomTags.PHYSICAL_DELTA_Y));
  }

  /** Reads one element header; item and delimiter tags (group FFFE) never carry a VR. */
  private Element next() throws IOException {
    in.require(8, "element header");
    long at = in.position();
    int group = in.u16();
    int element = in.u16();
    int tag = group << 16 | element;
    if (group == 0xFFFE || !explicit) {
      return new Element(tag, null, length(in.u32()));
    }
    int a = in.u8();
    int b = in.u8();
    if (!isVr((byte) a, (byte) b)) {
      if (Character.isUpperCase(a) && Character.isUpperCase(b)) { // unknown VR: treat as UN (PS3.5 6.2)
        in.u16();
        return new Element(tag, "UN", length(in.u32()));
      }
      throw new ClipFormatException(in.file(), "invalid VR bytes " + String.format("0x%02X%02X", a, b)
          + " for element " + DicomTags.hex(tag) + " at offset " + at);
    }
    String vr = new String(new byte[] {(byte) a, (byte) b}, StandardCharsets.US_ASCII);
    if (LONG_VRS.contains(vr)) {
      in.require(6, "element header");
      in.u16();
      return new Element(tag, vr, length(in.u32()));
    }
    return new Element(tag, vr, in.u16());
  }

  private static long length(long raw) {
    return raw == 0xFFFF_FFFFL ? -1 : raw;
  }
}
