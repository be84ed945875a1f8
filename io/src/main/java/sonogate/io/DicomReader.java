package sonogate.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * DICOM Part 10 clips (single- and multi-frame): native pixel data in implicit/explicit VR little
 * endian, explicit big endian and deflated explicit little endian; encapsulated RLE Lossless,
 * JPEG baseline/extended (ImageIO) and JPEG Lossless process 14 (own decoder). The header is
 * parsed once (whitelisted technical attributes only); frames are read and decoded on demand.
 */
final class DicomReader implements ClipReader {
  /** Largest frame accepted, in pixels (8192 x 4096), so a lying header cannot exhaust memory. */
  static final long MAX_PIXELS = 1L << 25;

  private final Path file;
  private final FileChannel channel;
  private final FileChannel dataChannel; // channel, or the inflated copy of a deflated dataset
  private final Path inflated;
  private final TransferSyntax syntax;
  private final PixelFormat format;
  private final PixelMapper mapper;
  private final NativeFrames nativeFrames;
  private final EncapsulatedFrames encapsulatedFrames;
  private final boolean swap8;
  private final ClipInfo info;

  private DicomReader(Path file, FileChannel channel, FileChannel dataChannel, Path inflated,
      ChannelReader metaIn, DicomParser.Meta meta) throws IOException {
    this.file = file;
    this.channel = channel;
    this.dataChannel = dataChannel;
    this.inflated = inflated;
    ChannelReader in = new ChannelReader(file, dataChannel);
    TransferSyntax ts = meta.transferSyntaxUid().isEmpty()
        ? (DicomParser.guessExplicit(metaIn, meta.datasetStart()) ? TransferSyntax.EXPLICIT_LE : TransferSyntax.IMPLICIT_LE)
        : TransferSyntax.of(meta.transferSyntaxUid(), file);
    this.syntax = ts;
    if (ts == TransferSyntax.DEFLATED_LE) {
      if (inflated == null) throw new IllegalStateException("deflated dataset needs the inflated copy");
      in.seek(0);
    } else {
      in.seek(meta.datasetStart());
    }
    in.order(ts.order);
    DicomParser.Dataset dataset = DicomParser.readDataset(in, ts.explicitVr);
    DicomAttributes a = dataset.attributes();
    this.format = PixelFormat.fromDicom(a, ts, file);
    long pixels = (long) format.rows() * format.columns();
    if (pixels > MAX_PIXELS) throw new ClipFormatException(file, "frame of " + format.columns() + "x" + format.rows() + " pixels is larger than supported");
    int frames = frameCount(a);
    DicomParser.PixelData pd = dataset.pixelData();
    if (ts.encapsulated()) {
      if (pd.length() >= 0) throw new ClipFormatException(file, "transfer syntax " + ts.describe() + " but the pixel data is not encapsulated");
      in.seek(pd.position());
      this.encapsulatedFrames = EncapsulatedFrames.scan(in, dataChannel, frames,
          ts.codec != TransferSyntax.Codec.RLE, a.has(DicomTags.EXTENDED_OFFSET_TABLE) ? a.raw(DicomTags.EXTENDED_OFFSET_TABLE) : null);
      this.nativeFrames = null;
    } else {
      if (pd.length() < 0) throw new ClipFormatException(file, "native transfer syntax " + ts.describe() + " but the pixel data has undefined length");
      long frameBytes = format.nativeFrameBytes();
      if ((double) frames * frameBytes > pd.length()) {
        throw new ClipFormatException(file, "header declares " + frames + " frames of " + frameBytes
            + " bytes but the pixel data holds " + pd.length() + " bytes");
      }
      this.nativeFrames = new NativeFrames(file, dataChannel, pd.position(), frameBytes);
      this.encapsulatedFrames = null;
    }
    this.swap8 = ts.order == ByteOrder.BIG_ENDIAN && format.bitsAllocated() == 8 && "OW".equals(pd.vr());
    PixelFormat decoded = ts.codec == TransferSyntax.Codec.JPEG_IMAGEIO ? ImageIoJpegDecoder.decodedFormat(format) : format;
    this.mapper = new PixelMapper(decoded);
    this.info = new ClipInfo(file, "DICOM", ts.describe(), a.string(DicomTags.MODALITY), frames,
        format.columns(), format.rows(), PixelMapper.outputChannels(format), format.photometric(),
        format.bitsStored(), frameRate(a), spacing(a, 1), spacing(a, 0), dataset.regions());
  }

