package sonogate.train;

import java.util.Map;
import sonogate.nn.ModelConfig;

/**
 * What a checkpoint says about itself, without its weights: the model configuration, the caller's
 * training settings (loss weights, learning rate, data path...), the training step, and, for a
 * training checkpoint, the random generator's state. A weights-only export
 * ({@link Checkpoint#saveWeights}) has no optimiser state and no generator state.
 *
 * @param settings values are String, Boolean, Integer, Long, Float or Double, as they were saved;
 *                 sorted by key
 */
public record CheckpointInfo(int formatVersion, ModelConfig config, Map<String, Object> settings, long step,
                             boolean hasTrainingState, long rngState) {

    /** The run's random generator, continuing exactly where the saved run stopped. */
    public Rng rng() {
        if (!hasTrainingState) throw new IllegalStateException("a weights-only checkpoint has no random generator state");
        return Rng.fromState(rngState);
    }

    /** One line for {@code sonogate info}: the config as {@link Checkpoint#describe} prints it, kind and step. */
    public String summary() {
        return Checkpoint.describe(config) + ", " + (hasTrainingState ? "training checkpoint" : "weights only") + ", step " + step;
    }
}
