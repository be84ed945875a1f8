package sonogate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Header facts for benchmark reports. */
public final class SystemInfo {
    private SystemInfo() {}

    /** "model name" of /proc/cpuinfo, else os.arch. */
    public static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    public static String jdk() {
        return System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")";
    }
}
