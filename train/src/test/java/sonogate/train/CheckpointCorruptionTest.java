package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;

/** Truncated, overwritten and garbage files: always a one-line CheckpointException naming the file, within seconds. */
class CheckpointCorruptionTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final SplittableRandom RNG = new SplittableRandom();
    @TempDir static Path dir;
    private static CheckpointFixture model;
    private static byte[] good;

    @BeforeAll
    static void save() throws Exception {
        model = new CheckpointFixture(ModelConfig.TINY, RNG.nextLong()).train(RNG, 1, 1);
        Path file = dir.resolve("good.h5");
        Checkpoint.save(file, model.model, model.gen, model.disc, 1, new Rng(1), Map.of("data", "/x"));
        good = Files.readAllBytes(file);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Every entry point refuses {@code bytes} with a CheckpointException whose message starts with the file name. */
    private static CheckpointException refused(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        CheckpointException[] last = new CheckpointException[1];
        assertTimeoutPreemptively(LIMIT, () -> {
            last[0] = assertThrows(CheckpointException.class, () -> Checkpoint.readConfig(file));
            assertThrows(CheckpointException.class, () -> Checkpoint.loadWeights(file, model.model));
            assertThrows(CheckpointException.class, () -> Checkpoint.restore(file, model.model, model.gen, model.disc));
        }, name);
        String m = last[0].getMessage();
        assertTrue(m.startsWith(file + ": "), m);
        assertFalse(m.contains("\n"), m);
        return last[0];
    }

    @Test
    void truncatedCopiesAreRefused() throws Exception {
        for (double cut : new double[] {0.1, 0.5, 0.99}) {
            int n = (int) (good.length * cut);
            CheckpointException e = refused("cut" + cut + ".h5", Arrays.copyOf(good, n));
            assertTrue(e.getMessage().endsWith(": truncated: " + n + " of " + good.length + " bytes"), e.getMessage());
        }
        refused("cut-last-byte.h5", Arrays.copyOf(good, good.length - 1));
        for (int n : new int[] {0, 5, 8, 20, 40, 47, 48, 100, 1000}) refused("head" + n + ".h5", Arrays.copyOf(good, n));
    }

    @Test
    void garbageIsRefused() throws Exception {
        byte[] noise = new byte[200_000];
        for (int i = 0; i < noise.length; i++) noise[i] = (byte) RNG.nextInt(256);
        assertTrue(refused("noise.h5", noise).getMessage().contains("not an HDF5 file"));
        assertTrue(refused("text.h5", "not a checkpoint\n".getBytes(StandardCharsets.UTF_8)).getMessage().contains("not an HDF5 file"));
        assertTrue(refused("empty.h5", new byte[0]).getMessage().endsWith("empty file, not a checkpoint"));
        // a valid signature and superblock, then noise
        byte[] headed = noise.clone();
        System.arraycopy(good, 0, headed, 0, 48);
        refused("headed-noise.h5", headed);
        // the real metadata, every dataset's bytes overwritten: values may be anything, including NaN, and are checked
        byte[] zeroed = good.clone();
        Arrays.fill(zeroed, 48, zeroed.length, (byte) 0xff);
        refused("overwritten.h5", zeroed);
    }

    @Test
    void randomByteDamageNeverEscapesAsAnotherException() throws Exception {
        // flipped bytes anywhere: the file may still load (a changed weight is not detectable), but nothing else may happen
        for (int trial = 0; trial < Integer.getInteger("flips", 24); trial++) {
            byte[] bad = good.clone();
            int flips = 1 + RNG.nextInt(8);
            boolean metadata = trial % 2 == 0;
            for (int i = 0; i < flips; i++) {
                int at = metadata ? RNG.nextInt(Math.min(bad.length, 4096)) : RNG.nextInt(bad.length);
                bad[at] ^= (byte) (1 + RNG.nextInt(255));
            }
            Path file = dir.resolve("flip" + trial + ".h5");
            Files.write(file, bad);
            assertTimeoutPreemptively(LIMIT, () -> {
                try {
                    Checkpoint.restore(file, model.model, model.gen, model.disc);
                } catch (CheckpointException e) {
                    assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
                }
            }, file.getFileName().toString());
        }
    }

    @Test
    void aDirectoryIsNotACheckpoint() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.readConfig(dir));
        assertEquals(dir + ": not a regular file", e.getMessage());
    }
}
