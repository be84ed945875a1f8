package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds mutated copies of every sample format ({@link FuzzSamples}: the shared real files some
 * reader accepts, synthetic files of every feature, our writers' outputs once readable) through the
 * readers, opening each and decoding every frame on a worker thread, and accepts only two outcomes:
 * frames of the size the clip declares, or a {@link ClipFormatException} whose one-line message
 * names the file. Anything else fails: another exception or error (out of memory, stack
 * overflow), a decode running past the per-file timeout (a hang), or a call allocating more than
 * 64 MiB + 2048 x the input's bytes (+ 32 x a returned frame's bytes): a lying length must be
 * caught before it is allocated.
 *
 * <p>Seeds share the time budget evenly (the one that has used least goes next). Settings:
 * {@code -Dsonogate.fuzz.seconds} (default 20), {@code -Dsonogate.fuzz.seed} (default a fixed seed, so
 * the test suite cannot turn red by the luck of a draw; {@code fresh} draws a new one and prints it:
 * {@code scripts/fuzz} runs fresh seeds for longer to find new bugs),
 * {@code -Dsonogate.fuzz.timeoutSeconds} (per file, default 10), {@code -Dsonogate.fuzz.verbose=true}
 * (the rejection messages per sample). Failing inputs are kept in
 * {@code target/fuzz-failures/} with their mutation log.
 */
class FuzzTest {
  static final double SECONDS = Double.parseDouble(System.getProperty("sonogate.fuzz.seconds", "20"));
  static final long SEED = seed(System.getProperty("sonogate.fuzz.seed", "20261122"));

  private static long seed(String value) {
    return value.equals("fresh") ? System.nanoTime() ^ System.currentTimeMillis() << 20 : Long.parseLong(value);
  }

  static final long TIMEOUT_SECONDS = Long.getLong("sonogate.fuzz.timeoutSeconds", 10);
  static final long FIXED_ALLOCATION = 64L << 20;
  /** Bytes a call may allocate per input byte: the largest expansion of the formats (deflate, ~1032:1), twice. */
  static final long ALLOCATION_PER_INPUT_BYTE = 2048;
  /** Frames decoded per case. */
  // Long H.264 clips decode at tens of frames/s on a loaded 2-core machine: bound each decode so a
  // run fuzzes many mutations instead of a few whole clips (the per-file timeout catches hangs).
  static final int MAX_FRAMES = 24;

  @TempDir Path dir;

  private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What one decode found; {@code problem} null when the outcome is acceptable. */
  record Outcome(String kind, String problem) {}

  /** Per-sample bookkeeping. */
  static final class Stats {
    final FuzzSamples.Sample sample;
    final int index;
    long nanos;
    int cases, decoded, rejected;
    final Map<String, Integer> messages = new TreeMap<>();

    Stats(FuzzSamples.Sample sample, int index) {
      this.sample = sample;
      this.index = index;
    }
  }

  @Test
  void mutatedSamplesGiveFramesOrOneLineFormatErrors() throws Exception {
    System.out.printf("FuzzTest: seed %d (-Dsonogate.fuzz.seed=%d to repeat), %.0f s, %d s per file%n", SEED, SEED, SECONDS, TIMEOUT_SECONDS);
    ExecutorService worker = newWorker();
    try {
      Random setup = new Random(SEED);
      List<FuzzSamples.Sample> candidates = new ArrayList<>(FuzzSamples.realCandidates(TestData.DIR));
      if (TestData.DIR == null) System.out.println("FuzzTest: shared/data/ultrasound not found: synthetic samples only");
      candidates.addAll(FuzzSamples.synthetic(setup));
      candidates.addAll(FuzzSamples.writerOutputs(setup, Files.createDirectory(dir.resolve("written"))));
      List<Stats> samples = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      for (FuzzSamples.Sample s : candidates) {
        Path at = s.writeTo(dir.resolve("probe-" + samples.size() + "-" + skipped.size()), s.bytes());
        Outcome o = run(worker, at, s.totalBytes());
        if (o.problem() == null && o.kind().equals("frames")) samples.add(new Stats(s, samples.size()));
        else if (o.problem() == null) skipped.add(s.name() + " (" + o.kind() + ")");
        else fail("unmutated sample " + s.name() + ": " + o.problem());
      }
      System.out.println("FuzzTest: " + samples.size() + " samples: " + samples.stream().map(s -> s.sample.name()).toList());
      System.out.println("FuzzTest: not fuzzed (no reader accepts them): " + skipped);
      assertTrue(samples.size() >= 20, "synthetic samples alone are more than 20; got " + samples.size());

      List<String> failures = new ArrayList<>();
      long deadline = System.nanoTime() + (long) (SECONDS * 1e9);
      int total = 0;
      while (System.nanoTime() < deadline && failures.size() < 20) {
        Stats s = samples.stream().min(Comparator.comparingLong((Stats t) -> t.nanos).thenComparingInt(t -> t.index)).orElseThrow();
        long caseSeed = SEED * 1_000_003L + s.index * 7919L + s.cases;
        Mutator m = new Mutator(new Random(caseSeed));
        byte[] mutated = m.mutate(s.sample.bytes());
        Path caseDir = dir.resolve("c" + total);
        Path target = s.sample.writeTo(caseDir, mutated);
        long t0 = System.nanoTime();
        Outcome o = run(worker, target, s.sample.totalBytes() - s.sample.bytes().length + mutated.length);
        s.nanos += System.nanoTime() - t0;
        s.cases++;
        total++;
        if (o.kind().equals("frames")) s.decoded++;
        else s.rejected++;
        if (o.problem() != null) {
          failures.add(s.sample.name() + " case seed " + caseSeed + " " + m.log() + ": " + o.problem());
          keep(caseDir, s.sample, m.log(), o.problem());
          if (o.kind().equals("hang")) {
            worker.shutdownNow(); // the stuck thread cannot be stopped; stop fuzzing beside it
            break;
          }
        } else if (!o.kind().equals("frames")) {
          s.messages.merge(o.kind(), 1, Integer::sum);
        }
        deleteTree(caseDir);
      }
      System.out.printf("FuzzTest: %d mutated files in %.1f s%n", total, SECONDS);
      boolean verbose = Boolean.getBoolean("sonogate.fuzz.verbose");
      for (Stats s : samples) {
        System.out.printf("  %-70s %5d cases %5d decoded %5d rejected %6.2f s%n", s.sample.name(), s.cases, s.decoded, s.rejected, s.nanos / 1e9);
        if (verbose) { // which checks rejected the mutations: shows how deep the fuzzing reaches
          s.messages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
              .forEach(e -> System.out.printf("      %6d %s%n", e.getValue(), e.getKey()));
        }
      }
      if (!failures.isEmpty()) {
        fail(failures.size() + " bad outcomes (seed " + SEED + "; inputs kept in target/fuzz-failures):\n  " + String.join("\n  ", failures));
      }
    } finally {
      worker.shutdownNow();
    }
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-decoder");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens and decodes {@code target} on the worker with the per-file timeout. */
  private Outcome run(ExecutorService worker, Path target, long inputBytes) throws Exception {
    Future<Outcome> f = worker.submit(() -> decode(target, inputBytes));
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Outcome("hang", "no result after " + TIMEOUT_SECONDS + " s (hang?)");
    } catch (java.util.concurrent.ExecutionException e) {
      return new Outcome("error", "the decode task failed: " + trace(e.getCause()));
    }
  }

