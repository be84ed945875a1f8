package sonogate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sonogate.io.ClipInfo;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;

/**
 * {@code sonogate bench io}: clip decoding speed, ours beside an external decoder of the same
 * file in the same run, in frames per second.
 *
 * <p>Per file: ours opens the clip with {@link ClipReaders} and decodes every frame (the
 * {@link Frame} the rest of the engine gets: 8-bit RGB or grey); the peer decodes the same file to
 * raw frames of the same pixel format with the output thrown away: {@code ffmpeg -threads N -i F
 * -pix_fmt rgb24|gray -f null -} (ffmpeg 5.1 reads no DICOM or MetaImage, so for uncompressed
 * DICOM and raw MetaImage it reads the same pixel bytes as {@code rawvideo} from their offset,
 * which is a lower bound of any decoder's work; for RLE and JPEG-lossless DICOM the peer is
 * DCMTK's {@code dcmj2pnm +Fa} writing PNM frames to a scratch folder, its process start measured
 * with {@code dcmj2pnm --version} and subtracted). Each repetition decodes the clip as many times
 * as needed for at least 100 frames (the peer in one process with {@code -stream_loop}, so its
 * start-up is spread the same way); ours is warmed up first (the JIT compiles the decoders);
 * then the sides alternate for 5 repetitions (3 with {@code --quick}) and the median is reported.
 */
public final class IoBench {
  private IoBench() {}

  public static final String USAGE = """
      usage: sonogate bench io [--json FILE] [--quick] [--data DIR] [--threads N]
        Decoding frames/s of each clip format beside ffmpeg (or DCMTK for compressed DICOM) on the same file.
        --json FILE   also write the rows as a JSON array (fields name, ours, peer, peer_name, unit, ratio, ...)
        --quick       3 repetitions instead of 5
        --data DIR    the sample folder (default: shared/data/ultrasound found above the working directory)
        --threads N   threads the peer may use (default 2; our H.264/MPEG readers decode on one thread and
                      convert colours on a second, the other decoders use one)
        Needs ffmpeg (scripts/setup-test-tools installs it); rows whose peer is missing show n/a.
        examples:
          sonogate bench io --quick
          sonogate bench io --data ../shared/data/ultrasound --json io.json""";

  public record Options(Path json, boolean quick, Path data, int threads, boolean help) {}

  /** One measured file: what it is, which reader output it is compared on, and its peer. */
  record Case(String name, Path file, Peer peer) {}

  /** How the peer decodes: a command (given the loop count), and one to subtract (process start), or null. */
  record Peer(String name, List<String> command, List<String> startup, boolean loops) {}

