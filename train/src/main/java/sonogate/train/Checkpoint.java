package sonogate.train;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.DType;
import sonogate.tensor.Tensor;

/**
 * Training checkpoints and weights-only exports in one HDF5 format that h5py reads as named arrays.
 *
 * <pre>
 * /                         attrs format="sonogate-checkpoint", format_version=1, kind="training"|"weights",
 *                                 step (int64), rng_state (int64, training only),
 *                                 config (name), width, frame_size, attention, temporal,
 *                                 prefill (absent in older files: false),
 *                                 settings.&lt;key&gt;: the caller's training settings, one typed attribute each
 * /params/&lt;name&gt;            float32, the parameter's own shape (e.g. params/coarse.3.conv.weight)
 * /buffers/&lt;name&gt;           float32 (spectral-norm u and v)
 * /adam/generator           attrs step (int32); m/&lt;name&gt;, v/&lt;name&gt; per generator parameter (training only)
 * /adam/discriminator       the same for the discriminator's parameters
 * </pre>
 *
 * Configuration and settings are root attributes rather than groups of their own: jhdf 0.9.4
 * writes the header of a group without children wrongly for some names, corrupting its siblings.
 *
 * <p>Saving is atomic ({@link AtomicFile}), refuses non-finite values, and reads the written file
 * back before it replaces anything, so a diverged run or a writer bug never replaces a good
 * checkpoint. jhdf writes each innermost row of a dataset with its own system call (3 floats for a
 * 3x3 kernel), which makes saving the slow half: about 0.5 s for tiny, 3 s for small, 15 s for base.
 * Loading validates the whole file (format, configuration, every
 * dataset's presence, shape and finiteness) before it writes anything into the model, so a refused
 * checkpoint leaves the model and optimisers as they were; every problem is a one-line
 * {@link CheckpointException} naming the file.
 */
public final class Checkpoint {
    public static final String FORMAT = "sonogate-checkpoint";
    public static final int FORMAT_VERSION = 1;
    static final String TRAINING = "training", WEIGHTS = "weights";
    /** Prefix of the root attributes that hold the caller's settings. */
    static final String SETTING = "settings.";

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Checkpoint() {}

    // ---- saving -------------------------------------------------------------------------------

    /**
     * Saves everything a resumed run needs: parameters, buffers, both optimisers' moments and step
     * counts, the training {@code step}, the random generator's state, the configuration and the
     * caller's {@code settings} (values String, Boolean, Integer, Long, Float or Double).
     */
    public static void save(Path file, Translator model, Adam generatorAdam, Adam discriminatorAdam, long step, Rng rng,
                            Map<String, ?> settings) {
        checkAdam(model, generatorAdam, discriminatorAdam);
        write(file, model, generatorAdam, discriminatorAdam, step, rng.state(), settings);
    }

    /** A weights-only export for inference: parameters, buffers, configuration and settings, no optimiser state. */
    public static void saveWeights(Path file, Translator model, long step, Map<String, ?> settings) {
        write(file, model, null, null, step, 0, settings);
    }

