package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import sonogate.bench.jmh.Conv2dBench;
import sonogate.bench.jmh.GatingBench;
import sonogate.bench.jmh.SgemmBench;
import sonogate.kernels.ConvGeometry;

class ModelShapesTest {

    @Test
    void baseLayersFollowTheSpecTables() {
        assertEquals("[1,3,256,256] -> 48 k5 s1 p2 d1", geo("base", "in5").toString());
        assertEquals("[1,24,256,256] -> 96 k3 s2 p1 d1", geo("base", "down1").toString());
        assertEquals("[1,48,128,128] -> 192 k3 s2 p1 d1", geo("base", "down2").toString());
        assertEquals("[1,96,64,64] -> 192 k3 s1 p8 d8", geo("base", "h4d8").toString());
        assertEquals("[1,48,256,256] -> 48 k3 s1 p1 d1", geo("base", "up1").toString());
        assertEquals("[1,6,128,128] -> 1 k3 s1 p1 d1", geo("small", "out").toString());
        assertEquals(128, geo("base", "down1").outH());
        assertEquals(32, geo("base", "down2").outH() / 2);
    }

    @Test
    void everyLayerIsSameSizedAndItsGemmIsTheIm2colGemm() {
        for (ModelShapes.Config cfg : ModelShapes.CONFIGS) {
            for (int batch : ModelShapes.BATCHES) {
                List<ModelShapes.Layer> layers = ModelShapes.layers(cfg, batch);
                assertEquals(ModelShapes.LAYER_NAMES, layers.stream().map(ModelShapes.Layer::name).toList());
                for (ModelShapes.Layer l : layers) {
                    ConvGeometry g = l.geometry();
                    assertEquals(g.inH() / g.stride(), g.outH(), l.id());
                    ModelShapes.Gemm gemm = l.gemm();
                    assertEquals(g.outChannels(), gemm.m());
                    assertEquals(g.inChannels() * g.kernel() * g.kernel(), gemm.k());
                    assertEquals(g.outH() * g.outW(), gemm.n());
                    assertEquals(g.flops(), gemm.flops() * batch, 1e-3);
                }
            }
        }
    }

    @Test
    void jmhParametersMatchTheSharedLists() throws Exception {
        assertEquals(ModelShapes.allGemms().stream().map(ModelShapes.Gemm::name).toList(),
                params(SgemmBench.class, "shape"));
        assertEquals(ModelShapes.LAYER_NAMES, params(Conv2dBench.class, "layer"));
        assertEquals(ModelShapes.CONFIGS.stream().map(ModelShapes.Config::name).toList(), params(Conv2dBench.class, "config"));
        assertEquals(ModelShapes.BATCHES.stream().map(String::valueOf).toList(), params(Conv2dBench.class, "batch"));
        for (String layer : params(GatingBench.class, "layer")) {
            for (ModelShapes.Config cfg : ModelShapes.CONFIGS) {
                assertTrue(ModelShapes.gates(cfg, 1).stream().anyMatch(g -> g.name().equals(cfg.name() + "." + layer + ".b1")),
                        layer);
            }
        }
    }

    @Test
    void gemmNamesAreUniqueAndIncludeCpuNotes() {
        List<String> names = ModelShapes.allGemms().stream().map(ModelShapes.Gemm::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size());
        assertTrue(names.contains("notes.384x1728x4096"));
        assertEquals("384x1728x4096", ModelShapes.gemm("notes.384x1728x4096").shape());
    }

    private static ConvGeometry geo(String config, String layer) {
        return ModelShapes.layer(config, layer, 1).geometry();
    }

    private static List<String> params(Class<?> bench, String field) throws NoSuchFieldException {
        return Arrays.asList(bench.getField(field).getAnnotation(Param.class).value());
    }
}
