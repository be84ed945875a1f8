package sonogate.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped fatbin is the build of the shipped sources.
 *
 * <p>Checks that need no CUDA tools: each source's SHA-256 equals the manifest's (a changed source
 * without a rebuild fails here); the fatbin's SHA-256 equals the manifest's (a fatbin that is not the
 * one the build wrote fails); the fatbin holds SASS for sm_80 and sm_90 and PTX for compute_90, each
 * defining exactly the kernels the sources declare and {@link CudaKernel} lists.
 *
 * <p>With nvcc installed: a rebuild from the sources with the manifest's flags. nvcc's output was
 * found to be deterministic (byte-identical across runs and source directories, nvcc 13.0.88), so
 * with nvcc of the manifest's version the rebuild must equal the shipped bytes. With another
 * version exact equality cannot be expected (other code generation); then the rebuild must hold the
 * same targets and kernels, and the test says which version differs.
 */
class FatbinTest {
    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void ([A-Za-z0-9_]+)");

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static List<Path> sources() throws Exception {
        try (Stream<Path> s = Files.list(CudaTools.cudaSources())) {
            return s.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).sorted().toList();
        }
    }

    @Test
    void sourcesMatchTheManifest() throws Exception {
        Properties m = KernelImage.manifest();
        Set<String> listed = m.stringPropertyNames().stream().filter(k -> k.startsWith("source.")).map(k -> k.substring(7))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> present = new TreeSet<>();
        for (Path p : sources()) {
            String name = p.getFileName().toString();
            present.add(name);
            assertEquals(m.getProperty("source." + name), sha256(Files.readAllBytes(p)),
                    name + " changed since the fatbin was built: run scripts/build-cuda and commit the fatbin and manifest");
        }
        assertEquals(listed, present, "the manifest's sources are not the sources in kernels/src/main/cuda (run scripts/build-cuda)");
    }

    @Test
    void fatbinIsTheOneTheBuildWrote() throws Exception {
        byte[] fatbin = KernelImage.fatbin();
        Properties m = KernelImage.manifest();
        assertEquals(Long.parseLong(m.getProperty("fatbin.bytes")), fatbin.length, "fatbin size");
        assertEquals(m.getProperty("fatbin.sha256"), sha256(fatbin), "fatbin SHA-256 differs from the manifest's");
    }

    @Test
    void everyTargetDefinesExactlyTheDeclaredKernels() throws Exception {
        Set<String> declared = new TreeSet<>();
        for (Path p : sources()) {
            Matcher k = KERNEL.matcher(Files.readString(p));
            while (k.find()) declared.add(k.group(1));
        }
        Set<String> listed = Arrays.stream(CudaKernel.values()).map(CudaKernel::symbol).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, listed, "CudaKernel must list every extern \"C\" __global__ of the sources");
        assertEquals(new TreeSet<>(List.of(KernelImage.manifest().getProperty("kernels").split(","))), declared, "manifest kernels");

        List<Fatbin.Entry> entries = Fatbin.entries(KernelImage.fatbin());
        assertEquals(List.of("compute_90", "sm_80", "sm_90"), targets(entries), "targets in the fatbin");
        for (Fatbin.Entry e : entries) {
            assertFalse(e.compressed(), e + " is compressed: build with --compress-mode=none (scripts/build-cuda)");
            assertEquals(declared, e.kernels(), "kernels of " + e);
        }
    }

    private static List<String> targets(List<Fatbin.Entry> entries) {
        List<String> t = new ArrayList<>();
        for (Fatbin.Entry e : entries) t.add((e.kind() == Fatbin.Kind.ELF ? "sm_" : "compute_") + e.arch());
        t.sort(null);
        return t;
    }

    @Test
    void rebuildWithNvccReproducesTheFatbin(@TempDir Path dir) throws Exception {
        Path nvcc = CudaTools.nvcc();
        assumeTrue(nvcc != null, "nvcc not installed: the fatbin is checked by its hashes only");
        Properties m = KernelImage.manifest();
        List<String> cmd = new ArrayList<>(List.of(nvcc.toString()));
        cmd.addAll(List.of(m.getProperty("nvcc.flags").split(" ")));
        Path out = dir.resolve("rebuilt.fatbin");
        cmd.addAll(List.of("-o", out.toString(), "sonogate_kernels.cu"));
        CudaTools.run(cmd, CudaTools.cudaSources(), 600);
        byte[] rebuilt = Files.readAllBytes(out), shipped = KernelImage.fatbin();
        String version = CudaTools.nvccVersion(nvcc);
        if (version.equals(m.getProperty("nvcc.version"))) {
            assertArrayEquals(shipped, rebuilt, "nvcc " + version + " (the manifest's) builds different bytes: run scripts/build-cuda");
        } else {
            System.out.println("FatbinTest: nvcc " + version + " differs from the manifest's " + m.getProperty("nvcc.version")
                    + ": comparing targets and kernels only");
            List<Fatbin.Entry> a = Fatbin.entries(shipped), b = Fatbin.entries(rebuilt);
            assertEquals(targets(a), targets(b), "targets");
            for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).kernels(), b.get(i).kernels(), "kernels of " + a.get(i));
        }
    }
}