  public static Options parse(String[] args) throws UsageException {
    Path json = null;
    Path data = null;
    boolean quick = false, help = false;
    int threads = 2;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--json" -> json = Path.of(UsageException.value(args, ++i, a));
        case "--data" -> data = Path.of(UsageException.value(args, ++i, a));
        case "--quick" -> quick = true;
        case "--threads" -> threads = UsageException.positiveInt(args, ++i, a);
        case "-h", "--help" -> help = true;
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    return new Options(json, quick, data, threads, help);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = parse(args);
    } catch (UsageException e) {
      return e.report(err, "io");
    }
    if (o.help()) {
      out.println(USAGE);
      return 0;
    }
    Path data = o.data() != null ? o.data() : findData();
    if (data == null || !Files.isDirectory(data)) {
      err.println("sonogate bench io: no sample folder " + (data == null ? "shared/data/ultrasound above " + Path.of("").toAbsolutePath() : data)
          + " (use --data DIR)");
      return 1;
    }
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("sonogate-bench-io");
      List<BenchRow> rows = new Runner(o, out).runAll(cases(data, scratch, o.threads()));
      if (o.json() != null) {
        JsonRows.write(o.json(), rows);
        out.println("wrote " + rows.size() + " rows to " + o.json());
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("sonogate bench io: " + e.getMessage());
      return 1;
    } finally {
      deleteTree(scratch);
    }
  }

  /** shared/data/ultrasound or ../shared/data/ultrasound above the working directory. */
  static Path findData() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      for (Path c : new Path[] {d.resolve("shared/data/ultrasound"), d.resolve("../shared/data/ultrasound")}) {
        if (Files.isDirectory(c)) return c.normalize();
      }
    }
    return null;
  }

  /** The measured files; the synthetic AVIs are made by ffmpeg from the real MP4 (skipped without ffmpeg). */
  static List<Case> cases(Path data, Path scratch, int threads) throws IOException {
    List<Case> list = new ArrayList<>();
    Path mp4 = data.resolve("bmode-video/pocus_Reg_Image_181739_trimmed_crop.mp4");
    list.add(dicomRaw("io.dicom-uncompressed", data.resolve("cfd/pydicom-data_US1_UNCR.dcm"), threads));
    list.add(new Case("io.dicom-rle", data.resolve("cfd/dcm4che_US-PAL-8-10x-echo.dcm"), dcmtk(data.resolve("cfd/dcm4che_US-PAL-8-10x-echo.dcm"), scratch)));
    Path lossless = data.resolve("bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm");
    list.add(new Case("io.dicom-jpeg-lossless", lossless, dcmtk(lossless, scratch)));
    list.add(metaImageRaw("io.metaimage-raw", data.resolve("bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha"), threads));
    list.add(new Case("io.metaimage-zlib", data.resolve("bmode-video/plus_SpinePhantomFreehand.igs.mha"), null));
    list.add(ffmpegCase("io.mp4-h264", mp4, threads));
    list.add(ffmpegCase("io.mov-h264", data.resolve("bmode-video/pocus_Reg_recommendations_alines_mov1.mov"), threads));
    list.add(ffmpegCase("io.mpeg2-ps", data.resolve("bmode-video/pocus_Reg_pat1Image_133410.mpeg"), threads));
    list.add(ffmpegCase("io.avi-mpeg4", data.resolve("bmode-video/pocus_Pneu_northumbria_0409_set1_vid1.avi"), threads));
    list.add(ffmpegCase("io.gif", data.resolve("bmode-video/pocus_Cov-Atlas_45.gif"), threads));
    if (onPath("ffmpeg") && Files.isRegularFile(mp4)) {
      Path mjpeg = scratch.resolve("mjpeg-from-mp4.avi");
      Path raw = scratch.resolve("bgr24-from-mp4.avi");
      runQuietly(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", mp4.toString(), "-an", "-c:v", "mjpeg", "-q:v", "3",
          "-pix_fmt", "yuvj420p", mjpeg.toString()));
      runQuietly(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", mp4.toString(), "-an", "-c:v", "rawvideo", "-pix_fmt", "bgr24",
          raw.toString()));
      list.add(ffmpegCase("io.avi-mjpeg (synthetic)", mjpeg, threads));
      list.add(ffmpegCase("io.avi-uncompressed (synthetic)", raw, threads));
    }
    return list;
  }

  private static Case ffmpegCase(String name, Path file, int threads) {
    return new Case(name, file, new Peer("ffmpeg", List.of("ffmpeg", "-nostdin", "-v", "error", "-threads", Integer.toString(threads),
        "-stream_loop", "{loops-1}", "-i", file.toString(), "-map", "0:v:0", "-pix_fmt", "{pix}", "-f", "null", "-"), null, true));
  }

  /** ffmpeg reading the DICOM's pixel bytes as raw video (it has no DICOM demuxer). */
  private static Case dicomRaw(String name, Path file, int threads) throws IOException {
    long offset = Files.isRegularFile(file) ? pixelDataOffset(file) : -1;
    if (offset < 0) return new Case(name, file, null);
    return new Case(name, file, rawvideo(file, offset, threads));
  }

  /** ffmpeg reading the MetaImage's frames as raw video after its text header. */
  private static Case metaImageRaw(String name, Path file, int threads) throws IOException {
    if (!Files.isRegularFile(file)) return new Case(name, file, null);
    try (ClipReader r = ClipReaders.open(file)) {
      ClipInfo i = r.info();
      long offset = Files.size(file) - (long) i.frameCount() * i.width() * i.height() * i.channels();
      return new Case(name, file, rawvideo(file, offset, threads));
    }
  }

  private static Peer rawvideo(Path file, long offset, int threads) {
    return new Peer("ffmpeg rawvideo", List.of("ffmpeg", "-nostdin", "-v", "error", "-threads", Integer.toString(threads), "-stream_loop",
        "{loops-1}", "-skip_initial_bytes", Long.toString(offset), "-f", "rawvideo", "-pix_fmt", "{pix}", "-s", "{size}",
        "-i", file.toString(), "-pix_fmt", "{pix}", "-f", "null", "-"), null, true);
  }

  private static Peer dcmtk(Path file, Path scratch) {
    return new Peer("DCMTK dcmj2pnm", List.of("dcmj2pnm", "+Fa", "+op", file.toString(), scratch.resolve("dcmtk").toString()),
        List.of("dcmj2pnm", "--version"), false);
  }

  /**
   * The file offset of the value of the last (7FE0,0010) Pixel Data element, found by its tag
   * bytes; -1 when absent or encapsulated. Enough for the benchmark's uncompressed sample.
   */
  static long pixelDataOffset(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    for (int i = b.length - 12; i >= 0; i--) {
      if ((b[i] & 0xFF) == 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00) {
        if ((b[i + 4] == 'O' && (b[i + 5] == 'B' || b[i + 5] == 'W'))) return i + 12;
        return i + 8; // implicit VR
      }
    }
    return -1;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }

  private static void runQuietly(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command.subList(0, 2)) + " failed: " + new String(output).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) return;
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder: best effort
    }
  }

  static final class Runner {
    private static final int MIN_FRAMES_PER_REP = 100;

    private final Options o;
    private final PrintStream out;
    private final int reps;

    Runner(Options o, PrintStream out) {
      this.o = o;
      this.out = out;
      this.reps = o.quick() ? 3 : 5;
    }

    List<BenchRow> runAll(List<Case> cases) throws IOException {
      out.println("# sonogate bench io" + (o.quick() ? " (quick)" : ""));
      out.println("# cpu:     " + SystemInfo.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
      out.println("# jdk:     " + SystemInfo.jdk());
      out.println("# threads: ours 1, for H.264/MPEG-1/2/MPEG-4 video 2 (decode | YUV-to-RGB; JCodec's H.264 slice threads aside), peer "
          + o.threads());
      out.println("# method:  median of " + reps + " repetitions, each >= " + MIN_FRAMES_PER_REP
          + " frames (the clip decoded repeatedly), sides alternating, ours warmed up first");
      out.printf(Locale.ROOT, "%-34s %-34s %8s %9s %9s  %-16s %6s%n", "name", "file", "frames", "ours f/s", "peer f/s", "peer", "ratio");
      List<BenchRow> rows = new ArrayList<>();
      for (Case c : cases) rows.add(row(c));
      return rows;
    }

    private BenchRow row(Case c) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("file", c.file().getFileName().toString());
      double ours = Double.NaN;
      double peer = Double.NaN;
      String peerName = c.peer() == null ? "n/a" : c.peer().name();
      ClipInfo info = null;
      String oursProblem = null;
      try {
        if (!Files.isRegularFile(c.file())) throw new IOException("missing file " + c.file());
        info = decodeAll(c.file(), 1); // also the first warm-up
        extra.put("format", info.format());
        extra.put("encoding", info.encoding());
        extra.put("frames", info.frameCount());
        extra.put("size", info.width() + "x" + info.height() + "x" + info.channels());
      } catch (IOException | RuntimeException e) {
        oursProblem = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
        extra.put("ours_error", oursProblem);
      }
      int frames = info != null ? info.frameCount() : probeFrames(c.file());
      int loops = frames > 0 ? Math.max(1, (MIN_FRAMES_PER_REP + frames - 1) / frames) : 1;
      extra.put("loops", loops);
      String peerProblem = c.peer() == null ? "no decoder for this format in ffmpeg 5.1 or DCMTK" : available(c.peer());
      if (peerProblem != null) extra.put("peer_error", peerProblem);
      try {
        if (info != null) {
          for (int w = 0; w < (o.quick() ? 2 : 4); w++) decodeAll(c.file(), loops); // JIT warm-up
        }
        double startup = peerProblem == null && c.peer().startup() != null ? median(c.peer().startup(), reps) : 0;
        if (startup > 0) extra.put("peer_startup_s", startup);
        double[] oursT = new double[reps];
        double[] peerT = new double[reps];
        for (int r = 0; r < reps; r++) {
          if (info != null) oursT[r] = time(() -> decodeAll(c.file(), loops));
          if (peerProblem == null && frames > 0) {
            List<String> cmd = command(c.peer(), loops, info);
            peerT[r] = Math.max(1e-6, time(() -> runPeer(cmd)) - startup);
          }
        }
        int peerLoops = c.peer() != null && c.peer().loops() ? loops : 1;
        if (info != null) ours = loops * (double) frames / Median.of(oursT);
        if (peerProblem == null && frames > 0) peer = peerLoops * (double) frames / Median.of(peerT);
      } catch (IOException | RuntimeException e) {
        extra.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      }
      BenchRow row = new BenchRow(c.name(), ours, peer, peerName, "frames/s", extra);
      out.printf(Locale.ROOT, "%-34s %-34s %8s %9s %9s  %-16s %6s%n", row.name(), abbreviate(c.file().getFileName().toString()),
          frames > 0 ? Integer.toString(frames) : "?", num(ours), num(peer), peerName, num(row.ratio()));
      if (oursProblem != null) out.println("    ours: " + oursProblem);
      if (peerProblem != null && c.peer() != null) out.println("    peer: " + peerProblem);
      return row;
    }

    /** Opens the clip {@code loops} times and decodes every frame; returns its info. */
    private ClipInfo decodeAll(Path file, int loops) throws IOException {
      ClipInfo info = null;
      long sink = 0;
      for (int l = 0; l < loops; l++) {
        try (ClipReader r = ClipReaders.open(file)) {
          info = r.info();
          for (Iterator<Frame> it = r.frames(); it.hasNext(); ) sink += it.next().samples()[0];
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
      }
      if (sink == 42) out.print(""); // keeps the decoded frames observable
      return info;
    }

    /** Frames of a file ours cannot read, counted by ffprobe (for the peer's rate); 0 when unknown. */
    private static int probeFrames(Path file) {
      try {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
            "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(60, TimeUnit.SECONDS);
        return Integer.parseInt(s);
      } catch (IOException | RuntimeException | InterruptedException e) {
        return 0;
      }
    }

    private List<String> command(Peer peer, int loops, ClipInfo info) {
      List<String> cmd = new ArrayList<>();
      for (String a : peer.command()) {
        cmd.add(switch (a) {
          case "{loops-1}" -> Integer.toString(loops - 1);
          case "{pix}" -> info == null || info.channels() == 3 ? "rgb24" : "gray";
          case "{size}" -> info == null ? "0x0" : info.width() + "x" + info.height();
          default -> a;
        });
      }
      return cmd;
    }

    private String available(Peer peer) {
      return onPath(peer.command().get(0)) ? null : peer.command().get(0) + " not installed (scripts/setup-test-tools)";
    }

    private double median(List<String> command, int n) throws IOException {
      double[] t = new double[n];
      for (int i = 0; i < n; i++) t[i] = time(() -> runPeer(command));
      return Median.of(t);
    }

    private void runPeer(List<String> command) throws IOException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IOException(command.get(0) + " failed: " + new String(output).strip().lines().findFirst().orElse(""));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    private interface Work {
      void run() throws IOException;
    }

    private static double time(Work w) throws IOException {
      long t0 = System.nanoTime();
      w.run();
      return (System.nanoTime() - t0) * 1e-9;
    }

    private static String num(double v) {
      if (Double.isNaN(v)) return "n/a";
      return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String abbreviate(String s) {
      return s.length() <= 34 ? s : s.substring(0, 31) + "...";
    }
  }
}
