package sonogate.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * MetaImage (.mha with LOCAL data, or .mhd with an external data file): 2D images or frames
 * stacked along the 3rd dimension, MET_UCHAR/CHAR/USHORT/SHORT, 1 or 3 channels, raw or zlib
 * (CompressedData). Raw frames are read with positional reads; zlib data is inflated as a stream,
 * so going backwards re-inflates from the start.
 */
final class MetaImageReader implements ClipReader {
  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final long compressedSize; // -1 when raw
  private final long frameBytes;
  private final PixelFormat format;
  private final PixelMapper mapper;
  private final ByteOrder order;
  private final ClipInfo info;
  private InputStream inflating;
  private Inflater inflater;
  private int nextFrame;

  private MetaImageReader(Path file, MetaImageHeader h) throws IOException {
    this.file = file;
    String objectType = h.get("ObjectType");
    if (!objectType.isEmpty() && !objectType.equalsIgnoreCase("Image")) throw error("not an image: ObjectType '" + objectType + "'");
    long[] dims = h.longs("DimSize", file);
    int ndims = h.get("NDims").isEmpty() ? dims.length : parseInt(h.get("NDims"), "NDims");
    if (ndims != 2 && ndims != 3) throw error("NDims " + ndims + " is not supported (2 or 3)");
    if (dims.length < ndims) throw error("DimSize has " + dims.length + " values for NDims " + ndims);
    long width = dims[0];
    long height = dims[1];
    long frames = ndims == 3 ? dims[2] : 1;
    if (width <= 0 || height <= 0) throw error("image size " + width + "x" + height);
    if (frames <= 0) throw error("DimSize declares " + frames + " frames (zero frames)");
    if (frames > Integer.MAX_VALUE) throw error("DimSize declares " + frames + " frames");
    // each side first: the product of two huge sizes overflows a long
    if (width > DicomReader.MAX_PIXELS || height > DicomReader.MAX_PIXELS || width * height > DicomReader.MAX_PIXELS) {
      throw error("frame of " + width + "x" + height + " pixels is larger than supported");
    }
    int channels = h.get("ElementNumberOfChannels").isEmpty() ? 1 : parseInt(h.get("ElementNumberOfChannels"), "ElementNumberOfChannels");
    if (channels != 1 && channels != 3) throw error("wrong channel count: ElementNumberOfChannels " + channels + " (1 or 3 supported)");
    String type = h.get("ElementType").toUpperCase(java.util.Locale.ROOT);
    int bits;
    boolean signed;
    switch (type) {
      case "MET_UCHAR" -> { bits = 8; signed = false; }
      case "MET_CHAR" -> { bits = 8; signed = true; }
      case "MET_USHORT" -> { bits = 16; signed = false; }
      case "MET_SHORT" -> { bits = 16; signed = true; }
      default -> throw error("unsupported ElementType (MET_UCHAR, MET_CHAR, MET_USHORT, MET_SHORT are): '" + type + "'");
    }
    this.order = h.flag("ElementByteOrderMSB") || h.flag("BinaryDataByteOrderMSB") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    double[] range = {Double.NaN, Double.NaN};
    if (!h.get("ElementMin").isEmpty() && !h.get("ElementMax").isEmpty()) {
      range = new double[] {h.doubles("ElementMin")[0], h.doubles("ElementMax")[0]};
    }
    boolean window = bits > 8 && range[1] > range[0];
    this.format = new PixelFormat((int) height, (int) width, channels, bits, bits, bits - 1, signed, false,
        channels == 1 ? PixelFormat.MONOCHROME2 : PixelFormat.RGB, null, 1, 0,
        window ? (range[0] + range[1] + 1) / 2 : Double.NaN, window ? range[1] - range[0] + 1 : Double.NaN);
    this.mapper = new PixelMapper(format);
    this.frameBytes = format.nativeFrameBytes();

    String dataFile = h.get("ElementDataFile");
    Path data;
    long start;
    if (dataFile.equalsIgnoreCase("LOCAL")) {
      data = file;
      start = h.dataOffset;
    } else if (dataFile.equalsIgnoreCase("LIST") || dataFile.contains("%") || dataFile.isEmpty()) {
      throw error("unsupported ElementDataFile (LOCAL or one file name): '" + dataFile + "'");
    } else {
      try {
        data = file.resolveSibling(dataFile);
      } catch (java.nio.file.InvalidPathException e) {
        throw error("ElementDataFile is not a valid file name: '" + dataFile + "'");
      }
      if (!Files.isRegularFile(data)) throw error("the data file named by ElementDataFile does not exist: '" + dataFile + "'");
      start = -2; // set from HeaderSize below
    }
    this.channel = FileChannel.open(data, StandardOpenOption.READ);
    try {
      long size = channel.size();
      long total = frames * frameBytes;
      boolean compressed = h.flag("CompressedData");
      if (start == -2) {
        long headerSize = h.get("HeaderSize").isEmpty() ? 0 : parseLong(h.get("HeaderSize"), "HeaderSize");
        start = headerSize >= 0 ? headerSize : size - total;
        if (start < 0) start = 0;
      }
      this.dataStart = start;
      long available = size - start;
      if (compressed) {
        long declared = h.get("CompressedDataSize").isEmpty() ? available : parseLong(h.get("CompressedDataSize"), "CompressedDataSize");
        if (declared <= 0 || declared > available) {
          throw error("truncated: CompressedDataSize " + declared + " but only " + available + " bytes follow the header");
        }
        if (total > ImageIoDecoder.MAX_PIXELS_PER_BYTE * declared + 65536) { // deflate expands at most ~1032:1
          throw error("header declares " + frames + " frames of " + frameBytes + " bytes but " + declared
              + " bytes of zlib data cannot hold them");
        }
        this.compressedSize = declared;
      } else {
        if (total > available) {
          throw error("header declares " + frames + " frames of " + frameBytes + " bytes but the data holds " + available + " bytes");
        }
        this.compressedSize = -1;
      }
      this.info = new ClipInfo(file, "MetaImage", compressed ? "zlib" : "raw", "", (int) frames, (int) width,
          (int) height, channels, format.photometric(), bits, h.frameRate(), spacing(h, 0), spacing(h, 1), List.of());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  static MetaImageReader open(Path file) throws IOException {
    return new MetaImageReader(file, MetaImageHeader.read(file));
  }

  private static double spacing(MetaImageHeader h, int index) {
    double[] s = h.doubles("ElementSpacing");
    return s.length > index && s[index] > 0 ? s[index] : Double.NaN;
  }

  private int parseInt(String v, String key) throws ClipFormatException {
    long n = parseLong(v, key);
    if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) throw error(key + " is out of range: " + v);
    return (int) n;
  }

  private long parseLong(String v, String key) throws ClipFormatException {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw error(key + " is not an integer: '" + v + "'");
    }
  }

