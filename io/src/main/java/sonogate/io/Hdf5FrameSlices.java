package sonogate.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OrderedDataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one frame (index along the first axis) of a numeric HDF5 dataset as doubles, whatever
 * its storage: chunked (each chunk decompressed by jhdf, the frame assembled here from the chunks
 * it crosses, the last chunk row kept for the next frame), contiguous (a slice of the data) or
 * compact (read whole; it is tiny by definition).
 *
 * <p>Why not jhdf's {@code getData(offset, shape)}: in jhdf 0.9.4 it returns wrong values for
 * chunked datasets whenever the offset is not 0 (it looks chunks up by chunk index where its
 * table is keyed by array offset; jhdf issue 727), which is every frame but the first.
 */
final class Hdf5FrameSlices {
  /** A chunk row larger than this is refused (h5py's automatic chunks stay near 1 MB). */
  private static final long MAX_CHUNK_ROW_BYTES = 256L << 20;

  private final Path file;
  private final Dataset dataset;
  private final int[] dims;
  private final int elementSize;
  private final ByteOrder order;
  private final boolean floating;
  private final boolean signed;
  private final int frameElements;
  private final Map<String, byte[]> chunkRow = new HashMap<>();
  private int chunkRowStart = -1;
  private Object compact;

  Hdf5FrameSlices(Path file, Dataset dataset) throws ClipFormatException {
    this.file = file;
    this.dataset = dataset;
    this.dims = dataset.getDimensions();
    this.elementSize = dataset.getDataType().getSize();
    this.order = dataset.getDataType() instanceof OrderedDataType o ? o.getByteOrder() : ByteOrder.LITTLE_ENDIAN;
    this.floating = dataset.getDataType() instanceof FloatingPoint;
    this.signed = dataset.getDataType() instanceof FixedPoint f && f.isSigned();
    if (!(floating ? elementSize == 4 || elementSize == 8 : elementSize == 1 || elementSize == 2 || elementSize == 4 || elementSize == 8)) {
      throw new ClipFormatException(file, "HDF5 element size " + elementSize + " bytes is not supported");
    }
    long n = 1;
    for (int i = 1; i < dims.length; i++) n *= dims[i];
    this.frameElements = (int) n;
    if (dataset instanceof ChunkedDataset c) {
      int[] chunk = c.getChunkDimensions();
      if (chunk.length != dims.length) throw new ClipFormatException(file, "HDF5 chunk shape of rank " + chunk.length + " for a dataset of rank " + dims.length);
      long row = (long) chunk[0] * elementSize;
      for (int i = 1; i < dims.length; i++) row *= (long) Math.ceil((double) dims[i] / chunk[i]) * chunk[i];
      if (row > MAX_CHUNK_ROW_BYTES) throw new ClipFormatException(file, "HDF5 chunks of " + java.util.Arrays.toString(chunk) + " are too large to stream");
    }
  }

  /** Frame {@code f}'s values, row-major over the remaining axes. */
  double[] frame(int f) throws ClipFormatException {
    double[] out = new double[frameElements];
    try {
      switch (dataset) {
        case ChunkedDataset c -> fromChunks(c, f, out);
        case ContiguousDataset c -> {
          ByteBuffer all = c.getBuffer().duplicate().order(order);
          long start = (long) f * frameElements * elementSize;
          if (start + (long) frameElements * elementSize > all.limit()) {
            throw new ClipFormatException(file, "truncated: frame " + f + " of " + dataset.getPath() + " lies past its data");
          }
          for (int i = 0; i < frameElements; i++) out[i] = element(all, (int) start + i * elementSize);
        }
        default -> fromCompact(f, out);
      }
    } catch (HdfException | IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
      throw new ClipFormatException(file, "frame " + f + " of " + dataset.getPath() + " cannot be read (" + e.getMessage() + ")", e);
    }
    return out;
  }

  /** Copies frame {@code f} chunk by chunk (the dataset is frames x H x W, or x C). */
  private void fromChunks(ChunkedDataset c, int f, double[] out) throws ClipFormatException {
    int[] chunk = c.getChunkDimensions();
    int rowStart = f / chunk[0] * chunk[0];
    if (rowStart != chunkRowStart) {
      chunkRow.clear();
      chunkRowStart = rowStart;
    }
    int h = dims[1], w = dims[2];
    int channels = dims.length == 4 ? dims[3] : 1;
    int ch = chunk[1], cw = chunk[2], cc = dims.length == 4 ? chunk[3] : 1;
    for (int y0 = 0; y0 < h; y0 += ch) {
      for (int x0 = 0; x0 < w; x0 += cw) {
        for (int c0 = 0; c0 < channels; c0 += cc) {
          int[] offset = dims.length == 4 ? new int[] {rowStart, y0, x0, c0} : new int[] {rowStart, y0, x0};
          byte[] data = chunk(c, offset);
          if (data == null) continue; // zeros
          ByteBuffer b = ByteBuffer.wrap(data).order(order);
          for (int y = y0; y < Math.min(h, y0 + ch); y++) {
            for (int x = x0; x < Math.min(w, x0 + cw); x++) {
              for (int k = c0; k < Math.min(channels, c0 + cc); k++) {
                int inChunk = (((f - rowStart) * ch + (y - y0)) * cw + (x - x0)) * cc + (k - c0);
                out[(y * w + x) * channels + k] = element(b, inChunk * elementSize);
              }
            }
          }
        }
      }
    }
  }

  /** The decompressed chunk at {@code offset} (cached for the current chunk row); null when it was never written. */
  private byte[] chunk(ChunkedDataset c, int[] offset) throws ClipFormatException {
    String key = java.util.Arrays.toString(offset);
    if (chunkRow.containsKey(key)) return chunkRow.get(key);
    byte[] data;
    try {
      data = c.getDecompressedChunk(offset.clone());
    } catch (HdfException e) {
      if (String.valueOf(e.getMessage()).startsWith("No chunk with offset")) {
        data = null; // never written: HDF5 reads it as the fill value, 0 for h5py's defaults
      } else {
        throw e;
      }
    }
    int[] chunkDims = c.getChunkDimensions();
    long expected = elementSize;
    for (int d : chunkDims) expected *= d;
    if (data != null && data.length < expected) {
      throw new ClipFormatException(file, "HDF5 chunk " + key + " of " + dataset.getPath() + " holds " + data.length + " bytes, expected " + expected);
    }
    chunkRow.put(key, data);
    return data;
  }

  private void fromCompact(int f, double[] out) {
    if (compact == null) compact = dataset.getDataFlat();
    int base = f * frameElements;
    for (int i = 0; i < frameElements; i++) out[i] = ((Number) java.lang.reflect.Array.get(compact, base + i)).doubleValue();
  }

  private double element(ByteBuffer b, int at) {
    if (floating) return elementSize == 4 ? b.getFloat(at) : b.getDouble(at);
    return switch (elementSize) {
      case 1 -> signed ? b.get(at) : b.get(at) & 0xFF;
      case 2 -> signed ? b.getShort(at) : b.getShort(at) & 0xFFFF;
      case 4 -> signed ? b.getInt(at) : Integer.toUnsignedLong(b.getInt(at));
      default -> b.getLong(at);
    };
  }
}
