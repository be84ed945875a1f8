package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;

/** A failed save leaves the previous checkpoint byte for byte and no temporary file behind. */
class CheckpointAtomicityTest {
    /** Fresh draws (model weights, training data): every assertion holds for any of them; the seed is printed to reproduce one. */
    private final long seed = System.nanoTime();
    private final SplittableRandom rng = new SplittableRandom(seed);

    {
        System.out.println("CheckpointAtomicityTest seed " + seed);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNonFiniteModelDoesNotReplaceTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.h5");
        try (CheckpointFixture f = new CheckpointFixture(ModelConfig.TINY, rng.nextLong()).train(rng, 1, 1)) {
            Checkpoint.save(file, f.model, f.gen, f.disc, 100, new Rng(1), Map.of());
            byte[] before = Files.readAllBytes(file);
            ParameterStore.Entry e = f.model.parameters().parameters().values().stream().skip(rng.nextInt(5)).findFirst().orElseThrow();
            float[] p = f.params();
            int index = rng.nextInt(Math.toIntExact(e.numel()));
            p[Math.toIntExact(e.offset()) + index] = Float.NaN;
            Checkpoint.upload(p, f.model.parameters().slab());

            CheckpointException x = assertThrows(CheckpointException.class, () -> Checkpoint.save(file, f.model, f.gen, f.disc, 200, new Rng(2), Map.of()));
            assertEquals(file + ": refusing to save params/" + e.name() + ": value NaN at index " + index, x.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(List.of("ckpt.h5"), names(dir));
            assertEquals(100, Checkpoint.readConfig(file).step());
        }
    }

    @Test
    void aFailureWhileWritingLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.h5");
        Files.writeString(file, "previous");
        IOException x = assertThrows(IOException.class, () -> AtomicFile.write(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(new byte[100_000]);
            }
            throw new IOException("disk full (injected)");
        }));
        assertEquals("disk full (injected)", x.getMessage());
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of("ckpt.h5"), names(dir));

        assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, tmp -> { throw new IllegalStateException("bug (injected)"); }));
        assertEquals("previous", Files.readString(file));
        assertEquals(List.of("ckpt.h5"), names(dir));

        AtomicFile.write(file, tmp -> Files.writeString(tmp, "next"));
        assertEquals("next", Files.readString(file));
        assertEquals(List.of("ckpt.h5"), names(dir));
    }

    @Test
    void savingReplacesTheOldCheckpoint(@TempDir Path dir) {
        Path file = dir.resolve("ckpt.h5");
        try (CheckpointFixture f = new CheckpointFixture(ModelConfig.TINY, rng.nextLong())) {
            Checkpoint.save(file, f.model, f.gen, f.disc, 1, new Rng(1), Map.of("epoch", 1));
            Checkpoint.save(file, f.model, f.gen, f.disc, 2, new Rng(1), Map.of("epoch", 2));
            assertEquals(2, Checkpoint.readConfig(file).step());
            assertEquals(Map.of("epoch", 2), Checkpoint.readConfig(file).settings());
        }
    }

    @Test
    void aReadOnlyDirectoryLeavesTheOldFile(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Path file = run.resolve("ckpt.h5");
        try (CheckpointFixture f = new CheckpointFixture(ModelConfig.TINY, rng.nextLong())) {
            Checkpoint.save(file, f.model, f.gen, f.disc, 1, new Rng(1), Map.of());
            byte[] before = Files.readAllBytes(file);
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                assumeFalse(Files.isWritable(run), "read-only directory check skipped: this user (root?) can write into a read-only directory");
                CheckpointException x = assertThrows(CheckpointException.class, () -> Checkpoint.save(file, f.model, f.gen, f.disc, 2, new Rng(1), Map.of()));
                assertTrue(x.getMessage().startsWith(file + ": cannot write checkpoint: "), x.getMessage());
                assertArrayEquals(before, Files.readAllBytes(file));
                assertEquals(List.of("ckpt.h5"), names(run));
            } finally {
                Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void aDirectoryInTheWayIsReported(@TempDir Path dir) throws Exception {
        Path file = Files.createDirectory(dir.resolve("ckpt.h5"));
        try (CheckpointFixture f = new CheckpointFixture(ModelConfig.TINY, rng.nextLong())) {
            CheckpointException x = assertThrows(CheckpointException.class, () -> Checkpoint.saveWeights(file, f.model, 0, Map.of()));
            assertEquals(file + ": cannot write checkpoint: IOException: is a directory", x.getMessage());
            assertEquals(List.of("ckpt.h5"), names(dir));
        }
    }
}
