package sonogate.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each {@link CudaKernel#signature()} is the parameter list of the kernel in the CUDA sources, so
 * the GPU launcher (which checks every launch against the signature) passes each argument with
 * the C type and size the kernel reads. A mismatch here would be silent garbage on a GPU.
 */
class KernelSignatureTest {
    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void ([A-Za-z0-9_]+)\\(([^)]*)\\)", Pattern.DOTALL);
    /** By-value structs and their sizes in bytes (KernelStructs packs them; host_harness checks sizeof). */
    private static final Map<String, String> STRUCTS = Map.of("sg_dims4", "s32", "sg_conv", "s40", "sg_layout", "s200");

    static String code(String param) {
        String p = param.trim().replaceAll("\\s+", " ");
        if (p.contains("*")) return "p";
        String type = p.substring(0, p.lastIndexOf(' ')).replace("const ", "").trim();
        return switch (type) {
            case "int" -> "i";
            case "sg_index", "long long" -> "l";
            case "float" -> "f";
            case "double" -> "d";
            default -> {
                String s = STRUCTS.get(type);
                if (s == null) throw new IllegalArgumentException("unknown kernel parameter type '" + type + "' in '" + param + "'");
                yield s;
            }
        };
    }

    @Test
    void signaturesMatchTheSources() throws Exception {
        Map<String, String[]> fromSource = new HashMap<>();
        try (Stream<Path> files = Files.list(CudaTools.cudaSources())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cuh")).toList()) {
                Matcher m = KERNEL.matcher(Files.readString(f));
                while (m.find()) {
                    List<String> codes = new ArrayList<>();
                    for (String param : m.group(2).split(",")) codes.add(code(param));
                    fromSource.put(m.group(1), codes.toArray(String[]::new));
                }
            }
        }
        assertEquals(CudaKernel.values().length, fromSource.size(), "kernels in the sources");
        for (CudaKernel k : CudaKernel.values()) {
            assertTrue(fromSource.containsKey(k.symbol()), k.symbol() + " not in the sources");
            assertEquals(Arrays.asList(fromSource.get(k.symbol())), Arrays.asList(k.signature()), "signature of " + k.symbol());
        }
    }

    @Test
    void structPackingHasTheDeclaredSizes() {
        assertEquals(32, KernelStructs.dims4(new long[] {1, 2}, 1).length);
        assertEquals(40, KernelStructs.conv(new sonogate.kernels.ConvGeometry(1, 1, 3, 3, 1, 3, 1, 1, 1)).length);
        assertEquals(200, KernelStructs.layout(new long[] {2}, new long[] {1}, new long[] {1}).length);
    }
}
