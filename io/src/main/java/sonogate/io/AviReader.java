package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Future;

/**
 * AVI clips: the first video stream, read chunk by chunk. Codecs: uncompressed (BI_RGB 8/24/32
 * bit, Y800 grey; {@link DibFrameDecoder}), Motion JPEG ({@link MjpegFrameDecoder}) and MPEG-4
 * Part 2 Simple Profile ({@link Mpeg4FrameDecoder}). Frame rate: the stream header's rate/scale.
 * An empty chunk (a frame the writer dropped) repeats the previous frame, so the frame count and
 * the timing stay those of the stream. Intra-only codecs read any frame directly. MPEG-4 frames
 * are converted to RGB while the next one decodes ({@link PipelinedClipReader}).
 */
final class AviReader extends PipelinedClipReader {
  private final Path file;
  private final FileChannel channel;
  private final AviFile avi;
  private final AviFrameDecoder decoder;
  private byte[] chunk = new byte[0];
  private int next;
  private Future<Frame> previous;

  private AviReader(Path file, FileChannel channel, AviFile avi, AviFrameDecoder decoder, ClipInfo info) {
    super(info);
    this.file = file;
    this.channel = channel;
    this.avi = avi;
    this.decoder = decoder;
  }

  static AviReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    AviFrameDecoder decoder = null;
    try {
      AviFile avi = AviFile.read(file, channel);
      AviFile.VideoFormat f = avi.format();
      byte[] first = readChunk(file, channel, avi, 0, new byte[0]);
      if (DibFrameDecoder.handles(f)) decoder = DibFrameDecoder.of(f, file);
      else if (MjpegFrameDecoder.handles(f)) decoder = MjpegFrameDecoder.of(f, file, first, avi.size(0));
      else if (Mpeg4FrameDecoder.handles(f)) decoder = Mpeg4FrameDecoder.of(avi, file, channel);
      else throw new ClipFormatException(file, "unsupported AVI video codec '" + f.compressionName()
          + "' (uncompressed, MJPEG and MPEG-4 Part 2 are supported)");
      String codec = switch (decoder) {
        case DibFrameDecoder d -> "uncompressed " + (f.compression() == 0 ? f.bitCount() + "-bit" : f.compressionName());
        case MjpegFrameDecoder d -> "Motion JPEG";
        default -> "MPEG-4 Part 2 (" + f.compressionName() + "), " + YuvToRgb.describe(false, false);
      };
      ClipInfo info = new ClipInfo(file, "AVI", codec, "", avi.frameCount(), f.width(), f.height(), decoder.channels(),
          decoder.photometric(), 8, f.frameRate(), Double.NaN, Double.NaN, List.of());
      return new AviReader(file, channel, avi, decoder, info);
    } catch (IOException | RuntimeException e) {
      if (decoder != null) decoder.close();
      channel.close();
      throw e;
    }
  }

  /** Chunk {@code index}'s bytes, in {@code buffer} when it is large enough, else in a new array. */
  static byte[] readChunk(Path file, FileChannel channel, AviFile avi, int index, byte[] buffer) throws IOException {
    int size = avi.size(index);
    byte[] b = buffer.length >= size ? buffer : new byte[size];
    ChannelReader.readFully(channel, ByteBuffer.wrap(b, 0, size), avi.offset(index), file);
    return b;
  }

  @Override
  protected boolean decodesAhead() {
    return !decoder.intraOnly(); // the intra-only codecs convert colour while decoding
  }

  @Override
  protected void restart() {
    decoder.reset();
    next = 0;
    previous = null;
  }

  @Override
  protected boolean seekTo(int index) throws IOException {
    if (!decoder.intraOnly()) return false;
    int start = index; // an empty chunk shows the last chunk with data before it (chunk 0 has data)
    while (start > 0 && avi.size(start) == 0) start--;
    if (start < index) previous = decodeChunk(start);
    next = index;
    return true;
  }

  @Override
  protected Future<Frame> startNext() throws IOException {
    int index = next++;
    if (avi.size(index) == 0) {
      if (previous == null) throw new ClipFormatException(file, "frame " + index + " repeats a frame that was never decoded");
      return previous;
    }
    Future<Frame> frame = decodeChunk(index);
    if (frame == null) {
      if (previous == null) throw new ClipFormatException(file, "frame " + index + " repeats a frame that was never decoded");
      return previous;
    }
    previous = frame;
    return frame;
  }

  private Future<Frame> decodeChunk(int index) throws IOException {
    chunk = readChunk(file, channel, avi, index, chunk);
    return decoder.start(chunk, avi.size(index), index, converter);
  }

  @Override
  public void close() throws IOException {
    super.close();
    decoder.close();
    channel.close();
  }
}
