package sonogate.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A PyTorch peer process and the Java end of its line protocol ({@code scripts/reference/line_protocol.py}):
 * one request line, one reply line; {@code error MESSAGE} replies become {@link IOException}s.
 */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final String name;
    private final BufferedWriter in;
    private final BufferedReader out;

    /** {@code name} says which worker in error messages (e.g. the interpreter it runs on). */
    PeerProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends one request line, returns the reply without its leading word {@code expect}. */
    String call(String request, String expect) throws IOException {
        in.write(request);
        in.write('\n');
        in.flush();
        String reply = out.readLine();
        if (reply == null) throw new IOException(name + " exited (request '" + request + "')");
        if (reply.startsWith("error ")) throw new IOException(name + ": " + reply.substring(6) + " (request '" + request + "')");
        if (!(reply.equals(expect) || reply.startsWith(expect + " "))) {
            throw new IOException(name + ": unexpected reply '" + reply + "' to '" + request + "'");
        }
        return reply.substring(expect.length()).trim();
    }

    /** Asks the worker to quit; kills it when it has not gone after 10 s. */
    @Override
    public void close() {
        try {
            call("quit", "bye");
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
