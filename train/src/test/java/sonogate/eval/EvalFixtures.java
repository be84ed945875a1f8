package sonogate.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the shared real data lies for the evaluation tests. */
final class EvalFixtures {
    private EvalFixtures() {}

    /** Walking up from the working directory, the first {@code shared/data/ultrasound} or {@code ../shared/data/ultrasound}; null when absent. */
    static Path realData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path c : List.of(p.resolve("shared/data/ultrasound"), p.resolve("../shared/data/ultrasound"))) {
                if (Files.isDirectory(c)) return c.normalize();
            }
        }
        return null;
    }
}
