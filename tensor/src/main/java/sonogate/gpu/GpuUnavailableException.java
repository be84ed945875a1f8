package sonogate.gpu;

/**
 * The GPU cannot be used here; the message is one line saying why (no driver, no device, a missing
 * library), fit to print as is: {@code sonogate: no GPU: <message>}.
 */
public final class GpuUnavailableException extends RuntimeException {
    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
