package sonogate.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.WritableDataset;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.object.datatype.FixedPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One HDF5 file with a single uint8 dataset {@code /frames} of shape frames x H x W (grey) or
 * frames x H x W x 3 (RGB), which h5py reads as the matching numpy array.
 *
 * <p>Memory: jhdf 0.9.4 writes a dataset in one call (no appending), so the frames are held until
 * commit: one byte per sample, e.g. 1,000 frames of 600x430 grey = 258 MB. Use PNG output for
 * clips that do not fit. jhdf writes 8-bit integers as signed; the writer flips the datatype's
 * sign bit in the written file (the first 8-bit fixed-point datatype message, the only one) and
 * reads the file back to check it is uint8 with the right shape before it is renamed into place.
 * The dataset's only attribute is {@code frame_rate} (frames per second, float64) when the clip
 * states one.
 */
final class Hdf5FrameWriter implements FrameWriter {
  static final String DATASET = "frames";
  static final String FRAME_RATE = "frame_rate";
  /** Datatype message of a 1-byte little-endian signed fixed-point number: class 0 version 1, flags 0x08 (signed), size 1, offset 0, precision 8. */
  private static final byte[] SIGNED_INT8 = {0x10, 0x08, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0};

  private static final byte[] OHDR = {'O', 'H', 'D', 'R'};

  private final Path target;
  private final WriterOptions options;
  private final List<byte[]> frames = new ArrayList<>();
  private final FrameShape shape = new FrameShape();
  private boolean committed;

  Hdf5FrameWriter(Path target, WriterOptions options) {
    this.target = target;
    this.options = options;
  }

  @Override
  public void write(Frame f) {
    if (committed) throw new IllegalStateException("already committed");
    shape.accept(f, frames.size());
    frames.add(f.samples().clone());
  }

  @Override
  public int count() {
    return frames.size();
  }

  @Override
  public void commit() throws IOException {
    if (committed) return;
    if (frames.isEmpty()) throw new IOException(target + ": no frames to write");
    try (AtomicFile file = new AtomicFile(target)) {
      Path tmp = file.tmp();
      try (WritableHdfFile out = HdfFile.write(tmp)) {
        WritableDataset ds = out.putDataset(DATASET, nested());
        if (options.hasFrameRate()) ds.putAttribute(FRAME_RATE, options.frameRate());
      }
      markUnsigned(tmp);
      verify(tmp);
      file.commit();
    }
    committed = true;
    frames.clear();
  }

  private Object nested() {
    int n = frames.size(), width = shape.width(), height = shape.height(), channels = shape.channels();
    if (channels == 1) {
      byte[][][] a = new byte[n][height][];
      for (int i = 0; i < n; i++) {
        byte[] s = frames.get(i);
        for (int y = 0; y < height; y++) a[i][y] = java.util.Arrays.copyOfRange(s, y * width, (y + 1) * width);
      }
      return a;
    }
    byte[][][][] a = new byte[n][height][width][];
    for (int i = 0; i < n; i++) {
      byte[] s = frames.get(i);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int o = (y * width + x) * 3;
          a[i][y][x] = java.util.Arrays.copyOfRange(s, o, o + 3);
        }
      }
    }
    return a;
  }

  private void markUnsigned(Path file) throws IOException {
    long size = Files.size(file);
    long header = Math.min(size, 64 * 1024);   // jhdf puts object headers before the data
    ByteBuffer buf = ByteBuffer.allocate((int) header);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      while (buf.hasRemaining() && ch.read(buf) >= 0) { }
      byte[] b = buf.array();
      int at = indexOf(b, SIGNED_INT8, 0);
      if (at < 0) throw new IOException(target + ": cannot find the int8 datatype in the file jhdf wrote");
      b[at + 1] = 0x00;
      // the message sits in a version-2 object header ("OHDR"), whose checksum covers it
      int ohdr = -1;
      for (int i = indexOf(b, OHDR, 0); i >= 0 && i < at; i = indexOf(b, OHDR, i + 1)) ohdr = i;
      if (ohdr < 0) throw new IOException(target + ": no object header before the datatype in the file jhdf wrote");
      int flags = b[ohdr + 5] & 0xFF;
      int p = ohdr + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
      int width = 1 << (flags & 3);
      long chunk = 0;
      for (int k = 0; k < width; k++) chunk |= (long) (b[p + k] & 0xFF) << (8 * k);
      int end = Math.toIntExact(p + width + chunk);   // the checksum follows the first chunk
      if (end + 4 > b.length || at > end) throw new IOException(target + ": unexpected object header layout in the file jhdf wrote");
      int sum = ChecksumUtils.checksum(java.util.Arrays.copyOfRange(b, ohdr, end));
      ByteBuffer patch = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(sum).flip();
      ch.write(ByteBuffer.wrap(new byte[] {0x00}), at + 1);
      ch.write(patch, end);
    }
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private void verify(Path file) throws IOException {
    try (HdfFile in = new HdfFile(file)) {
      Dataset ds = in.getDatasetByPath(DATASET);
      int[] dims = ds.getDimensions();
      int height = shape.height(), width = shape.width();
      int[] want = shape.channels() == 1 ? new int[] {frames.size(), height, width} : new int[] {frames.size(), height, width, 3};
      if (!java.util.Arrays.equals(dims, want) || !(ds.getDataType() instanceof FixedPoint fp) || fp.isSigned()
          || fp.getSize() != 1) {
        throw new IOException(target + ": read-back check failed (" + java.util.Arrays.toString(dims) + ", " + ds.getDataType() + ")");
      }
    } catch (RuntimeException e) {
      throw new IOException(target + ": read-back check failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    frames.clear();
  }
}
