package sonogate.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peer SGEMM: OpenBLAS's {@code cblas_sgemm} called through FFM (bench module only).
 *
 * <p>Looks for {@code libopenblas.so.0}, then {@code libopenblas.so}, or the path in
 * {@code -Dsonogate.openblas=PATH}. Assumes the LP64 build (32-bit {@code blasint}), which is what
 * Debian's {@code libopenblas0} is; the ILP64 build is a different soname ({@code libopenblas64}).
 */
public final class OpenBlas {
    /** What to tell a user without the library. */
    public static final String INSTALL_HINT =
            "OpenBLAS not found (libopenblas.so.0): install it with 'apt-get install -y libopenblas0' "
                    + "(or run scripts/setup-bench-deps), or point -Dsonogate.openblas=PATH at the library";

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private static volatile Optional<OpenBlas> instance;
    private static volatile String loadError;

    private final String library;
    private final MethodHandle sgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getNumThreads;
    private final MethodHandle getConfig;
    private final MethodHandle getCorename;

    private OpenBlas(String library, SymbolLookup lookup) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        sgemm = linker.downcallHandle(find(lookup, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i));
        setNumThreads = linker.downcallHandle(find(lookup, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(i));
        getNumThreads = linker.downcallHandle(find(lookup, "openblas_get_num_threads"), FunctionDescriptor.of(i));
        getConfig = linker.downcallHandle(find(lookup, "openblas_get_config"), FunctionDescriptor.of(p));
        getCorename = linker.downcallHandle(find(lookup, "openblas_get_corename"), FunctionDescriptor.of(p));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("OpenBLAS: symbol " + name + " missing"));
    }

    /** The loaded library, or empty (then {@link #loadError()} says why). Loaded once per JVM. */
    public static Optional<OpenBlas> find() {
        Optional<OpenBlas> o = instance;
        if (o == null) {
            synchronized (OpenBlas.class) {
                o = instance;
                if (o == null) instance = o = load();
            }
        }
        return o;
    }

    /** The loaded library, or an {@link IllegalStateException} whose message is {@link #INSTALL_HINT}. */
    public static OpenBlas require() {
        return find().orElseThrow(() -> new IllegalStateException(loadError()));
    }

    /** One line: why the library could not be loaded (null when it was). */
    public static String loadError() {
        find();
        return loadError;
    }

    /**
     * OpenBLAS's idle workers busy-wait for 2^OPENBLAS_THREAD_TIMEOUT cycles after each call
     * (default 2^28, about 0.1 s) before sleeping, which halves the speed of any other multi-threaded
     * code run right after it on a small machine, so interleaved measurements would be unfair to us.
     * Unless the user set it, the bench sets it to this value (2^20 cycles, about 0.4 ms: comparable
     * to the 0.2 ms our own pool spins) before the library loads and reads it.
     */
    public static final String THREAD_TIMEOUT = "20";

    private static Optional<OpenBlas> load() {
        setDefaultEnv("OPENBLAS_THREAD_TIMEOUT", THREAD_TIMEOUT);
        List<String> names = new ArrayList<>();
        String override = System.getProperty("sonogate.openblas");
        if (override != null && !override.isBlank()) names.add(override);
        names.add("libopenblas.so.0");
        names.add("libopenblas.so");
        for (String name : names) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            try {
                return Optional.of(new OpenBlas(name, lookup));
            } catch (IllegalStateException e) {
                loadError = name + ": " + e.getMessage();
                return Optional.empty();
            }
        }
        loadError = INSTALL_HINT;
        return Optional.empty();
    }

    /** setenv(name, value, 0) in the C runtime, so a library loaded afterwards sees it; best effort. */
    private static void setDefaultEnv(String name, String value) {
        try (Arena a = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
            if (setenv.isEmpty()) return;
            MethodHandle h = linker.downcallHandle(setenv.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            int rc = (int) h.invokeExact(a.allocateFrom(name), a.allocateFrom(value), 0);
        } catch (Throwable ignored) {
            // Only a fairness tweak: without it the numbers are still OpenBLAS's, with its default idling.
        }
    }

    /** The OpenBLAS thread timeout in force (the environment as the C runtime sees it), or "default (28)". */
    public static String threadTimeout() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle h = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = (MemorySegment) h.invokeExact(a.allocateFrom("OPENBLAS_THREAD_TIMEOUT"));
                return v.equals(MemorySegment.NULL) ? "default (28)" : v.reinterpret(64).getString(0);
            }
        } catch (Throwable t) {
            return "unknown";
        }
    }

    /** The name the library was loaded by. */
    public String library() { return library; }

    /**
     * Row-major {@code cblas_sgemm}, same conventions as {@code sonogate.kernels.Sgemm.sgemm}
     * (offsets and leading dimensions in floats). Segments must be native.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, long aOff, int lda, MemorySegment b, long bOff, int ldb,
                      float beta, MemorySegment c, long cOff, int ldc) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    a.asSlice(aOff * Float.BYTES), lda, b.asSlice(bOff * Float.BYTES), ldb, beta,
                    c.asSlice(cOff * Float.BYTES), ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void setNumThreads(int threads) {
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int numThreads() {
        try {
            return (int) getNumThreads.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code openblas_get_config()}, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64". */
    public String config() {
        return cString(getConfig);
    }

    /** {@code openblas_get_corename()}: the kernel set it picked for this CPU. */
    public String corename() {
        return cString(getCorename);
    }

    private static String cString(MethodHandle h) {
        try {
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new RuntimeException(t);
    }
}
