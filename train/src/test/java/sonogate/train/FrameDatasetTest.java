package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameDatasetTest {
    @TempDir Path tmp;

    @Test
    void fitKeepsAspectAndPadsWithBlack() {
        float[] grey = new float[40 * 20];
        java.util.Arrays.fill(grey, 1f); // white 40 wide, 20 high
        float[] f = FrameDataset.fit(grey, 40, 20, 8);
        // 8 x 4 of white, centred vertically: rows 2..5
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) assertEquals(y >= 2 && y < 6 ? 1f : -1f, f[y * 8 + x], 1e-6f, "(" + x + "," + y + ")");
        }
        float[] ramp = {0, 1, 0, 1};
        float[] a = FrameDataset.area(ramp, 4, 1, 2, 1);
        assertEquals(0.5f, a[0], 1e-6f);
        float[] up = FrameDataset.bilinear(new float[] {0, 1}, 2, 1, 4, 1);
        assertEquals(0f, up[0], 1e-6f);
        assertEquals(0.25f, up[1], 1e-6f);
        assertEquals(1f, up[3], 1e-6f);
    }

    @Test
    void splitIsByFileAndDisjoint() throws Exception {
        Path dir = TrainFixtures.syntheticImages(tmp.resolve("d"), 10);
        Files.writeString(dir.resolve("clip.mp4"), "not really");
        FrameDataset ds = FrameDataset.load(List.of(dir), 64, 0);
        assertEquals(8, ds.train().size());
        assertEquals(2, ds.validation().size()); // files 0 and 5 in path order
        Set<String> names = new HashSet<>();
        ds.train().forEach(c -> names.add(c.name()));
        ds.validation().forEach(c -> assertFalse(names.contains(c.name())));
        assertTrue(ds.notes().stream().anyMatch(n -> n.startsWith("skipped") && n.contains("clip.mp4")), ds.notes().toString());
        FrameDataset other = FrameDataset.load(List.of(dir), 64, 1);
        assertFalse(other.validation().get(0).name().equals(ds.validation().get(0).name()), "the seed moves the held-out files");
    }

    /** Every clip ClipReaders opens gives frames: an animated GIF and an HDF5 clip inside the folder, one clip each. */
    @Test
    void framesComeFromEveryReadableClip() throws Exception {
        Path dir = TrainFixtures.syntheticImages(tmp.resolve("d"), 4);
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("gif").next();
        try (var out = javax.imageio.ImageIO.createImageOutputStream(dir.resolve("loop.gif").toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int k = 0; k < 3; k++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) img.getRaster().setSample(x, y, 0, (x * 6 + k * 40) % 256);
                writer.writeToSequence(new javax.imageio.IIOImage(img, null, null), null);
            }
            writer.endWriteSequence();
        }
        float[] v = new float[5 * 16 * 20];
        for (int i = 0; i < v.length; i++) v[i] = (i % 20) / 19f;
        try (WritableHdfFile out = HdfFile.write(dir.resolve("clip.h5"))) {
            Hdf5Arrays.write(out, "frames", new int[] {5, 16, 20}, v);
        }
        FrameDataset ds = FrameDataset.load(List.of(dir), 32, 0);
        assertEquals(6, ds.train().size() + ds.validation().size(), "4 images, the GIF and the HDF5 clip: " + ds.notes());
        assertEquals(4 + 3 + 5, ds.trainFrameCount() + ds.validationFrameCount());
        List<FrameDataset.Clip> all = new java.util.ArrayList<>(ds.train());
        all.addAll(ds.validation());
        assertEquals(3, all.stream().filter(c -> c.name().endsWith("loop.gif")).findFirst().orElseThrow().frames().size());
        assertEquals(5, all.stream().filter(c -> c.name().endsWith("clip.h5")).findFirst().orElseThrow().frames().size());
    }

    @Test
    void readsHdf5Frames() throws Exception {
        Path h5 = tmp.resolve("frames.h5");
        float[] v = new float[10 * 16 * 32];
        for (int i = 0; i < v.length; i++) v[i] = (i % 32) / 31f; // [0, 1] ramps
        try (WritableHdfFile out = HdfFile.write(h5)) {
            Hdf5Arrays.write(out, "frames", new int[] {10, 16, 32}, v);
        }
        FrameDataset ds = FrameDataset.load(List.of(h5), 32, 0);
        assertEquals(8, ds.trainFrameCount());
        assertEquals(2, ds.validationFrameCount());
        float[] f = ds.train().get(0).frames().get(0);
        assertEquals(-1f, f[0], 1e-6f);             // top padding (16 high -> rows 8..23)
        assertEquals(-1f, f[8 * 32], 1e-6f);        // ramp starts at 0 -> -1
        assertEquals(1f, f[8 * 32 + 31], 1e-6f);    // and ends at 1
    }

    /** A file a reader cannot read is skipped with one line naming it and the problem, also where the runtime lacks image IO. */
    @Test
    void skippedFilesAreNamedWithTheirProblem() {
        Path f = Path.of("clips", "echo.dcm");
        assertEquals("skipped " + f + ": this Java runtime has no java.desktop module, which reads PNG/JPEG images and JPEG-compressed DICOM",
                ClipSampler.skipped(f, new NoClassDefFoundError("javax/imageio/plugins/jpeg/JPEGHuffmanTable")));
        assertEquals("skipped " + f + ": IllegalStateException: bad table",
                ClipSampler.skipped(f, new IllegalStateException("bad table\nat offset 12")));
    }
}
