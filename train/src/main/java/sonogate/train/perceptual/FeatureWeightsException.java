package sonogate.train.perceptual;

import java.nio.file.Path;

/**
 * A feature-network weights file that cannot be used: missing, not HDF5, not a Keras VGG16 file
 * (a layer missing, a wrong shape, channels-first kernels). The message is one line,
 * {@code <file>: <problem>}, fit to print as it is.
 */
public final class FeatureWeightsException extends RuntimeException {
    public FeatureWeightsException(Path file, String problem) {
        this(file, problem, null);
    }

    public FeatureWeightsException(Path file, String problem, Throwable cause) {
        super(file + ": " + (problem == null ? "" : problem.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip()), cause);
    }
}