    private static void write(Path file, Translator model, Adam gen, Adam disc, long step, long rngState, Map<String, ?> settings) {
        checkSettings(settings);
        ParameterStore store = model.parameters();
        // host copies first: the model is not touched while the file is written
        float[] params = download(store.slab());
        float[] buffers = download(store.bufferSlab());
        float[][] moments = gen == null ? null : new float[][] {
            download(gen.firstMoment()), download(gen.secondMoment()), download(disc.firstMoment()), download(disc.secondMoment())};
        long split = model.generatorSlabLength(), all = store.slabLength();
        Map<String, float[]> written = new LinkedHashMap<>();
        try {
            AtomicFile.write(file, tmp -> {
                try (WritableHdfFile out = HdfFile.write(tmp)) {
                    out.putAttribute("format", FORMAT);
                    out.putAttribute("format_version", FORMAT_VERSION);
                    out.putAttribute("kind", gen == null ? WEIGHTS : TRAINING);
                    out.putAttribute("step", step);
                    if (gen != null) out.putAttribute("rng_state", rngState);
                    ModelConfig c = model.config();
                    out.putAttribute("config", c.name());
                    out.putAttribute("width", c.width());
                    out.putAttribute("frame_size", c.frameSize());
                    out.putAttribute("attention", c.attention());
                    out.putAttribute("temporal", c.temporal());
                    out.putAttribute("prefill", c.prefill());
                    for (var e : new TreeMap<>(settings).entrySet()) out.putAttribute(SETTING + e.getKey(), e.getValue());
                    putEntries(file, out, "", "params", store.parameters(), params, 0, all, written);
                    putEntries(file, out, "", "buffers", store.buffers(), buffers, 0, all, written);
                    if (gen != null) {
                        WritableGroup adam = out.putGroup("adam");
                        putAdam(file, adam, "generator", store, gen.stepCount(), moments[0], moments[1], 0, split, written);
                        putAdam(file, adam, "discriminator", store, disc.stepCount(), moments[2], moments[3], split, all, written);
                    }
                }
                verify(file, tmp, model.config(), gen == null, step, rngState, settings, written);
            });
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot write checkpoint: " + describe(e), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "cannot write checkpoint: " + describe(e), e);
        }
    }

    private static void putAdam(Path file, WritableGroup adam, String which, ParameterStore store, int stepCount,
                                float[] m, float[] v, long from, long to, Map<String, float[]> written) {
        WritableGroup g = adam.putGroup(which);
        g.putAttribute("step", stepCount);
        putEntries(file, g, "adam/" + which, "m", store.parameters(), m, from, to, written);
        putEntries(file, g, "adam/" + which, "v", store.parameters(), v, from, to, written);
    }

    /**
     * A group {@code name} of {@code parent} with one dataset per entry whose slab offset lies in
     * [from, to) ({@code slab} is indexed from {@code from}); no group when there is no such entry
     * (jhdf 0.9.4 can write an empty group's header wrongly, corrupting its siblings).
     */
    private static void putEntries(Path file, WritableGroup parent, String parentPath, String name, Map<String, ParameterStore.Entry> entries,
                                   float[] slab, long from, long to, Map<String, float[]> written) {
        WritableGroup group = null;
        String path = parentPath.isEmpty() ? name : parentPath + "/" + name;
        for (ParameterStore.Entry e : entries.values()) {
            if (e.offset() < from || e.offset() >= to) continue;
            int start = Math.toIntExact(e.offset() - from);
            float[] data = Arrays.copyOfRange(slab, start, start + Math.toIntExact(e.numel()));
            int bad = firstNonFinite(data);
            if (bad >= 0) throw new CheckpointException(file, "refusing to save " + path + "/" + e.name() + ": value " + data[bad] + " at index " + bad);
            if (group == null) group = parent.putGroup(name);
            Hdf5Arrays.write(group, e.name(), e.shape(), data);
            written.put(path + "/" + e.name(), data);
        }
    }

