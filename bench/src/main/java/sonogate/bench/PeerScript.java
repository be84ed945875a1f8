package sonogate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where a benchmark's PyTorch peer script lies, wherever sonogate is run from. */
final class PeerScript {
    private PeerScript() {}

    /**
     * {@code relative} (e.g. {@code scripts/reference/bench_model_peer.py}) under the working directory
     * or one of its parents, else beside the jar ({@code ROOT/cli/target/sonogate.jar}) or the classes
     * ({@code ROOT/bench/target/classes}); the relative path itself when neither has it (the caller
     * then reports it missing).
     */
    static Path find(String relative) {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(PeerScript.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (Exception ignored) {
            // no code source: the working directory only
        }
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path p = d.resolve(relative);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return Path.of(relative);
    }
}
