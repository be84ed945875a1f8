package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * MP4 and QuickTime MOV files with H.264 video (any profile JCodec decodes: Baseline, Main, High
 * with CABAC and 8x8 transforms; 8-bit 4:2:0, progressive). Other tracks (audio) are ignored.
 * Samples are read one at a time from the file and decoded in decoding order; frames come out in
 * display order (presentation times of the sample tables), holding only the few frames that
 * B-frame reordering needs. Frames are RGB ({@link YuvToRgb}), converted while the next sample
 * decodes ({@link PipelinedClipReader}).
 */
final class Mp4VideoReader extends PipelinedClipReader {
  /** Frames held for display reordering; H.264 allows at most 16. */
  private static final int MAX_REORDER = 32;
  /** Pseudo-random bytes without zeros put after each slice NAL unit (see {@link #toAnnexB}). */
  private static final byte[] SLICE_PADDING = slicePadding(16 << 10);

  private final Path file;
  private final FileChannel channel;
  private final Mp4Track track;
  private final AvcConfig config;
  private final YuvToRgb colour;
  private final int[] displayPosition; // display index of each decoding-order sample
  private final Map<Integer, Future<Frame>> pending = new HashMap<>();
  private final PictureBuffers buffers;
  private H264Decoder decoder;
  private int nextSample;
  private int nextDisplay;
  private ByteBuffer sample = ByteBuffer.allocate(0);
  private ByteBuffer annexB = ByteBuffer.allocate(0);

  private Mp4VideoReader(Path file, FileChannel channel, Mp4Track track, AvcConfig config, ClipInfo info) {
    super(info);
    this.file = file;
    this.channel = channel;
    this.track = track;
    this.config = config;
    this.colour = YuvToRgb.of(config.bt709, config.fullRange);
    int[] order = track.displayOrder();
    this.displayPosition = new int[order.length];
    for (int d = 0; d < order.length; d++) displayPosition[order[d]] = d;
    this.buffers = new PictureBuffers(3, config.codedWidth, config.codedHeight, ColorSpace.YUV420);
    JCodecSupport.init();
    this.decoder = newDecoder();
  }

  static Mp4VideoReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      Mp4Track track = Mp4Parser.parse(file, channel);
      if (!track.codec().equals("avc1") && !track.codec().equals("avc3")) {
        throw new ClipFormatException(file, "unsupported " + track.brand() + " video codec '" + track.codec() + "' (H.264 only)");
      }
      if (track.codecConfig().length == 0) throw new ClipFormatException(file, "H.264 track without its configuration (avcC)");
      AvcConfig config = AvcConfig.parse(track.codecConfig(), file);
      ClipInfo info = new ClipInfo(file, track.brand(), "H.264 " + config.profileName() + ", "
          + YuvToRgb.describe(config.bt709, config.fullRange), "", track.sampleCount(), config.width, config.height, 3,
          config.fullRange ? "YBR_FULL_420" : "YBR_PARTIAL_420", 8, track.frameRate(), Double.NaN, Double.NaN, List.of());
      return new Mp4VideoReader(file, channel, track, config, info);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private H264Decoder newDecoder() {
    return H264Decoder.createH264DecoderFromCodecPrivate(config.annexB());
  }

  @Override
  protected void restart() {
    JCodecSupport.release(decoder);
    decoder = newDecoder();
    pending.clear();
    nextSample = 0;
    nextDisplay = 0;
  }

  @Override
  protected Future<Frame> startNext() throws IOException {
    while (!pending.containsKey(nextDisplay)) {
      if (nextSample >= track.sampleCount()) throw new ClipFormatException(file, "frame " + nextDisplay + " is never decoded");
      int index = nextSample++;
      pending.put(displayPosition[index], decodeSample(index));
      if (pending.size() > MAX_REORDER) throw new ClipFormatException(file, "display reordering deeper than " + MAX_REORDER + " frames");
    }
    return pending.remove(nextDisplay++);
  }

