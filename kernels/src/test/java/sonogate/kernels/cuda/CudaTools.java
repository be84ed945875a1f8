package sonogate.kernels.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds nvcc and a host C++ compiler for the CUDA tests, and runs them. */
final class CudaTools {
    private CudaTools() {}

    /** nvcc on PATH, else /usr/local/cuda/bin/nvcc; null when neither exists. */
    static Path nvcc() {
        Path p = onPath("nvcc");
        if (p != null) return p;
        Path usual = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(usual) ? usual : null;
    }

    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** nvcc's "V13.0.88"-style version, e.g. 13.0.88. */
    static String nvccVersion(Path nvcc) throws IOException, InterruptedException {
        String out = run(List.of(nvcc.toString(), "--version"), null, 60);
        for (String line : out.split("\n")) {
            int v = line.indexOf(", V");
            if (line.contains("release") && v >= 0) return line.substring(v + 3).trim();
        }
        throw new IOException("cannot read the version from: " + out);
    }

    /** Runs a command; returns its output (stdout and stderr); throws with the output when it fails. */
    static String run(List<String> cmd, Path dir, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
        return text;
    }

    /** kernels/src/main/cuda, found from the working directory (the module or the repository root). */
    static Path cudaSources() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("src/main/cuda");
            if (Files.isRegularFile(p.resolve("sonogate_kernels.cu"))) return p;
            p = d.resolve("kernels/src/main/cuda");
            if (Files.isRegularFile(p.resolve("sonogate_kernels.cu"))) return p;
        }
        throw new IllegalStateException("cannot find kernels/src/main/cuda from " + Path.of("").toAbsolutePath());
    }
}
