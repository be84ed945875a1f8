package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.train.Checkpoint;

/**
 * SIGTERM to a running {@code sonogate train} (a real process, as a scheduler or {@code timeout}
 * sends it): the run stops after its current step, saves the checkpoint of that step, and still
 * prints its last line and writes its JSON summary before the JVM exits.
 */
class TrainSignalTest {
    @TempDir Path tmp;

    @Test
    void sigtermSavesTheCheckpointAndFinishesTheSummary() throws Exception {
        Path data = TrainCommandTest.grey72x64Images(tmp.resolve("data"), 4);
        Path run = tmp.resolve("run"), json = tmp.resolve("summary.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--config", "tiny", "--data", data.toString(), "--steps", "1000000", "--batch", "2", "--val-every", "0",
                "--ckpt-every", "0", "--out", run.toString(), "--json", json.toString())
                .redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (line.startsWith("step 20/") && !sent.isDone()) {
                        p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
                        sent.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                sent.completeExceptionally(e);
            }
        });
        reader.start();
        try {
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "train did not stop");
        } finally {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String text;
        synchronized (out) {
            text = out.toString();
        }
        assertTrue(sent.isDone(), "no progress line 'step 20/' came:\n" + text);
        Matcher stopped = Pattern.compile("stopped at step (\\d+); checkpoint saved to ").matcher(text);
        assertTrue(stopped.find(), text);
        long step = Long.parseLong(stopped.group(1));
        assertTrue(step >= 20, text);
        assertTrue(text.contains("done: step " + step + ", checkpoint " + run.resolve("checkpoint.h5") + "\n"), "the last line is whole:\n" + text);
        assertEquals(step, Checkpoint.readConfig(run.resolve("checkpoint.h5")).step());
        assertTrue(Files.exists(json), "the JSON summary is written:\n" + text);
        String summary = Files.readString(json);
        assertTrue(Pattern.compile("\"step\":\\s*" + step + ",").matcher(summary).find(), summary);
    }
}
