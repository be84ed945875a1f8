package sonogate.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Deterministic lifetime for tensors: every tensor created while a scope is the innermost open
 * one on this thread is closed when the scope closes, and its memory goes back to the pool.
 * A training step is one scope; parameters live outside it. Tensors created with no scope open
 * belong to the caller, who closes them.
 *
 * <pre>{@code
 * try (Scope step = Scope.open()) {
 *     Tensor loss = model.loss(batch);
 *     Tape.backward(loss);
 *     optimizer.step();
 * } // every activation and temporary of the step is freed here
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final ArrayList<Tensor> owned = new ArrayList<>();
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private Scope() {}

    public static Scope open() {
        Scope s = new Scope();
        OPEN.get().push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static Scope current() {
        return OPEN.get().peek();
    }

    void adopt(Tensor t) {
        owned.add(t);
    }

    /** Moves {@code t} out of this scope: it outlives it and the caller closes it. */
    public Tensor detach(Tensor t) {
        owned.remove(t);
        return t;
    }

    /**
     * Takes {@code t} from the innermost open scope of this thread, if it owns it: the caller closes it.
     * For long-lived state created lazily, perhaps while some step's scope happens to be open.
     */
    public static Tensor unowned(Tensor t) {
        Scope s = current();
        if (s != null) s.detach(t);
        return t;
    }

    /** Moves {@code t} to the enclosing scope (or to the caller when there is none). */
    public Tensor keep(Tensor t) {
        detach(t);
        ArrayDeque<Scope> open = OPEN.get();
        for (Scope s : open) {
            if (s != this) {
                s.adopt(t);
                break;
            }
        }
        return t;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread) throw new IllegalStateException("Scope closed on another thread");
        closed = true;
        ArrayDeque<Scope> open = OPEN.get();
        if (open.peek() != this) throw new IllegalStateException("Scopes must close innermost first");
        open.pop();
        Tape.onScopeClose(this);
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
        owned.clear();
    }
}
