package sonogate.bench;

/**
 * {@code sonogate bench jmh [JMH args]}: JMH's own command line over the benchmarks in
 * {@code sonogate.bench.jmh} (the shaded jar carries META-INF/BenchmarkList). Examples:
 * {@code -l} lists them, {@code -h} shows JMH's options, {@code SgemmBench -p shape=base.h4 -f 1 -wi 3 -i 5}
 * runs one shape. Forked JVMs inherit this JVM's arguments, so {@code SONOGATE_JVM_OPTS=-Dsonogate.threads=1}
 * reaches the kernels too.
 */
public final class JmhMain {
    private JmhMain() {}

    public static final String USAGE = """
            usage: sonogate bench jmh [JMH options] [benchmark regexp...]
              Runs the JMH benchmarks (SgemmBench, Conv2dBench, GatingBench) with JMH's own options:
              -l lists them, -lp lists them with their parameters, -h shows every JMH option.
              e.g. sonogate bench jmh SgemmBench -p shape=base.h4 -p impl=sonogate,openblas -f 1 -wi 3 -i 5""";

    /** Runs JMH; JMH exits the JVM itself on errors. Returns 0. */
    public static int run(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
        return 0;
    }
}
