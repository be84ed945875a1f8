package sonogate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.ImageFolderReader;

/**
 * What a command's IN names: one clip (a file, {@code file.h5:/dataset}, a single PNG/JPEG image,
 * or a folder holding only PNG/JPEG frames) or a folder of clips (batch mode: every file below it,
 * sub-folders included, in name order; documentation files skipped).
 */
final class ClipInputs {
    private ClipInputs() {}

    /** Files in a folder of clips that are documentation, not clips. */
    private static final List<String> NOT_CLIPS = List.of(".md", ".txt", ".json", ".csv", ".html", ".pdf", ".jsonl");

    /** Whether {@code in} is a folder of clips (rather than one clip). */
    static boolean isBatch(Path in) throws IOException {
        return Files.isDirectory(in) && !isFrameFolder(in);
    }

    /** A folder of frames (only PNG/JPEG files, no sub-folders) is one clip; anything else is a folder of clips. */
    static boolean isFrameFolder(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            return !entries.isEmpty() && entries.stream().allMatch(p -> Files.isRegularFile(p) && ImageFolderReader.isImage(p));
        }
    }

    /** The clips of a folder of clips, in name order. */
    static List<Path> clipsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return !n.startsWith(".") && NOT_CLIPS.stream().noneMatch(n::endsWith);
            }).sorted().toList();
        }
    }

    /** Opens one clip: a frame folder, a single image, or any file {@link ClipReaders#open} reads (also {@code file.h5:/dataset}). */
    static ClipReader open(Path clip) throws IOException {
        if (Files.isDirectory(clip)) return ImageFolderReader.open(clip);
        if (ImageFolderReader.isImage(clip)) return ImageFolderReader.openImage(clip);
        return ClipReaders.open(clip);
    }

    /**
     * The file or folder on disk behind {@code in}: itself, or for {@code file.h5:/dataset} (which
     * does not exist as a path) the HDF5 file; null when neither exists.
     */
    static Path onDisk(Path in) {
        if (Files.exists(in)) return in;
        String s = in.toString();
        int colon = s.lastIndexOf(":/");
        if (colon > 0) {
            Path file = Path.of(s.substring(0, colon));
            if (Files.isRegularFile(file)) return file;
        }
        return null;
    }
}
