package sonogate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sonogate.train.AtomicFile;

/**
 * The file named by a command's {@code --json FILE}: checked before the command does any work
 * (so a bad path fails fast), written atomically once the command is done, also when it failed
 * part-way (the summary then says what failed).
 */
final class JsonReport {
    private final Path file;

    private JsonReport(Path file) {
        this.file = file;
    }

    /**
     * The report for {@code file} (null: none), after checking it: its folder exists, it is not a
     * folder, it replaces an existing file only with {@code force}, and it neither is nor lies
     * inside any of {@code inputs} and {@code outputs}.
     *
     * @throws IOException with a one-line message naming the file and the problem
     */
    static JsonReport open(Path file, boolean force, List<Path> inputs, List<Path> outputs) throws IOException {
        if (file == null) return null;
        if (file.toString().equals("-")) throw new IOException("--json -: name a file (stdout carries the human-readable lines)");
        Path abs = file.toAbsolutePath().normalize();
        for (Path p : inputs) {
            if (abs.startsWith(p.toAbsolutePath().normalize())) throw new IOException(file + ": the JSON summary must not be or lie inside an input");
        }
        for (Path p : outputs) {
            if (abs.startsWith(p.toAbsolutePath().normalize())) throw new IOException(file + ": the JSON summary must not be or lie inside an output");
        }
        if (Files.isDirectory(abs)) throw new IOException(file + ": is a folder");
        if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
            throw new IOException(file + ": folder " + abs.getParent() + " does not exist");
        }
        if (Files.exists(abs) && !force) throw new IOException(file + ": output exists (use --force to replace it)");
        return new JsonReport(file);
    }

    Path file() {
        return file;
    }

    /** Writes {@code summary} ({@link Json#write}) to a temporary file and renames it into place. */
    void write(Object summary) throws IOException {
        String text = Json.write(summary);
        try {
            AtomicFile.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": cannot write the JSON summary: " + e.getMessage(), e);
        }
    }
}
