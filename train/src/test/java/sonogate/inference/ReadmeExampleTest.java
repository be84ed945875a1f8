package sonogate.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.FrameWriter;

/** The README's inference snippet, verbatim: this test runs it and checks the README still shows exactly this code. */
class ReadmeExampleTest {
    @TempDir Path dir;

    static void example(Path checkpoint, Path clipFile, Path outDir) throws IOException {
        // README-BEGIN
        try (SonogateModel model = SonogateModel.load(checkpoint);
             ClipReader clip = ClipReaders.open(clipFile);
             FrameWriter out = FrameWriter.open(outDir, FrameWriter.Format.PNG, false)) {
            model.translateClip(clip, frame -> {
                try {
                    out.write(frame);                 // 8-bit grey B-mode, the clip's size
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 8);                                    // 8 frames per forward pass
            out.commit();                             // outDir appears now, complete
        }
        // README-END
    }

    private static String snippet() throws IOException {
        Path src = Path.of("src/test/java/sonogate/inference/ReadmeExampleTest.java");
        String all = Files.readString(src);
        String body = all.substring(all.indexOf("// README-BEGIN\n") + 16, all.indexOf("        // README-END"));
        return body.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).collect(Collectors.joining("\n"));
    }

    @Test
    void readmeShowsThisCodeAndItRuns() throws Exception {
        Path readme = Path.of("../README.md");
        assumeTrue(Files.isRegularFile(readme), "README.md not found");
        String code = snippet();
        assertTrue(Files.readString(readme).contains(code), "README.md must contain the snippet verbatim:\n" + code);

        Path clip = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && clip == null; d = d.getParent()) {
            for (Path c : new Path[] {d.resolve("shared/data/ultrasound/cfd/dcm4che_US-RGB-8-esopecho.dcm"),
                    d.resolve("../shared/data/ultrasound/cfd/dcm4che_US-RGB-8-esopecho.dcm")}) {
                if (Files.isRegularFile(c)) clip = c.normalize();
            }
        }
        assumeTrue(clip != null, "real CFD file not found: skipping the run");
        Path ckpt = SonogateModelTest.tinyCheckpoint(dir);
        Path out = dir.resolve("bmode");
        example(ckpt, clip, out);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count());
        }
    }
}
