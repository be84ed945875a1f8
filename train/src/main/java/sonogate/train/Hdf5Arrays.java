package sonogate.train;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * Float arrays in HDF5 files (through jhdf, pure Java): read any float32/float64 dataset as a flat
 * float array with its shape, write one as a float32 dataset that h5py reads back as the same
 * numpy array. Shared by checkpoints and the PyTorch parity fixtures.
 */
public final class Hdf5Arrays {
    private Hdf5Arrays() {}

    /** A dataset's values in row-major order and its shape. */
    public record FloatArray(int[] shape, float[] data) {
        public long numel() {
            return data.length;
        }
    }

    /** Reads {@code path}; a missing dataset or a non-numeric type is an IllegalArgumentException naming it. */
    public static FloatArray read(HdfFile file, String path) {
        Node node = file.getByPath(path);
        if (!(node instanceof Dataset ds)) throw new IllegalArgumentException(file.getFile().getName() + ": " + path + " is not a dataset");
        Object flat = ds.getDataFlat();
        float[] out;
        if (flat instanceof float[] f) {
            out = f;
        } else if (flat instanceof double[] d) {
            out = new float[d.length];
            for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        } else if (flat instanceof int[] v) {
            out = new float[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i];
        } else if (flat instanceof long[] v) {
            out = new float[v.length];
            for (int i = 0; i < v.length; i++) out[i] = v[i];
        } else {
            throw new IllegalArgumentException(file.getFile().getName() + ": " + path + " holds " + ds.getJavaType() + ", not numbers");
        }
        return new FloatArray(ds.getDimensions().clone(), out);
    }

    /** Writes {@code data} with {@code shape} as a float32 dataset {@code name} of {@code group}. */
    public static void write(WritableGroup group, String name, int[] shape, float[] data) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("hdf5 " + name + ": " + data.length + " values for shape " + Arrays.toString(shape));
        group.putDataset(name, shape.length == 0 ? new float[] {data[0]} : nest(shape, 0, data, 0));
    }

    /** jhdf takes multi-dimensional data as nested Java arrays (float[][]... of the dataset's rank). */
    private static Object nest(int[] shape, int dim, float[] data, int offset) {
        if (dim == shape.length - 1) return Arrays.copyOfRange(data, offset, offset + shape[dim]);
        Class<?> element = float.class;
        for (int i = dim + 1; i < shape.length; i++) element = element.arrayType();
        int stride = 1;
        for (int i = dim + 1; i < shape.length; i++) stride *= shape[i];
        Object level = Array.newInstance(element, shape[dim]);
        for (int i = 0; i < shape[dim]; i++) Array.set(level, i, nest(shape, dim + 1, data, offset + i * stride));
        return level;
    }
}
