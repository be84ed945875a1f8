package sonogate.train;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/** Copies a checkpoint with edits (what a user with h5py could do to one), to test what loading refuses. */
final class CheckpointSurgery {
    private CheckpointSurgery() {}

    /**
     * @param datasets  maps each dataset (path without leading slash, its values) to its replacement, or null to drop it
     * @param attributes replaces attributes, keyed {@code groupPath@name} ({@code @format_version} for the root)
     * @param extra     datasets to add, keyed by path
     */
    static void rewrite(Path src, Path dst, BiFunction<String, Hdf5Arrays.FloatArray, Hdf5Arrays.FloatArray> datasets,
                        Map<String, Object> attributes, Map<String, Hdf5Arrays.FloatArray> extra) {
        try (HdfFile in = new HdfFile(src); WritableHdfFile out = HdfFile.write(dst)) {
            copy(in, in, out, "", datasets, attributes, extra);
        }
    }

    private static void copy(HdfFile file, Group from, WritableGroup to, String path,
                             BiFunction<String, Hdf5Arrays.FloatArray, Hdf5Arrays.FloatArray> datasets,
                             Map<String, Object> attributes, Map<String, Hdf5Arrays.FloatArray> extra) {
        copyAttributes(from, to, path, attributes);
        for (Node child : from.getChildren().values()) {
            String p = path.isEmpty() ? child.getName() : path + "/" + child.getName();
            if (child instanceof Dataset) {
                Hdf5Arrays.FloatArray a = datasets.apply(p, Hdf5Arrays.read(file, p));
                if (a != null) Hdf5Arrays.write(to, child.getName(), a.shape(), a.data());
            } else if (child instanceof Group g) {
                copy(file, g, to.putGroup(child.getName()), p, datasets, attributes, extra);
            }
        }
        for (var e : extra.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            if (e.getKey().substring(0, Math.max(0, slash)).equals(path)) {
                Hdf5Arrays.write(to, e.getKey().substring(slash + 1), e.getValue().shape(), e.getValue().data());
            }
        }
    }

    private static void copyAttributes(Node from, WritableNode to, String path, Map<String, Object> attributes) {
        for (Map.Entry<String, Attribute> a : from.getAttributes().entrySet()) {
            if (a.getKey().equals("_jHDF")) continue;
            String key = path + "@" + a.getKey();
            to.putAttribute(a.getKey(), attributes.containsKey(key) ? attributes.get(key) : a.getValue().getData());
        }
    }
}
