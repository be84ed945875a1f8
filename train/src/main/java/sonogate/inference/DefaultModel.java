package sonogate.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model that ships with sonogate, used by {@code eval} and {@code demo} when no {@code --model}
 * is given: the weights checkpoint at {@link #RESOURCE} on the class path, i.e. the file
 * {@code train/src/main/resources/sonogate/models/default.h5} of the repository, packed into the jar.
 */
public final class DefaultModel {
    /** Where the bundled checkpoint lives on the class path (the one place to change). */
    public static final String RESOURCE = "/sonogate/models/default.h5";

    private DefaultModel() {}

    /** True when the jar carries a default model. */
    public static boolean bundled() {
        return DefaultModel.class.getResource(RESOURCE) != null;
    }

    /**
     * The bundled checkpoint copied to a temporary file (HDF5 needs a file; deleted when the JVM
     * exits); null when none is bundled.
     */
    public static Path extract() {
        try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return null;
            Path tmp = Files.createTempFile("sonogate-default-model-", ".h5");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
