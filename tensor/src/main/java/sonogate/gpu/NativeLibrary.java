package sonogate.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the first loadable of several sonames (e.g. libcublas.so.13, then .12), through the dynamic
 * loader's own search (LD_LIBRARY_PATH, the ld.so cache, the system folders), then in the folders of
 * {@code SONOGATE_CUDA_LIBS} (colon-separated; e.g. the lib folders of PyTorch's nvidia-* wheels,
 * which are not on the loader's path). Libraries stay loaded for the life of the process.
 */
public record NativeLibrary(String name, String soname, SymbolLookup lookup) {

    /** The environment variable with extra folders to search. */
    public static final String PATH_VARIABLE = "SONOGATE_CUDA_LIBS";

    /**
     * The first of {@code sonames} that loads.
     *
     * @throws GpuUnavailableException naming every soname and where they were looked for
     */
    public static NativeLibrary open(String name, String... sonames) {
        List<String> tried = new ArrayList<>();
        for (String so : sonames) {
            SymbolLookup l = tryOpen(so);
            if (l != null) return new NativeLibrary(name, so, l);
            tried.add(so);
            for (Path dir : extraFolders()) {
                Path p = dir.resolve(so);
                if (!Files.exists(p)) continue;
                l = tryOpen(p.toString());
                if (l != null) return new NativeLibrary(name, p.toString(), l);
            }
        }
        String where = extraFolders().isEmpty() ? "the loader's path; set " + PATH_VARIABLE + " to a folder that holds it"
                : "the loader's path and " + PATH_VARIABLE;
        throw new GpuUnavailableException(String.join(" or ", tried) + " not found (searched " + where + ")");
    }

    /** Whether the soname loads, without keeping a handle to report. */
    public static boolean loads(String soname) {
        return tryOpen(soname) != null;
    }

    private static SymbolLookup tryOpen(String nameOrPath) {
        try {
            return SymbolLookup.libraryLookup(nameOrPath, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return null;   // not found, or native access refused (reported by the caller as "not found")
        }
    }

    static List<Path> extraFolders() {
        String v = System.getenv(PATH_VARIABLE);
        List<Path> out = new ArrayList<>();
        if (v == null) return out;
        for (String s : v.split(":")) if (!s.isBlank()) out.add(Path.of(s));
        return out;
    }

    /** The address of a function this library must export; a one-line error naming it when absent. */
    public java.lang.foreign.MemorySegment function(String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new GpuUnavailableException(soname + " does not export " + symbol
                + " (an unsupported version of " + name + "?)"));
    }
}
