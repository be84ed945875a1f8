package sonogate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where an output may not go: onto, into or around an input (a --force there would destroy it). */
final class OutputPaths {
    private OutputPaths() {}

    /** Whether one of the paths is, holds or lies inside the other (or both name the same file). */
    static boolean overlaps(Path input, Path output) {
        Path i = input.toAbsolutePath().normalize(), o = output.toAbsolutePath().normalize();
        if (i.startsWith(o) || o.startsWith(i)) return true;
        try {
            return Files.exists(o) && Files.isSameFile(i, o);
        } catch (IOException e) {
            return false;
        }
    }
}