  private ClipFormatException error(String problem) {
    return new ClipFormatException(file, problem);
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
    byte[] raw = new byte[(int) frameBytes];
    if (compressedSize < 0) {
      ChannelReader.readFully(channel, java.nio.ByteBuffer.wrap(raw), dataStart + index * frameBytes, file);
    } else {
      readCompressed(index, raw);
    }
    if (mapper.passThrough()) return new Frame(format.columns(), format.rows(), PixelMapper.outputChannels(format), raw);
    return mapper.map(NativePixels.unpack(raw, format, order, false, file));
  }

  private void readCompressed(int index, byte[] raw) throws IOException {
    if (inflating == null || index < nextFrame) restartInflating();
    try {
      long skip = (index - nextFrame) * frameBytes;
      if (inflating.skip(skip) != skip) throw error("zlib data ends before frame " + index);
      nextFrame = index;
      if (inflating.readNBytes(raw, 0, raw.length) != raw.length) {
        throw error("zlib data ends inside frame " + index + " of " + info.frameCount());
      }
      nextFrame = index + 1;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      closeInflating();
      throw new ClipFormatException(file, "zlib data is corrupt near frame " + index + " (" + e.getMessage() + ")", e);
    } catch (ClipFormatException e) {
      closeInflating();
      throw e;
    }
  }

  private void restartInflating() throws IOException {
    closeInflating();
    InputStream compressed = new BoundedChannelStream(channel, dataStart, compressedSize);
    inflater = new Inflater();
    inflating = new InflaterInputStream(new BufferedInputStream(compressed, 64 * 1024), inflater, 64 * 1024);
    nextFrame = 0;
  }

  private void closeInflating() {
    if (inflater != null) inflater.end();
    inflater = null;
    inflating = null;
  }

  @Override
  public void close() throws IOException {
    closeInflating();
    channel.close();
  }

  /** Reads {@code length} bytes of a channel from {@code start} with positional reads. */
  private static final class BoundedChannelStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    BoundedChannelStream(FileChannel channel, long start, long length) {
      this.channel = channel;
      this.position = start;
      this.end = start + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) return -1;
      int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n > 0) position += n;
      return n;
    }
  }
}