  /** The task: open, check the clip, decode every frame (and the first again), close; measure what each call allocates. */
  private Outcome decode(Path target, long inputBytes) {
    String name = target.getFileName().toString();
    long allowed = FIXED_ALLOCATION + ALLOCATION_PER_INPUT_BYTE * inputBytes;
    long before = allocated();
    String step = "open";
    try (ClipReader r = FuzzSamples.open(target)) {
      long used = allocated() - before;
      if (used > allowed) return new Outcome("memory", "open allocated " + used + " bytes for a " + inputBytes + "-byte input");
      ClipInfo info = r.info();
      if (info.frameCount() < 1 || info.width() < 1 || info.height() < 1 || (info.channels() != 1 && info.channels() != 3)) {
        return new Outcome("info", "implausible clip info " + info);
      }
      int frames = Math.min(info.frameCount(), MAX_FRAMES);
      for (int k = 0; k <= frames; k++) {
        int i = k < frames ? k : 0; // and the first frame again: going backwards
        step = "frame " + i;
        before = allocated();
        Frame f = r.readFrame(i);
        used = allocated() - before;
        long frameBytes = (long) f.width() * f.height() * f.channels();
        if (used > allowed + 32 * frameBytes) {
          return new Outcome("memory", step + " allocated " + used + " bytes for a " + inputBytes + "-byte input and a " + f + " frame");
        }
        if (f.width() != info.width() || f.height() != info.height() || f.channels() != info.channels()) {
          return new Outcome("size", step + " is " + f + " but the clip declares " + info.width() + "x" + info.height() + "x" + info.channels());
        }
      }
      step = "close";
    } catch (ClipFormatException e) {
      long used = allocated() - before;
      String m = String.valueOf(e.getMessage());
      if (used > allowed) return new Outcome("memory", step + " allocated " + used + " bytes before failing with: " + m);
      if (m.contains("\n") || m.contains("\r")) return new Outcome("message", "multi-line message: " + m);
      if (!m.contains(target.getParent().getFileName().toString())) return new Outcome("message", "message does not name the file: " + m);
      return new Outcome(problemOf(m, name), null);
    } catch (Throwable e) { // anything else is a reader bug: RuntimeException, OutOfMemoryError, StackOverflowError...
      return new Outcome("error", step + ": " + trace(e));
    }
    return new Outcome("frames", null);
  }

  /** The problem part of a message, without the path (for the per-sample summary). */
  private static String problemOf(String message, String name) {
    int at = message.indexOf(name);
    String p = at >= 0 ? message.substring(at + name.length()) : message;
    p = p.replaceAll("[0-9]+", "N");
    return p.length() > 60 ? p.substring(0, 60) : p;
  }

  private long allocated() {
    return threads.getCurrentThreadAllocatedBytes();
  }

  private static String trace(Throwable e) {
    StringWriter s = new StringWriter();
    e.printStackTrace(new PrintWriter(s));
    String[] lines = s.toString().split("\n");
    return String.join(" | ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 8)));
  }

  /** Keeps a failing input with its log under target/fuzz-failures. */
  private static void keep(Path caseDir, FuzzSamples.Sample sample, List<String> log, String problem) throws Exception {
    Path keep = Path.of("target", "fuzz-failures", caseDir.getFileName() + "-" + sample.name().replaceAll("[^A-Za-z0-9._-]", "_"));
    Files.createDirectories(keep);
    try (Stream<Path> s = Files.list(caseDir)) {
      for (Path p : s.toList()) if (Files.isRegularFile(p)) Files.copy(p, keep.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(keep.resolve("mutations.txt"), "sample " + sample.name() + "\n" + String.join("\n", log) + "\n\n" + problem + "\n");
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
