package sonogate.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sonogate.tensor.Device;

/** Parameter and FLOP counts equal MODEL.md's table (counted there by an independent implementation). */
class ModelSizeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tiny,          114782, 46063,  68719,   163755, 0.103, 0.011",
        "tiny-noattn,    87782, 46063,  41719,   163755, 0.080, 0.011",
        "small,        1016534, 408619, 607915, 1487008, 3.37,  0.29",
        "small-noattn,  778286, 408619, 369667, 1487008, 2.63,  0.29",
        "base,         4049642, 1628533, 2421109, 5943616, 55.1, 4.56",
        "base-noattn,  3101402, 1628533, 1472869, 5943616, 41.1, 4.56",
    })
    void matchesTheSpecTable(String config, long generator, long coarse, long refine, long discriminator, String genGflop, String discGflop) {
        ModelConfig cfg = ModelConfig.named(config);
        try (Translator t = new Translator(cfg, Device.CPU, 1)) {
            ParameterStore p = t.parameters();
            assertEquals(coarse, p.count("coarse."), "coarse parameters");
            assertEquals(refine, p.count("refine."), "refinement parameters");
            assertEquals(generator, p.count("coarse.") + p.count("refine."), "generator parameters");
            assertEquals(discriminator, p.count("disc."), "discriminator parameters");
            assertEquals(p.parameterCount(), generator + discriminator);
            assertEquals(generator, t.generatorParameterCount());
            for (ParameterStore.Entry e : p.parameters().values()) {
                boolean inGenerator = e.offset() + e.numel() <= t.generatorSlabLength();
                assertEquals(!e.name().startsWith("disc."), inGenerator, e.name() + " lies in the wrong part of the slab");
                assertEquals(0, e.offset() % ParameterStore.ALIGNMENT, e.name() + " starts at an unaligned offset");
            }
            assertTrue(p.slabLength() - p.parameterCount() < (long) p.parameters().size() * ParameterStore.ALIGNMENT, "gaps below one alignment each");
            int size = cfg.frameSize();
            assertEquals(genGflop, printedLike(genGflop, t.generator().flops(size, size) / 1e9), "generator GFLOP per frame");
            assertEquals(discGflop, printedLike(discGflop, t.discriminator().flops(size, size) / 1e9), "discriminator GFLOP");
        }
    }

    /** Our value rounded to as many decimals as the spec prints. */
    private static String printedLike(String spec, double value) {
        int decimals = spec.length() - spec.indexOf('.') - 1;
        return new java.math.BigDecimal(value).setScale(decimals, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