    /**
     * Reads the file just written back and compares every attribute and value: a file that would
     * not load never replaces the previous checkpoint (jhdf's writer is young; see putEntries).
     */
    private static void verify(Path file, Path tmp, ModelConfig config, boolean weightsOnly, long step, long rngState,
                               Map<String, ?> settings, Map<String, float[]> written) {
        try (HdfFile in = new HdfFile(tmp)) {
            CheckpointInfo i = info(file, in);
            boolean same = i.config().equals(config) && i.hasTrainingState() == !weightsOnly && i.step() == step
                    && (weightsOnly || i.rngState() == rngState) && i.settings().equals(new TreeMap<>(settings));
            if (!same) throw new CheckpointException(file, "the written file reads back different attributes; previous checkpoint kept");
            for (var e : written.entrySet()) {
                if (!Arrays.equals(Hdf5Arrays.read(in, e.getKey()).data(), e.getValue())) {
                    throw new CheckpointException(file, "the written file reads back different values of " + e.getKey() + "; previous checkpoint kept");
                }
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(file, "the written file does not read back (" + describe(e) + "); previous checkpoint kept", e);
        }
    }

    private static void checkAdam(Translator model, Adam gen, Adam disc) {
        long g = model.generatorSlabLength(), d = model.parameters().slabLength() - g;
        if (gen.firstMoment().numel() != g || disc.firstMoment().numel() != d) {
            throw new IllegalArgumentException("checkpoint: optimisers cover " + gen.firstMoment().numel() + " and " + disc.firstMoment().numel()
                    + " values, the model's generator and discriminator slabs hold " + g + " and " + d);
        }
    }

    private static void checkSettings(Map<String, ?> settings) {
        for (var e : settings.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k == null || k.isEmpty() || k.contains("/")) {
                throw new IllegalArgumentException("checkpoint setting name '" + k + "': must be non-empty without '/'");
            }
            if (!(v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double)) {
                throw new IllegalArgumentException("checkpoint setting " + k + ": " + (v == null ? "null" : v.getClass().getSimpleName())
                        + " is not a String, Boolean, Integer, Long, Float or Double");
            }
        }
    }

    // ---- loading ------------------------------------------------------------------------------

    /** The configuration, settings, step and kind of a checkpoint, without loading its weights. */
    public static CheckpointInfo readConfig(Path file) {
        return read(file, in -> info(file, in));
    }

    /**
     * Resumes training: loads parameters, buffers and both optimisers' state into {@code model},
     * {@code generatorAdam} and {@code discriminatorAdam}. Returns the step, random generator state
     * and settings. Refuses a weights-only export and a checkpoint of another configuration.
     */
    public static CheckpointInfo restore(Path file, Translator model, Adam generatorAdam, Adam discriminatorAdam) {
        checkAdam(model, generatorAdam, discriminatorAdam);
        return load(file, model, generatorAdam, discriminatorAdam);
    }

    /** Loads parameters and buffers for inference, from a training checkpoint or a weights-only export. */
    public static CheckpointInfo loadWeights(Path file, Translator model) {
        return load(file, model, null, null);
    }

    private static CheckpointInfo load(Path file, Translator model, Adam gen, Adam disc) {
        ParameterStore store = model.parameters();
        long split = model.generatorSlabLength(), all = store.slabLength();
        // read and validate everything before writing into the model
        float[] params = new float[Math.toIntExact(all)];
        float[] buffers = new float[Math.toIntExact(store.bufferSlab().numel())];
        float[][] moments = gen == null ? null : new float[][] {
            new float[Math.toIntExact(split)], new float[Math.toIntExact(split)],
            new float[Math.toIntExact(all - split)], new float[Math.toIntExact(all - split)]};
        int[] adamSteps = new int[2];
        CheckpointInfo info = read(file, in -> {
            CheckpointInfo i = info(file, in);
            checkConfig(file, i.config(), model.config());
            if (gen != null && !i.hasTrainingState()) {
                throw new CheckpointException(file, "is a weights-only export without optimiser state; resuming training needs a training checkpoint");
            }
            // an inference-only model (no discriminator) skips the file's disc.* tensors
            String skip = model.hasDiscriminator() ? null : "disc.";
            readEntries(file, in, "params", store.parameters(), params, 0, Long.MAX_VALUE, false, skip);
            readEntries(file, in, "buffers", store.buffers(), buffers, 0, Long.MAX_VALUE, false, skip);
            if (gen != null) {
                adamSteps[0] = readAdam(file, in, "generator", store, moments[0], moments[1], 0, split);
                adamSteps[1] = readAdam(file, in, "discriminator", store, moments[2], moments[3], split, all);
            }
            return i;
        });
        upload(params, store.slab());
        upload(buffers, store.bufferSlab());
        if (gen != null) {
            upload(moments[0], gen.firstMoment());
            upload(moments[1], gen.secondMoment());
            upload(moments[2], disc.firstMoment());
            upload(moments[3], disc.secondMoment());
            gen.setStepCount(adamSteps[0]);
            disc.setStepCount(adamSteps[1]);
        }
        return info;
    }

