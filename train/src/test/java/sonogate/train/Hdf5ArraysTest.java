package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5ArraysTest {

    @Test
    void writesAndReadsBackArraysOfEveryRank(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] shapes = {{7}, {3, 5}, {2, 3, 4}, {2, 1, 3, 5}, {1, 2, 1, 2, 3}};
        float[][] data = new float[shapes.length][];
        Path file = dir.resolve("arrays.h5");
        try (WritableHdfFile out = HdfFile.write(file)) {
            var group = out.putGroup("params");
            for (int i = 0; i < shapes.length; i++) {
                int n = 1;
                for (int d : shapes[i]) n *= d;
                data[i] = new float[n];
                for (int j = 0; j < n; j++) data[i][j] = (float) rng.nextGaussian();
                Hdf5Arrays.write(group, "a" + i, shapes[i], data[i]);
            }
        }
        try (HdfFile in = new HdfFile(file)) {
            for (int i = 0; i < shapes.length; i++) {
                Hdf5Arrays.FloatArray a = Hdf5Arrays.read(in, "params/a" + i);
                assertArrayEquals(shapes[i], a.shape());
                assertArrayEquals(data[i], a.data(), "seed " + seed);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hdf5Arrays.read(in, "params"));
            assertEquals("arrays.h5: params is not a dataset", e.getMessage());
        }
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            // h5py sees the same numbers (when Debian's h5py is installed)
            Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                    "import h5py,sys; f=h5py.File(sys.argv[1],'r'); a=f['params/a2'][()]; print(a.shape, repr(float(a[1,2,3])))", file.toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) {
                assertEquals("(2, 3, 4)", text.substring(0, text.lastIndexOf(' ')));
                assertEquals(data[2][12 + 8 + 3], Double.parseDouble(text.substring(text.lastIndexOf(' ') + 1)), 0.0);
            }
        }
    }
}
