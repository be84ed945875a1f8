package sonogate.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same directory, which
 * is flushed to disk (fsync) and then renamed over the target ({@code ATOMIC_MOVE}). A reader, or
 * a crash, sees either the old file or the complete new one; when anything fails the old file is
 * untouched and the temporary file is removed.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** Writes the content into the (already created, empty) temporary file it is given. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) throw new IOException("is a directory");
        if (dir == null || !Files.isDirectory(dir)) throw new IOException("directory " + dir + " does not exist");
        Path tmp = sonogate.io.SiblingTemp.createFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            writer.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename " + tmp.getFileName() + " over " + absolute.getFileName() + " atomically", e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what the caller needs to see
                }
            }
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open directories; the rename is still atomic there
        }
    }
}