    private static int readAdam(Path file, HdfFile in, String which, ParameterStore store, float[] m, float[] v, long from, long to) {
        String path = "adam/" + which;
        Group g = group(file, in, path);
        long step = longAttribute(file, g, path, "step");
        if (step < 0 || step > Integer.MAX_VALUE) throw new CheckpointException(file, path + " step " + step + " is out of range");
        readEntries(file, in, path + "/m", store.parameters(), m, from, to, false, null);
        readEntries(file, in, path + "/v", store.parameters(), v, from, to, true, null);
        return (int) step;
    }

    /** Fills {@code slab} (indexed from {@code from}) from the datasets of {@code groupPath}; refuses missing, extra, misshapen or non-finite ones. */
    private static void readEntries(Path file, HdfFile in, String groupPath, Map<String, ParameterStore.Entry> entries, float[] slab,
                                    long from, long to, boolean nonNegative, String skipPrefix) {
        boolean any = entries.values().stream().anyMatch(e -> e.offset() >= from && e.offset() < to);
        if (!any && !in.getChildren().containsKey(groupPath)) return;
        Group group = group(file, in, groupPath);
        int expected = 0;
        for (ParameterStore.Entry e : entries.values()) {
            if (e.offset() < from || e.offset() >= to) continue;
            expected++;
            String path = groupPath + "/" + e.name();
            Node node = group.getChild(e.name());
            if (node == null) throw new CheckpointException(file, "missing dataset " + path);
            if (!(node instanceof Dataset ds)) throw new CheckpointException(file, path + " is not a dataset");
            int[] dims = ds.getDimensions();
            if (!Arrays.equals(dims, e.shape())) {
                throw new CheckpointException(file, "dataset " + path + " has shape " + Arrays.toString(dims) + ", the model expects " + Arrays.toString(e.shape()));
            }
            Class<?> type = ds.getJavaType();
            if (type != float.class && type != double.class) throw new CheckpointException(file, "dataset " + path + " holds " + type.getSimpleName() + ", not floats");
            float[] data = Hdf5Arrays.read(in, path).data();
            if (data.length != e.numel()) throw new CheckpointException(file, "dataset " + path + " holds " + data.length + " values, expected " + e.numel());
            int bad = firstNonFinite(data);
            if (bad >= 0) throw new CheckpointException(file, "dataset " + path + " holds " + data[bad] + " at index " + bad);
            if (nonNegative) {
                for (int i = 0; i < data.length; i++) {
                    if (data[i] < 0) throw new CheckpointException(file, "dataset " + path + " holds negative second moment " + data[i] + " at index " + i);
                }
            }
            System.arraycopy(data, 0, slab, Math.toIntExact(e.offset() - from), data.length);
        }
        if (group.getChildren().size() != expected) {
            for (String name : group.getChildren().keySet()) {
                boolean known = (entries.containsKey(name) && entries.get(name).offset() >= from && entries.get(name).offset() < to)
                        || (skipPrefix != null && name.startsWith(skipPrefix));
                if (!known) throw new CheckpointException(file, "dataset " + groupPath + "/" + name + " is not a tensor of this model");
            }
        }
    }

