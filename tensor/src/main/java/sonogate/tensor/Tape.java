package sonogate.tensor;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Reverse-mode autodiff. Every differentiable op that runs while recording appends a node (its
 * output, its inputs and a backward closure) to this thread's tape; nodes are therefore already
 * in topological order, and {@link #backward} just walks them in reverse. Each closure ADDS the
 * gradient of its inputs into their {@link Tensor#gradBuffer()}.
 */
public final class Tape {

    /** The backward half of an op: reads its output's gradient, adds into its inputs' gradients. */
    @FunctionalInterface
    public interface Backward {
        void run(Tensor gradOutput);
    }

    private record Node(String op, Tensor output, Tensor[] inputs, Backward backward) {}

    private static final ThreadLocal<Tape> TAPE = ThreadLocal.withInitial(Tape::new);

    private final ArrayList<Node> nodes = new ArrayList<>();
    private int noGradDepth;
    private Scope recordingScope;

    private Tape() {}

    /** True when an op with these inputs must record itself. */
    public static boolean needsGrad(Tensor... inputs) {
        Tape tape = TAPE.get();
        if (tape.noGradDepth > 0) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** False inside {@link #noGrad()}: ops record nothing. */
    public static boolean isGradEnabled() {
        return TAPE.get().noGradDepth == 0;
    }

    /**
     * Frees an activation its consumers are done with, when nothing can read it later: inside
     * {@link #noGrad()} it is closed now (so inference holds about one layer's activations, not the
     * whole network's, like PyTorch's reference counting); while recording it is left alone, since
     * a backward closure may read it (its scope frees it).
     */
    public static void discard(Tensor t) {
        if (t != null && TAPE.get().noGradDepth > 0) t.close();
    }

    /** Records an op; {@code output} becomes an interior node that requires grad. */
    public static void record(String op, Tensor output, Tensor[] inputs, Backward backward) {
        Tape tape = TAPE.get();
        if (tape.nodes.isEmpty()) tape.recordingScope = Scope.current();
        output.markInterior();
        tape.nodes.add(new Node(op, output, inputs, backward));
    }

    /**
     * Back-propagates from a one-element {@code loss}: every leaf that requires grad gets
     * d loss / d leaf added to its gradient. The tape is cleared afterwards.
     */
    public static void backward(Tensor loss) {
        backward(loss, false);
    }

    /**
     * As {@link #backward(Tensor)}; with {@code retainGraph} the tape is kept (PyTorch's
     * {@code retain_graph=True}), so a later backward from another loss can still reach the ops
     * recorded so far. A GAN step needs it: the discriminator's backward must not erase the
     * generator's forward, which the generator's backward uses next. Nodes that do not lead to a
     * later loss are skipped by it at no cost; the tape is cleared by the last, non-retaining
     * backward or when the recording scope closes.
     */
    public static void backward(Tensor loss, boolean retainGraph) {
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("backward: loss must have one element, got shape " + Shapes.str(loss.shape()));
        }
        if (!loss.requiresGrad()) throw new IllegalArgumentException("backward: loss does not depend on any tensor that requires grad");
        Tape tape = TAPE.get();
        try {
            loss.backend().fill(loss.gradBuffer(), 1.0);
            for (int i = tape.nodes.size() - 1; i >= 0; i--) {
                Node node = tape.nodes.get(i);
                Tensor g = node.output.grad();
                if (g == null) continue;   // does not lead to the loss
                for (Tensor in : node.inputs) {
                    if (in != null && in.isClosed()) {
                        throw new IllegalStateException("backward: input of " + node.op + " was closed before backward "
                                + Shapes.str(in.shape()) + "; keep activations alive until backward runs");
                    }
                }
                node.backward.run(g);
                node.output.releaseGrad();
            }
        } finally {
            if (!retainGraph) tape.clearNodes();
        }
    }

    /** Forgets everything recorded on this thread (no gradients are computed). */
    public static void clear() {
        TAPE.get().clearNodes();
    }

    private void clearNodes() {
        nodes.clear();
        recordingScope = null;
    }

    static void onScopeClose(Scope scope) {
        Tape tape = TAPE.get();
        if (!tape.nodes.isEmpty() && tape.recordingScope == scope) tape.clearNodes();
    }

    /** Number of recorded nodes (for tests and diagnostics). */
    public static int size() {
        return TAPE.get().nodes.size();
    }

    /** Ops recorded so far, oldest first (diagnostics). */
    public static String describe() {
        return Arrays.toString(TAPE.get().nodes.stream().map(Node::op).toArray());
    }

    /**
     * Inference mode: inside it, ops record nothing and keep no activations for backward.
     * <pre>{@code try (var ng = Tape.noGrad()) { ... } }</pre>
     */
    public static NoGrad noGrad() {
        TAPE.get().noGradDepth++;
        return new NoGrad();
    }

    public static final class NoGrad implements AutoCloseable {
        private boolean closed;

        private NoGrad() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                TAPE.get().noGradDepth--;
            }
        }
    }
}
