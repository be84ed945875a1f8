package sonogate.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A clip stored as an HDF5 array (e.g. exported with h5py, chunked and gzip-compressed):
 * frames x H x W (grey) or frames x H x W x 3 (RGB; x 1 is grey), frames first. Frames are read
 * one at a time ({@link Hdf5FrameSlices}).
 *
 * <p>Dataset choice: the one named by the caller ({@code file.h5:/path}), else the file's only
 * numeric 3-D or 4-D dataset; with none or several, a one-line error lists the datasets.
 *
 * <p>Values: integer arrays must hold 0..255 (checked per frame). Float arrays are scaled by one
 * rule for the whole dataset, decided at open from its largest value: largest <= 1.0 means
 * [0, 1] (x 255), otherwise [0, 255]; values are then rounded and clipped to 0..255, NaN is 0.
 * Frame rate: a numeric attribute "fps", "frame_rate" or "FrameRate" of the dataset or the file,
 * else unknown.
 */
final class Hdf5ClipReader implements ClipReader {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};

  private final Path file;
  private final HdfFile hdf;
  private final Dataset dataset;
  private final Hdf5FrameSlices slices;
  private final boolean floats;
  private final double scale;
  private final ClipInfo info;

  private Hdf5ClipReader(Path file, HdfFile hdf, Dataset dataset, boolean floats, double scale, ClipInfo info)
      throws ClipFormatException {
    this.file = file;
    this.hdf = hdf;
    this.dataset = dataset;
    this.slices = new Hdf5FrameSlices(file, dataset);
    this.floats = floats;
    this.scale = scale;
    this.info = info;
  }

  static boolean hasSignature(byte[] head) {
    return head.length >= 8 && Arrays.equals(Arrays.copyOf(head, 8), SIGNATURE);
  }

  static Hdf5ClipReader open(Path file, String path) throws IOException {
    HdfFile hdf;
    try {
      hdf = openMapped(file);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "not a readable HDF5 file (" + oneLine(e) + ")", e);
    }
    try {
      Dataset ds = path != null ? named(hdf, path, file) : onlyCandidate(hdf, file);
      int[] dims = ds.getDimensions();
      if (dims.length != 3 && dims.length != 4) {
        throw new ClipFormatException(file, "dataset " + ds.getPath() + " has shape " + Arrays.toString(dims)
            + "; expected frames x H x W or frames x H x W x 3");
      }
      int channels = dims.length == 4 ? dims[3] : 1;
      if (channels != 1 && channels != 3) {
        throw new ClipFormatException(file, "wrong channel count: dataset " + ds.getPath() + " has " + channels + " channels (1 or 3)");
      }
      if (dims[0] == 0) throw new ClipFormatException(file, "dataset " + ds.getPath() + " holds zero frames");
      if (dims[1] <= 0 || dims[2] <= 0 || (long) dims[1] * dims[2] > DicomReader.MAX_PIXELS) {
        throw new ClipFormatException(file, "frame size " + dims[2] + "x" + dims[1] + " is not supported");
      }
      boolean floats = ds.getDataType() instanceof FloatingPoint;
      ClipInfo info = new ClipInfo(file, "HDF5", elementType(ds) + " " + ds.getPath() + filters(ds), "",
          dims[0], dims[2], dims[1], channels == 3 ? 3 : 1, channels == 3 ? "RGB" : "MONOCHROME2", 8,
          frameRate(hdf, ds), Double.NaN, Double.NaN, List.of());
      Hdf5ClipReader reader = new Hdf5ClipReader(file, hdf, ds, floats, 1, info);
      if (!floats) return reader;
      double max = reader.largestValue();
      return new Hdf5ClipReader(file, hdf, ds, true, max <= 1.0 ? 255 : 1, info);
    } catch (IOException | RuntimeException e) {
      hdf.close();
      if (e instanceof IOException io) throw io;
      throw new ClipFormatException(file, "cannot read HDF5 dataset (" + oneLine(e) + ")", e);
    }
  }

  /**
   * Opens the file through a read-only memory map when it fits one buffer. jhdf then slices the
   * map for every header and chunk it reads instead of allocating a buffer of the size the file
   * declares, so a corrupt size field fails as an out-of-range read rather than a heap allocation
   * of hundreds of megabytes (found by the fuzz test). Larger files use jhdf's channel reader.
   */
  private static HdfFile openMapped(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) return new HdfFile(file);
      return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }
  }

  private static Dataset named(HdfFile hdf, String path, Path file) throws ClipFormatException {
    Node node;
    try {
      node = hdf.getByPath(path);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "no dataset " + path + " in the file");
    }
    if (!(node instanceof Dataset ds)) throw new ClipFormatException(file, path + " is not a dataset");
    if (!isNumeric(ds)) throw new ClipFormatException(file, "dataset " + path + " holds " + ds.getJavaType().getSimpleName() + ", not numbers");
    return ds;
  }

  private static Dataset onlyCandidate(HdfFile hdf, Path file) throws ClipFormatException {
    Map<String, Dataset> all = new TreeMap<>();
    collect(hdf, all);
    List<Dataset> candidates = new ArrayList<>();
    for (Dataset ds : all.values()) {
      int rank = ds.getDimensions().length;
      if (isNumeric(ds) && (rank == 3 || rank == 4)) candidates.add(ds);
    }
    if (candidates.size() == 1) return candidates.get(0);
    String list = describe(candidates.isEmpty() ? all.values() : candidates);
    if (candidates.isEmpty()) {
      throw new ClipFormatException(file, "no frames x H x W (x 3) dataset in the file; datasets: " + (list.isEmpty() ? "none" : list));
    }
    throw new ClipFormatException(file, "several candidate datasets (" + list + "); name one as " + file.getFileName() + ":/path");
  }

  private static void collect(Group group, Map<String, Dataset> out) {
    for (Node child : group.getChildren().values()) {
      if (child instanceof Dataset ds) out.put(ds.getPath(), ds);
      else if (child instanceof Group g) collect(g, out);
    }
  }

  private static String describe(java.util.Collection<Dataset> datasets) {
    return datasets.stream().map(d -> d.getPath() + " " + Arrays.toString(d.getDimensions()).replace(" ", ""))
        .collect(Collectors.joining(", "));
  }

  private static boolean isNumeric(Dataset ds) {
    Class<?> t = ds.getJavaType();
    return t == byte.class || t == short.class || t == int.class || t == long.class || t == float.class || t == double.class;
  }

  /** "uint8", "int16", "float32", ... */
  private static String elementType(Dataset ds) {
    int bits = ds.getDataType().getSize() * 8;
    if (ds.getDataType() instanceof FloatingPoint) return "float" + bits;
    if (ds.getDataType() instanceof FixedPoint f) return (f.isSigned() ? "int" : "uint") + bits;
    return ds.getJavaType().getSimpleName();
  }

  private static String filters(Dataset ds) {
    try {
      String f = ds.getFilters().stream().map(p -> p.getName()).collect(Collectors.joining(", "));
      return f.isEmpty() ? "" : " (" + f + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static double frameRate(HdfFile hdf, Dataset ds) {
    for (Node n : new Node[] {ds, hdf}) {
      for (String name : new String[] {"fps", "frame_rate", "FrameRate"}) {
        Attribute a = n.getAttribute(name);
        if (a == null) continue;
        Object v = a.getData();
        if (v != null && v.getClass().isArray() && Array.getLength(v) > 0) v = Array.get(v, 0);
        if (v instanceof Number num && num.doubleValue() > 0) return num.doubleValue();
      }
    }
    return Double.NaN;
  }

  private static String oneLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  @Override
  public ClipInfo info() {
    return info;
  }

  @Override
  public Frame readFrame(int index) throws IOException {
    if (index < 0 || index >= info.frameCount()) throw new IndexOutOfBoundsException("frame " + index + " of " + info.frameCount());
    double[] values = slice(index);
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (floats) {
        v = Double.isNaN(v) ? 0 : Math.rint(v * scale);
        out[i] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
      } else {
        if (v < 0 || v > 255) {
          throw new ClipFormatException(file, "frame " + index + " of " + dataset.getPath() + " holds the value " + (long) v
              + " (integer frames must be 0..255)");
        }
        out[i] = (byte) v;
      }
    }
    return new Frame(info.width(), info.height(), info.channels(), out);
  }

  /** One frame's values, row-major, channels interleaved. */
  private double[] slice(int index) throws ClipFormatException {
    return slices.frame(index);
  }

  /** The largest value of the dataset (NaN ignored), read frame by frame. */
  private double largestValue() throws ClipFormatException {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < info.frameCount(); i++) {
      for (double v : slice(i)) if (v > max) max = v;
    }
    return max;
  }

  @Override
  public void close() {
    hdf.close();
  }
}
