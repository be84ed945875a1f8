package sonogate.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which files of a data folder training leaves out, and why:
 * <ul>
 *   <li>the hold-out list ({@code sonogate/train/holdout.txt}: clips kept for evaluation, one path
 *       a line relative to the data folder, {@code #} comments) unless turned off: a file is on it
 *       when its path ends with an entry's path (so it matches whether the folder given is the
 *       data folder itself or one of its subfolders);</li>
 *   <li>label images of public data sets, not ultrasound: file names ending in
 *       {@code _annotation.png} (any case; HC18's 1-pixel head outlines);</li>
 *   <li>user globs ({@code --exclude}), matched with {@link java.nio.file.FileSystem#getPathMatcher}'s
 *       glob syntax against the path relative to the data folder the file was found in and against
 *       the file name alone ({@code cfd/**} or {@code *.gif}).</li>
 * </ul>
 */
public final class DataExclusions {
    /** The resource holding the hold-out list. */
    public static final String HOLDOUT_RESOURCE = "/sonogate/train/holdout.txt";

    private final List<Path> holdout;
    private final List<String> globs;
    private final List<PathMatcher> matchers;

    private DataExclusions(List<Path> holdout, List<String> globs) {
        this.holdout = List.copyOf(holdout);
        this.globs = List.copyOf(globs);
        List<PathMatcher> m = new ArrayList<>();
        for (String g : globs) m.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        this.matchers = List.copyOf(m);
    }

    /** The hold-out list plus {@code globs}. */
    public static DataExclusions defaults(List<String> globs) {
        return new DataExclusions(holdoutList(), globs);
    }

    /** Only {@code globs} (and the annotation rule): the hold-out clips are trained on. */
    public static DataExclusions withoutHoldout(List<String> globs) {
        return new DataExclusions(List.of(), globs);
    }

    /** Checks a glob's syntax; an IllegalArgumentException names the problem. */
    public static void checkGlob(String glob) {
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad --exclude pattern '" + glob + "': " + e.getMessage(), e);
        }
    }

    public List<Path> holdout() {
        return holdout;
    }

    public List<String> globs() {
        return globs;
    }

    /**
     * Why {@code relative} (a file's path relative to the data folder it was found in; the file
     * name for a file given directly) is left out, or null when it is used.
     */
    public String reason(Path file, Path relative) {
        String name = file.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith("_annotation.png")) return "a label image (*_Annotation.png), not ultrasound";
        Path abs = file.toAbsolutePath().normalize();
        for (Path h : holdout) if (abs.endsWith(h)) return "on the hold-out list (" + h + ")";
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).matches(relative) || matchers.get(i).matches(file.getFileName())) return "matches --exclude " + globs.get(i);
        }
        return null;
    }

    /** The bundled hold-out list's paths. */
    public static List<Path> holdoutList() {
        try (InputStream in = DataExclusions.class.getResourceAsStream(HOLDOUT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + HOLDOUT_RESOURCE + " missing from the build");
            List<Path> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) out.add(Path.of(line).normalize());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + HOLDOUT_RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
