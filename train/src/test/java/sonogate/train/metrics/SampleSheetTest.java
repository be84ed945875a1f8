package sonogate.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.train.Rng;

class SampleSheetTest {
    private static final int H = 16, W = 24;

    private static List<SampleSheet.Row> rows(Rng rng, int count) {
        List<SampleSheet.Row> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            float[] truth = new float[H * W], mask = new float[H * W], coarse = new float[H * W], input = new float[H * W];
            for (int i = 0; i < truth.length; i++) {
                truth[i] = (float) rng.uniform(-1, 1);
                mask[i] = (i % W) < W / 3 ? 1f : 0f;
                coarse[i] = truth[i] * 0.5f;
                input[i] = mask[i] > 0.5f ? 0f : truth[i];
            }
            rows.add(new SampleSheet.Row(input, mask, coarse, r == 0 ? null : truth, truth));
        }
        return rows;
    }

    @Test
    void writesAValidPngOfTheRightSize(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        List<SampleSheet.Row> rows = rows(new Rng(seed), 3);
        Path file = dir.resolve("sheets/step-000100.png");
        SampleSheet.write(file, rows, H, W, false);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, Arrays.copyOf(bytes, 8));
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(5 * W + 4 * SampleSheet.GAP, img.getWidth());
        assertEquals(3 * H + 2 * SampleSheet.GAP, img.getHeight());
        assertEquals(SampleSheet.sheetWidth(W), img.getWidth());
        // Row 1: hole coloured in the input, white mask, grey truth values, black missing refined tile of row 0.
        int oy = H + SampleSheet.GAP;
        assertEquals(SampleSheet.HOLE_RGB, img.getRGB(0, oy) & 0xFFFFFF);
        assertEquals(0xFFFFFF, img.getRGB(W + SampleSheet.GAP, oy) & 0xFFFFFF);
        assertEquals(0, img.getRGB(W + SampleSheet.GAP + W - 1, oy) & 0xFFFFFF);
        float t = rows.get(1).truth()[5];
        int g = (int) Math.round((t + 1) * 127.5);
        assertEquals((g << 16) | (g << 8) | g, img.getRGB(4 * (W + SampleSheet.GAP) + 5, oy) & 0xFFFFFF, "seed=" + seed);
        assertEquals(0, img.getRGB(3 * (W + SampleSheet.GAP) + 5, 0) & 0xFFFFFF);
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void neverOverwritesUnlessAsked(@TempDir Path dir) throws Exception {
        List<SampleSheet.Row> rows = rows(new Rng(System.nanoTime()), 2);
        Path file = dir.resolve("sheet.png");
        Files.writeString(file, "keep me");
        assertThrows(FileAlreadyExistsException.class, () -> SampleSheet.write(file, rows, H, W, false));
        assertEquals("keep me", Files.readString(file, StandardCharsets.UTF_8));
        SampleSheet.write(file, rows, H, W, true);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(SampleSheet.sheetHeight(2, H), img.getHeight());
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary files left behind");
        }
    }

    @Test
    void rejectsMismatchedImages() {
        float[] ok = new float[H * W];
        List<SampleSheet.Row> bad = List.of(new SampleSheet.Row(ok, ok, new float[3], ok, ok));
        assertThrows(IllegalArgumentException.class, () -> SampleSheet.render(bad, H, W));
        assertThrows(IllegalArgumentException.class, () -> SampleSheet.render(List.of(), H, W));
    }
}
