package sonogate.train.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A PNG grid of training or validation samples: one row per sample, columns
 * input (grey with the hole in colour) | mask | coarse | refined | truth; grey [-1, 1] maps to
 * 0..255 (clamped), the mask is white on black. Tiles are separated by {@link #GAP} dark-grey
 * pixels, so the sheet is {@code 5 W + 4 GAP} wide and {@code rows H + (rows - 1) GAP} high. A
 * missing (null) coarse/refined image is drawn as a black tile.
 *
 * <p>Written atomically: the PNG goes to a temporary file in the target's directory and is then
 * moved into place, so a reader never sees a half-written sheet. Without {@code overwrite} an
 * existing file is never replaced, not even by a writer that races this one (the temporary file is
 * hard-linked to the target name, which fails when the name exists).
 */
public final class SampleSheet {
    public static final int COLUMNS = 5;
    public static final int GAP = 2;
    /** Colour of hole pixels in the input column (a Doppler red). */
    public static final int HOLE_RGB = 0xE0301E;
    private static final int GAP_RGB = 0x202020;

    /** One row; every image H x W row-major. {@code input} is the grey frame as the network sees it. */
    public record Row(float[] input, float[] mask, float[] coarse, float[] refined, float[] truth) {
        public Row {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(mask, "mask");
            Objects.requireNonNull(truth, "truth");
        }
    }

    private SampleSheet() {}

    public static int sheetWidth(int width) {
        return COLUMNS * width + (COLUMNS - 1) * GAP;
    }

    public static int sheetHeight(int rows, int height) {
        return rows * height + (rows - 1) * GAP;
    }

    /** Renders the sheet in memory. */
    public static BufferedImage render(List<Row> rows, int height, int width) {
        if (rows == null || rows.isEmpty()) throw new IllegalArgumentException("no rows");
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("size " + width + "x" + height);
        int n = height * width;
        BufferedImage img = new BufferedImage(sheetWidth(width), sheetHeight(rows.size(), height), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, GAP_RGB);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            float[][] cols = {row.input(), row.mask(), row.coarse(), row.refined(), row.truth()};
            for (float[] c : cols) {
                if (c != null && c.length != n) {
                    throw new IllegalArgumentException("row " + r + ": image has " + c.length + " values, expected " + n);
                }
            }
            int oy = r * (height + GAP);
            for (int c = 0; c < COLUMNS; c++) {
                int ox = c * (width + GAP);
                float[] src = cols[c];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int i = y * width + x, rgb;
                        if (src == null) {
                            rgb = 0;
                        } else if (c == 1) {
                            rgb = src[i] > 0.5f ? 0xFFFFFF : 0;
                        } else if (c == 0 && row.mask()[i] > 0.5f) {
                            rgb = HOLE_RGB;
                        } else {
                            int g = grey(src[i]);
                            rgb = (g << 16) | (g << 8) | g;
                        }
                        img.setRGB(ox + x, oy + y, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** [-1, 1] to 0..255, clamped; NaN to 0. */
    static int grey(float v) {
        if (Float.isNaN(v)) return 0;
        double g = Math.round((Math.max(-1f, Math.min(1f, v)) + 1) * 127.5);
        return (int) g;
    }

    /**
     * Writes the sheet to {@code file} (PNG). Without {@code overwrite}, an existing {@code file}
     * raises {@link FileAlreadyExistsException} and stays as it was.
     */
    public static void write(Path file, List<Row> rows, int height, int width, boolean overwrite) throws IOException {
        BufferedImage img = render(rows, height, width);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!overwrite && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "sample sheet exists and overwrite is off");
        }
        Files.createDirectories(dir);
        Path tmp = sonogate.io.SiblingTemp.createFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
            if (overwrite) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    Files.createLink(target, tmp); // fails if the target exists: no clobbering, even in a race
                } catch (FileAlreadyExistsException e) {
                    throw e;
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    Files.move(tmp, target); // no hard links on this file system: still fails if the target exists
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