    private static CheckpointInfo info(Path file, HdfFile in) {
        String format = stringAttribute(file, in, "/", "format");
        if (!FORMAT.equals(format)) throw new CheckpointException(file, "is not a sonogate checkpoint (format '" + format + "')");
        long version = longAttribute(file, in, "/", "format_version");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new CheckpointException(file, "has checkpoint format version " + version + "; this build reads version " + FORMAT_VERSION);
        }
        String kind = stringAttribute(file, in, "/", "kind");
        if (!TRAINING.equals(kind) && !WEIGHTS.equals(kind)) throw new CheckpointException(file, "unknown checkpoint kind '" + kind + "'");
        boolean training = TRAINING.equals(kind);
        long step = longAttribute(file, in, "/", "step");
        long rngState = training ? longAttribute(file, in, "/", "rng_state") : 0;
        ModelConfig config;
        try {
            config = new ModelConfig(stringAttribute(file, in, "/", "config"), (int) longAttribute(file, in, "/", "width"),
                    (int) longAttribute(file, in, "/", "frame_size"), booleanAttribute(file, in, "/", "attention"),
                    booleanAttribute(file, in, "/", "temporal"), optionalBooleanAttribute(file, in, "/", "prefill"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "invalid configuration: " + e.getMessage(), e);
        }
        Map<String, Object> settings = new TreeMap<>();
        for (Map.Entry<String, Attribute> e : in.getAttributes().entrySet()) {
            if (!e.getKey().startsWith(SETTING)) continue;
            String key = e.getKey().substring(SETTING.length());
            settings.put(key, settingValue(file, key, e.getValue()));
        }
        return new CheckpointInfo((int) version, config, Collections.unmodifiableMap(new LinkedHashMap<>(settings)), step, training, rngState);
    }

    private static Object settingValue(Path file, String key, Attribute a) {
        Object v = a.getData();
        if (v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double) return v;
        throw new CheckpointException(file, "setting " + key + " holds " + (v == null ? "nothing" : v.getClass().getSimpleName()) + ", not a scalar");
    }

    private static void checkConfig(Path file, ModelConfig saved, ModelConfig model) {
        boolean same = saved.width() == model.width() && saved.frameSize() == model.frameSize()
                && saved.attention() == model.attention() && saved.temporal() == model.temporal()
                && saved.prefill() == model.prefill();
        if (!same) throw new CheckpointException(file, "checkpoint is " + describe(saved) + ", model is " + describe(model).substring("config ".length()));
    }

    /** {@code config 'tiny' (c=8, 64x64, attention on)}, with {@code , temporal} when the temporal option is on. */
    public static String describe(ModelConfig c) {
        return "config '" + c.name() + "' (c=" + c.width() + ", " + c.frameSize() + "x" + c.frameSize() + ", attention " + (c.attention() ? "on" : "off")
                + (c.temporal() ? ", temporal" : "") + (c.prefill() ? ", prefill" : "") + ")";
    }

    // ---- reading safely -----------------------------------------------------------------------

    private interface Reader<T> {
        T read(HdfFile in);
    }

    /**
     * Opens {@code file} after checking it is a complete HDF5 file (signature, and the end-of-file
     * address of the superblock against the file's size: a truncated copy is refused before jhdf
     * sees it), and turns whatever jhdf throws on a corrupt file into a {@link CheckpointException}.
     */
    private static <T> T read(Path file, Reader<T> reader) {
        precheck(file);
        try (HdfFile in = new HdfFile(file)) {
            return reader.read(in);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new CheckpointException(file, "corrupt or unreadable HDF5 file (" + describe(e) + ")", e);
        }
    }

