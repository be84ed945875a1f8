package sonogate.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Future;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * MPEG-1 and MPEG-2 video (4:2:0, frame pictures) in a program stream (.mpg/.mpeg, e.g. DVD-style
 * files) or an elementary stream (.m1v/.m2v); audio is ignored. Opening scans the stream once to
 * count the pictures (containers do not store the count). Pictures are decoded with JCodec's
 * MPEG decoder ({@link Mpeg12Decoder}) in coded order and put in display order the MPEG way: a B-picture is shown at
 * once, an I- or P-picture when the next I- or P-picture arrives. Frames are RGB (BT.601,
 * limited range: {@link YuvToRgb}).
 */
final class MpegVideoReader extends PipelinedClipReader {
  private final Path file;
  private final FileChannel channel;
  private final YuvToRgb colour = YuvToRgb.of(false, false);
  private final PictureBuffers buffers;
  private MpegStream stream;
  private Mpeg12Decoder decoder;
  private Future<Frame> heldAnchor;
  private int decoded;

  private MpegVideoReader(Path file, FileChannel channel, ClipInfo info, int codedWidth, int codedHeight) {
    super(info);
    this.file = file;
    this.channel = channel;
    // room for 4:4:4 planes: the decoder checks its buffer against the largest chroma format
    this.buffers = new PictureBuffers(3, codedWidth, codedHeight, ColorSpace.YUV444);
  }

  static MpegVideoReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      MpegStream scan = MpegStream.open(file, channel);
      int pictures = 0;
      for (MpegStream.Unit u; (u = scan.next()) != null; pictures++) {
        if (u.pictureStructure() != 3) {
          throw new ClipFormatException(file, "field-coded (interlaced) MPEG-2 pictures are not supported");
        }
      }
      MpegStream.Sequence s = scan.sequence();
      if (s == null || pictures == 0) throw new ClipFormatException(file, "no MPEG video pictures found (zero frames)");
      if (!s.mpeg2() && !Mpeg12Decoder.canDecodeMpeg1()) throw new ClipFormatException(file, "MPEG-1 video is not supported with this JCodec version");
      if (s.chromaFormat() != 1) throw new ClipFormatException(file, "MPEG-2 chroma format " + (s.chromaFormat() == 2 ? "4:2:2" : "4:4:4") + " is not supported (4:2:0 only)");
      if ((long) s.width() * s.height() > DicomReader.MAX_PIXELS) {
        throw new ClipFormatException(file, "MPEG picture of " + s.width() + "x" + s.height() + " pixels is larger than supported");
      }
      String container = scan.programStream() ? "MPEG-PS" : "MPEG video";
      ClipInfo info = new ClipInfo(file, container, s.describe() + ", " + YuvToRgb.describe(false, false), "", pictures,
          s.width(), s.height(), 3, "YBR_PARTIAL_420", 8, s.frameRate(), Double.NaN, Double.NaN, List.of());
      MpegVideoReader reader = new MpegVideoReader(file, channel, info, (s.width() + 15) & ~15, (s.height() + 31) & ~31);
      reader.restart();
      return reader;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  protected void restart() throws IOException {
    stream = MpegStream.open(file, channel);
    decoder = new Mpeg12Decoder(info.encoding().startsWith("MPEG-2"));
    heldAnchor = null;
    decoded = 0;
  }

  @Override
  protected Future<Frame> startNext() throws IOException {
    while (true) {
      MpegStream.Unit unit = stream.next();
      if (unit == null) {
        if (heldAnchor == null) throw new ClipFormatException(file, "the stream ends before the last frame");
        Future<Frame> last = heldAnchor;
        heldAnchor = null;
        return last;
      }
      Future<Frame> frame = decode(unit);
      if (unit.codingType() == MpegStream.B_PICTURE) return frame;
      Future<Frame> previous = heldAnchor;
      heldAnchor = frame;
      if (previous != null) return previous;
    }
  }

  private Future<Frame> decode(MpegStream.Unit unit) throws IOException {
    int index = decoded++;
    byte[][] buffer = buffers.next();
    Picture picture;
    try {
      picture = decoder.decode(unit.data(), buffer);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "MPEG picture " + index + " (coded order) cannot be decoded (" + e.getClass().getSimpleName() + ")", e);
    }
    if (picture == null) throw new ClipFormatException(file, "MPEG picture " + index + " (coded order) cannot be decoded");
    if (picture.getWidth() < info.width() || picture.getHeight() < info.height()) {
      throw new ClipFormatException(file, "MPEG picture " + index + " is " + picture.getWidth() + "x" + picture.getHeight()
          + ", the sequence header says " + info.width() + "x" + info.height());
    }
    Future<Frame> frame = converter.submit(() -> colour.convert(picture, 0, 0, info.width(), info.height()));
    buffers.convertedBy(frame);
    return frame;
  }

  @Override
  public void close() throws IOException {
    super.close();
    channel.close();
  }
}
