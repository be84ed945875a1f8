package sonogate.cli;

/** Entry point of the sonogate command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("sonogate: no commands yet");
        System.exit(2);
    }
}
