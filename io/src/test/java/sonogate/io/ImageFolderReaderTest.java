package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders of every PNG pixel layout ImageIO produces: palette colour, 1-bit and 16-bit grey. */
class ImageFolderReaderTest {
  @TempDir Path dir;

  @Test
  void paletteColourPngIsColourNotItsIndices() throws Exception {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    byte[] red = new byte[16], green = new byte[16], blue = new byte[16];
    r.nextBytes(red);
    r.nextBytes(green);
    r.nextBytes(blue);
    IndexColorModel palette = new IndexColorModel(4, 16, red, green, blue);
    BufferedImage img = new BufferedImage(9, 5, BufferedImage.TYPE_BYTE_BINARY, palette);
    int[][] index = new int[5][9];
    for (int y = 0; y < 5; y++) for (int x = 0; x < 9; x++) img.getRaster().setSample(x, y, 0, index[y][x] = r.nextInt(16));
    Path folder = Files.createDirectory(dir.resolve("palette"));
    ImageIO.write(img, "png", folder.resolve("a.png").toFile());
    try (ImageFolderReader reader = ImageFolderReader.open(folder)) {
      assertEquals(3, reader.info().channels());
      Frame f = reader.readFrame(0);
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 9; x++) {
          int i = index[y][x];
          assertEquals(red[i] & 0xFF, f.sample(x, y, 0), "seed " + seed);
          assertEquals(green[i] & 0xFF, f.sample(x, y, 1));
          assertEquals(blue[i] & 0xFF, f.sample(x, y, 2));
        }
      }
    }
  }

  @Test
  void oneBitAndSixteenBitGreyBecomeEightBit() throws Exception {
    BufferedImage binary = new BufferedImage(8, 3, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSample(2, 1, 0, 1);
    BufferedImage deep = new BufferedImage(8, 3, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(2, 1, 0, 0xABCD);
    Path b = Files.createDirectory(dir.resolve("binary"));
    Path d = Files.createDirectory(dir.resolve("deep"));
    ImageIO.write(binary, "png", b.resolve("a.png").toFile());
    ImageIO.write(deep, "png", d.resolve("a.png").toFile());
    try (ImageFolderReader reader = ImageFolderReader.open(b)) {
      assertEquals(1, reader.info().channels(), "black and white is grey");
      Frame f = reader.readFrame(0);
      assertEquals(255, f.sample(2, 1, 0));
      assertEquals(0, f.sample(3, 1, 0));
    }
    try (ImageFolderReader reader = ImageFolderReader.open(d)) {
      Frame f = reader.readFrame(0);
      assertEquals(0xAB, f.sample(2, 1, 0));
    }
  }
  @Test
  void aPaletteOfGreysIsGreyThroughThePalette() throws Exception {
    byte[] levels = new byte[16];
    for (int i = 0; i < 16; i++) levels[i] = (byte) ((i * 7 % 16) * 17); // shuffled greys: index != level
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(4, 16, levels, levels, levels));
    for (int i = 0; i < 16; i++) img.getRaster().setSample(i % 4, i / 4, 0, i);
    Path folder = Files.createDirectory(dir.resolve("greys"));
    ImageIO.write(img, "png", folder.resolve("a.png").toFile());
    try (ImageFolderReader reader = ImageFolderReader.open(folder)) {
      assertEquals(1, reader.info().channels());
      Frame f = reader.readFrame(0);
      for (int i = 0; i < 16; i++) assertEquals(levels[i] & 0xFF, f.sample(i % 4, i / 4, 0), "index " + i);
    }
  }
}
