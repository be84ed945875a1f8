package sonogate.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A whole evaluation: reads the clips, harvests the real colour-flow shapes, runs every case
 * through every method; a clip that cannot be read or painted is reported in one line and skipped.
 */
public final class EvalRun {
    private EvalRun() {}

    /** A clip to evaluate: its file and the name it is reported under. */
    public record Clip(Path file, String name) {}

    /** The real CFD clips' colour flow (first {@code maxFrames} frames each); unreadable or colourless ones are reported and left out. */
    public static List<HarvestedShape> harvest(List<Clip> cfd, int maxFrames, Consumer<String> log) {
        List<HarvestedShape> shapes = new ArrayList<>();
        for (Clip c : cfd) {
            try {
                HarvestedShape s = HarvestedShape.harvest(c.file(), c.name(), maxFrames);
                if (s == null) log.accept("no colour flow found in " + c.file() + "; not used as a shape");
                else shapes.add(s);
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                log.accept("cannot harvest colour flow from " + c.file() + ": " + e.getMessage());
            }
        }
        return shapes;
    }

    public static EvalReport run(List<Clip> clips, List<HarvestedShape> shapes, List<FillMethod> methods, Evaluation.Settings settings,
                                 List<String> notes, Consumer<String> progress) {
        long start = System.nanoTime();
        List<CaseResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Clip clip : clips) {
            List<EvalCase> cases;
            try {
                cases = Evaluation.cases(GreyClip.read(clip.file(), clip.name(), settings.maxFrames()), shapes, settings);
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
                String line = why.contains(clip.file().toString()) ? why : clip.file() + ": " + why;
                failures.add(line);
                progress.accept("skipped " + line);
                continue;
            }
            for (EvalCase c : cases) {
                CaseResult r;
                try {
                    r = Evaluation.run(c, methods, false);
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    String line = clip.file() + " [" + c.overlay() + "]: " + e.getMessage();
                    failures.add(line);
                    progress.accept("skipped " + line);
                    continue;
                }
                results.add(r);
                progress.accept(String.format(java.util.Locale.ROOT, "%s [%s]: %d frame(s), mask IoU %.4f", c.clip(), c.overlay(),
                        c.frames(), MethodScores.mean(r.maskIou())));
            }
        }
        List<String> names = methods.stream().map(FillMethod::name).toList();
        return new EvalReport(names, results, failures, List.copyOf(notes), (System.nanoTime() - start) / 1e9);
    }
}