    private static void precheck(Path file) {
        if (!Files.exists(file)) throw new CheckpointException(file, "no such file");
        if (!Files.isRegularFile(file)) throw new CheckpointException(file, "not a regular file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 64)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) >= 0) { /* fill */ }
            head.flip();
            byte[] sig = new byte[Math.min(8, head.limit())];
            head.get(0, sig);
            if (!Arrays.equals(sig, HDF5_SIGNATURE)) {
                throw new CheckpointException(file, size == 0 ? "empty file, not a checkpoint" : "not an HDF5 file (no HDF5 signature; " + size + " bytes)");
            }
            long eof = endOfFileAddress(head);
            if (eof < 0) throw new CheckpointException(file, "truncated or corrupt HDF5 superblock (" + size + " bytes)");
            if (size < eof) throw new CheckpointException(file, "truncated: " + size + " of " + eof + " bytes");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
    }

    /**
     * The superblock's end-of-file address (base address 0, as this format writes); -1 if the
     * superblock is cut short or of an unknown version, 0 if its offsets are not 8 bytes wide.
     */
    private static long endOfFileAddress(ByteBuffer head) {
        if (head.limit() < 9) return -1;
        int version = head.get(8);
        int offsetsAt, at;
        switch (version) {
            case 0 -> { offsetsAt = 13; at = 24 + 16; }
            case 1 -> { offsetsAt = 13; at = 28 + 16; }
            case 2, 3 -> { offsetsAt = 9; at = 12 + 16; }
            default -> { return -1; }
        }
        if (head.limit() <= offsetsAt) return -1;
        int sizeOfOffsets = head.get(offsetsAt);
        if (sizeOfOffsets != 8) return 0; // not what this format writes: let jhdf judge it
        if (head.limit() < at + 8) return -1;
        return head.getLong(at);
    }

    private static Group group(Path file, HdfFile in, String path) {
        Node n;
        try {
            n = in.getByPath(path);
        } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
            throw new CheckpointException(file, "missing group " + path, e);
        }
        if (!(n instanceof Group g)) throw new CheckpointException(file, path + " is not a group");
        return g;
    }

    private static Object attribute(Path file, Node node, String where, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) throw new CheckpointException(file, "missing attribute " + name + " of " + where);
        return a.getData();
    }

    private static String stringAttribute(Path file, Node node, String where, String name) {
        Object v = attribute(file, node, where, name);
        if (v instanceof String s) return s;
        throw new CheckpointException(file, "attribute " + name + " of " + where + " is not a string");
    }

    private static long longAttribute(Path file, Node node, String where, String name) {
        Object v = attribute(file, node, where, name);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        throw new CheckpointException(file, "attribute " + name + " of " + where + " is not an integer");
    }

    private static boolean booleanAttribute(Path file, Node node, String where, String name) {
        Object v = attribute(file, node, where, name);
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) return n.longValue() == 1;
        throw new CheckpointException(file, "attribute " + name + " of " + where + " is not a boolean");
    }

    /** A boolean attribute that older checkpoints lack: false when absent. */
    private static boolean optionalBooleanAttribute(Path file, Node node, String where, String name) {
        return node.getAttribute(name) != null && booleanAttribute(file, node, where, name);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + CheckpointException.oneLine(m));
    }

    // ---- host copies ------------------------------------------------------------------------

    private static int firstNonFinite(float[] data) {
        for (int i = 0; i < data.length; i++) if (!Float.isFinite(data[i])) return i;
        return -1;
    }

    /** The tensor's values (a contiguous view of a slab) as a float array. */
    static float[] download(Tensor t) {
        if (isHostFloat(t)) {
            float[] out = new float[Math.toIntExact(t.numel())];
            MemorySegment.copy(t.cpuSegment(), ValueLayout.JAVA_FLOAT, 0, out, 0, out.length);
            return out;
        }
        return t.toFloatArray();
    }

    /** Writes {@code data} into the tensor (a contiguous view of a slab) in row-major order. */
    static void upload(float[] data, Tensor t) {
        if (data.length != t.numel()) throw new IllegalArgumentException("upload: " + data.length + " values into " + t);
        if (isHostFloat(t)) {
            MemorySegment.copy(data, 0, t.cpuSegment(), ValueLayout.JAVA_FLOAT, 0, data.length);
            return;
        }
        try (Tensor src = Tensor.of(data, t.shape())) {
            t.backend().copy(src, t, false);
        }
    }

    private static boolean isHostFloat(Tensor t) {
        return t.device() == Device.CPU && t.dtype() == DType.F32 && t.isContiguous();
    }
}