  static DicomReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    Path inflated = null;
    FileChannel dataChannel = channel;
    try {
      ChannelReader metaIn = new ChannelReader(file, channel);
      DicomParser.Meta meta = DicomParser.readMeta(metaIn);
      if (TransferSyntax.DEFLATED_LE.uid.equals(meta.transferSyntaxUid())) {
        inflated = inflate(file, channel, meta.datasetStart());
        dataChannel = FileChannel.open(inflated, StandardOpenOption.READ);
      }
      return new DicomReader(file, channel, dataChannel, inflated, metaIn, meta);
    } catch (IOException | RuntimeException e) {
      if (dataChannel != channel) dataChannel.close();
      channel.close();
      if (inflated != null) Files.deleteIfExists(inflated);
      throw e;
    }
  }

  /** Inflates a deflated dataset into a temporary file so frames can still be read on demand. */
  private static Path inflate(Path file, FileChannel channel, long start) throws IOException {
    Path tmp = Files.createTempFile("sonogate-inflated-", ".dcm");
    channel.position(start);
    InputStream raw = Channels.newInputStream(channel);
    boolean zlibHeader = false;
    if (channel.size() - start >= 2) {
      byte[] two = new byte[2];
      ChannelReader.readFully(channel, java.nio.ByteBuffer.wrap(two), start, file);
      zlibHeader = (two[0] & 0x0F) == 8 && ((two[0] & 0xFF) << 8 | two[1] & 0xFF) % 31 == 0; // some writers add one
    }
    Inflater inflater = new Inflater(!zlibHeader);
    try (InputStream in = new InflaterInputStream(raw, inflater, 64 * 1024);
        OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      Files.deleteIfExists(tmp);
      throw new ClipFormatException(file, "deflated dataset is corrupt (" + e.getMessage() + ")", e);
    } finally {
      inflater.end();
    }
    return tmp;
  }

  private int frameCount(DicomAttributes a) throws ClipFormatException {
    if (!a.has(DicomTags.NUMBER_OF_FRAMES)) return 1;
    double n = a.decimal(DicomTags.NUMBER_OF_FRAMES, 0);
    if (Double.isNaN(n)) throw new ClipFormatException(file, "NumberOfFrames is not a number");
    if (n < 1) throw new ClipFormatException(file, "header declares " + (long) n + " frames (zero frames)");
    if (n > Integer.MAX_VALUE) throw new ClipFormatException(file, "header declares " + (long) n + " frames");
    return (int) n;
  }

  /** FrameTime (ms), else CineRate, else RecommendedDisplayFrameRate, else FrameTimeVector; NaN when unknown. */
  private static double frameRate(DicomAttributes a) {
    double frameTime = a.decimal(DicomTags.FRAME_TIME, 0);
    if (frameTime > 0) return 1000.0 / frameTime;
    double cine = a.decimal(DicomTags.CINE_RATE, 0);
    if (cine > 0) return cine;
    double recommended = a.decimal(DicomTags.RECOMMENDED_DISPLAY_FRAME_RATE, 0);
    if (recommended > 0) return recommended;
    double[] vector = a.decimals(DicomTags.FRAME_TIME_VECTOR);
    if (vector.length > 1) {
      double sum = 0;
      for (int i = 1; i < vector.length; i++) sum += vector[i];
      double mean = sum / (vector.length - 1);
      if (mean > 0) return 1000.0 / mean;
    }
    return Double.NaN;
  }

  /** PixelSpacing (row\column spacing, mm), else ImagerPixelSpacing; index 0 is vertical, 1 horizontal. */
  private static double spacing(DicomAttributes a, int index) {
    int tag = a.has(DicomTags.PIXEL_SPACING) ? DicomTags.PIXEL_SPACING : DicomTags.IMAGER_PIXEL_SPACING;
    double v = a.decimal(tag, index);
    return v > 0 ? v : Double.NaN;
  }

  @Override
  public ClipInfo info() {
    return info;
  }

  @Override
  public Frame readFrame(int index) throws IOException {
    if (index < 0 || index >= info.frameCount()) {
      throw new IndexOutOfBoundsException("frame " + index + " of " + info.frameCount());
    }
    if (syntax.codec == TransferSyntax.Codec.NATIVE && mapper.passThrough() && !swap8) {
      return new Frame(format.columns(), format.rows(), PixelMapper.outputChannels(format), nativeFrames.read(index));
    }
    int[] samples = switch (syntax.codec) {
      case NATIVE -> NativePixels.unpack(nativeFrames.read(index), format, syntax.order, swap8, file);
      case RLE -> RleDecoder.decode(encapsulatedFrames.read(index), format, file, index);
      case JPEG_IMAGEIO -> ImageIoJpegDecoder.decode(encapsulatedFrames.read(index), format, file, index);
      case JPEG_LOSSLESS -> losslessJpeg(index);
    };
    return mapper.map(samples);
  }

  private int[] losslessJpeg(int index) throws IOException {
    LosslessJpegDecoder.Image image = LosslessJpegDecoder.decode(encapsulatedFrames.read(index), file,
        format.columns(), format.rows(), format.samplesPerPixel());
    if (image.width() != format.columns() || image.height() != format.rows()
        || image.components() != format.samplesPerPixel()) {
      throw new ClipFormatException(file, "JPEG frame " + index + " is " + image.width() + "x" + image.height()
          + "x" + image.components() + " but the header says " + format.columns() + "x" + format.rows()
          + "x" + format.samplesPerPixel());
    }
    int[] s = image.samples();
    for (int i = 0; i < s.length; i++) s[i] = format.normalize(s[i]);
    return s;
  }

  @Override
  public void close() throws IOException {
    try {
      if (dataChannel != channel) dataChannel.close();
      channel.close();
    } finally {
      if (inflated != null) Files.deleteIfExists(inflated);
    }
  }
}
