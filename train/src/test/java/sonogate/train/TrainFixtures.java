package sonogate.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Small synthetic image folders for the trainer tests, and the real data folder when present. */
final class TrainFixtures {
    private TrainFixtures() {}

    /** {@code count} grey PNGs of 80 x 64 pixels with smooth blobs and stripes (a few ms each). */
    static Path syntheticImages(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        for (int k = 0; k < count; k++) {
            BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 80; x++) {
                    double v = 0.5 + 0.25 * Math.sin(x * (0.1 + 0.03 * k) + y * 0.05) + 0.2 * Math.cos(y * 0.15 - k);
                    img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v * 255)));
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format("frame_%02d.png", k)).toFile());
        }
        return dir;
    }

    static FrameDataset syntheticDataset(Path dir, int size) throws IOException {
        return FrameDataset.load(List.of(syntheticImages(dir, 6)), size, 0);
    }

    /**
     * The shared real ultrasound folder: walking up from the working directory, the first
     * {@code shared/data/ultrasound} or {@code ../shared/data/ultrasound}; null when absent.
     */
    static Path realData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("shared/data/ultrasound"), p.resolve("../shared/data/ultrasound"))) {
                if (Files.isDirectory(c)) return c.normalize();
            }
        }
        return null;
    }
}