  private Future<Frame> decodeSample(int index) throws IOException {
    int size = track.sizes()[index];
    if (sample.capacity() < size) sample = ByteBuffer.allocate(size);
    sample.clear().limit(size);
    ChannelReader.readFully(channel, sample, track.offsets()[index], file);
    sample.flip();
    ByteBuffer nals = toAnnexB(sample, index);
    byte[][] buffer = buffers.next();
    Picture picture;
    try {
      picture = decoder.decodeFrame(nals, buffer);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "H.264 frame " + index + " (decoding order) cannot be decoded ("
          + e.getClass().getSimpleName() + ")", e);
    }
    if (picture == null) throw new ClipFormatException(file, "H.264 sample " + index + " holds no picture");
    Future<Frame> frame = converter.submit(() -> colour.convert(picture, config.cropLeft, config.cropTop, config.width, config.height));
    buffers.convertedBy(frame);
    return frame;
  }

  /**
   * Rewrites length-prefixed NAL units as an Annex B stream (what the decoder parses), checking
   * each length against the sample, and any in-band sequence parameter set against the
   * configuration's picture size (a different size would make the decoder allocate for it).
   *
   * <p>Each slice NAL unit gets {@link #SLICE_PADDING} after it. JCodec's entropy decoders read
   * zero bits once a slice's data runs out, and on damaged data some of their loops (e.g. CABAC's
   * unary mb_qp_delta, the exp-Golomb prefixes) then never end: a corrupt file hung the reader.
   * On random bits every such loop ends after a few bins and the end-of-slice test soon succeeds,
   * so a damaged slice ends (or throws) instead. The bytes have no zeros, so they contain no start
   * code. A valid slice never depends on them: its end-of-slice flag and the arithmetic coder's
   * flush come before them (checked: the real files still decode to ffmpeg's exact YUV planes).
   */
  private ByteBuffer toAnnexB(ByteBuffer in, int index) throws ClipFormatException {
    int n = config.lengthSize;
    int nals = in.remaining() / (n + 1) + 1;
    int need = in.remaining() + nals * (4 - n + SLICE_PADDING.length) + 16;
    if (annexB.capacity() < need) annexB = ByteBuffer.allocate(need);
    annexB.clear();
    while (in.remaining() > 0) {
      if (in.remaining() < n) throw new ClipFormatException(file, "H.264 sample " + index + " ends inside a NAL length");
      int length = 0;
      for (int k = 0; k < n; k++) length = (length << 8) | (in.get() & 0xFF);
      if (length <= 0 || length > in.remaining()) {
        throw new ClipFormatException(file, "H.264 sample " + index + ": NAL unit of " + length + " bytes, " + in.remaining() + " left");
      }
      int type = in.get(in.position()) & 0x1F;
      if (type == 7) checkInBandSps(in, length, index);
      annexB.putInt(1);
      annexB.put(annexB.position(), in, in.position(), length);
      annexB.position(annexB.position() + length);
      in.position(in.position() + length);
      if (type >= 1 && type <= 5) annexB.put(SLICE_PADDING);
    }
    return annexB.flip();
  }

  private static byte[] slicePadding(int length) {
    byte[] b = new byte[length];
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x5EED);
    for (int i = 0; i < length; i++) b[i] = (byte) (1 + random.nextInt(255));
    return b;
  }

  private void checkInBandSps(ByteBuffer in, int length, int index) throws ClipFormatException {
    byte[] nal = new byte[length];
    in.get(in.position(), nal);
    SeqParameterSet s = AvcConfig.readSps(nal, file);
    int w = (s.picWidthInMbsMinus1 + 1) * 16;
    int h = (s.picHeightInMapUnitsMinus1 + 1) * 16;
    if (w != config.codedWidth || h != config.codedHeight) {
      throw new ClipFormatException(file, "H.264 sample " + index + " changes the picture size to " + w + "x" + h + " (not supported)");
    }
  }

  @Override
  public void close() throws IOException {
    super.close();
    JCodecSupport.release(decoder);
    channel.close();
  }
}
