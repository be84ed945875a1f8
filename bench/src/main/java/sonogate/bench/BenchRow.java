package sonogate.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One result of {@code bench kernels}: our rate and the peer's in {@code unit} (GFLOP/s or GB/s,
 * higher is better), {@code ratio = ours / peer}. A side that could not run is NaN (null in JSON).
 * {@code extra} holds optional fields (shape, timings, a second peer) written after the required ones.
 */
public record BenchRow(String name, double ours, double peer, String peerName, String unit, Map<String, Object> extra) {
    public BenchRow {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public double ratio() {
        return ours / peer;
    }

    public String shape() {
        Object s = extra.get("shape");
        return s == null ? "" : s.toString();
    }
}
