package sonogate.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The compiled CUDA kernels shipped in this jar: {@code sonogate/cuda/sonogate_kernels.fatbin}
 * (SASS for sm_80 and sm_90, PTX for compute_90; built by {@code scripts/build-cuda}) and the
 * manifest the build wrote beside it. Plain bytes: loading them onto a GPU is the GPU backend's job.
 */
public final class KernelImage {
    private KernelImage() {}

    public static final String FATBIN = "/sonogate/cuda/sonogate_kernels.fatbin";
    public static final String MANIFEST = "/sonogate/cuda/sonogate_kernels.manifest";

    /** The fatbin's bytes (a fresh copy). */
    public static byte[] fatbin() {
        return resource(FATBIN);
    }

    /** The build manifest (nvcc version and flags, SHA-256 of each source and of the fatbin). */
    public static Properties manifest() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(resource(MANIFEST), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static byte[] resource(String name) {
        try (InputStream in = KernelImage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the jar has no " + name + " (run scripts/build-cuda)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
