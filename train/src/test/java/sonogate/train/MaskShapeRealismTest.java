package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import sonogate.io.ClipReader;
import sonogate.io.ClipReaders;
import sonogate.io.Frame;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.train.data.CfdMaskConfig;
import sonogate.train.data.CfdMaskGenerator;
import sonogate.train.data.MaskShapeStats;

/**
 * The synthetic colour-flow masks against the real colour flow of ../shared/data/ultrasound/cfd
 * (every frame of the four files: the colour estimate of {@link ColourMask}, letterboxed like the
 * training frames, a pixel a hole when more than half of it is colour): the median solidity of
 * the default masks lies within 0.08 of the real median at the tiny and small frame sizes, and
 * closer to it than that of the former defaults ({@link CfdMaskConfig#solidShapes()}, 0.09-0.13
 * above it).
 */
class MaskShapeRealismTest {
    static final int SYNTHETIC = 300;

    @Test
    void syntheticMasksAreAsThinAndHoledAsRealColourFlow() throws Exception {
        Path root = TrainFixtures.realData();
        assumeTrue(root != null && Files.isDirectory(root.resolve("cfd")), "SKIPPED: no shared/data/ultrasound/cfd");
        List<Path> files;
        try (var s = Files.list(root.resolve("cfd"))) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
        for (int size : new int[] {64, 128}) {
            List<Double> real = new ArrayList<>(), realCoverage = new ArrayList<>();
            for (Path f : files) {
                try (ClipReader r = ClipReaders.open(f)) {
                    ColourMask cm = ColourMask.forClip(r, MaskSettings.defaults());
                    for (int k = 0; k < r.info().frameCount(); k++) {
                        Frame fr = r.readFrame(k);
                        byte[] colour = cm.apply(fr).colour();
                        float[] g = new float[colour.length];
                        for (int i = 0; i < g.length; i++) g[i] = colour[i];
                        float[] fitted = FrameDataset.fit(g, fr.width(), fr.height(), size);
                        float[] m = new float[fitted.length];
                        for (int i = 0; i < m.length; i++) m[i] = fitted[i] > 0 ? 1 : 0;
                        MaskShapeStats st = MaskShapeStats.of(m, size, size);
                        if (!Double.isNaN(st.solidity())) {
                            real.add(st.solidity());
                            realCoverage.add(st.coverage());
                        }
                    }
                }
            }
            assumeTrue(real.size() >= 4, "SKIPPED: fewer than 4 real colour frames");
            double realMedian = median(real);
            double[] now = synthetic(CfdMaskConfig.defaults(), size), before = synthetic(CfdMaskConfig.solidShapes(), size);
            System.out.printf(Locale.ROOT, "%d x %d: real colour flow (%d frames) solidity median %.3f (%.3f-%.3f), coverage %.3f-%.3f of the frame; "
                            + "synthetic solidity median %.3f (p10 %.3f, p90 %.3f), coverage median %.3f; former defaults %.3f (p10 %.3f, p90 %.3f), coverage %.3f%n",
                    size, size, real.size(), realMedian, Collections.min(real), Collections.max(real), Collections.min(realCoverage), Collections.max(realCoverage),
                    now[0], now[1], now[2], now[3], before[0], before[1], before[2], before[3]);
            assertTrue(Math.abs(now[0] - realMedian) <= 0.08, size + ": synthetic solidity median " + now[0] + " vs real " + realMedian);
            assertTrue(Math.abs(now[0] - realMedian) < Math.abs(before[0] - realMedian),
                    size + ": closer to the real solidity " + realMedian + " than the former defaults' " + before[0] + ": " + now[0]);
        }
    }

    /** Median, 10th and 90th percentile of the solidity and the median coverage of {@link #SYNTHETIC} masks (fixed seed). */
    private static double[] synthetic(CfdMaskConfig config, int size) {
        CfdMaskGenerator g = new CfdMaskGenerator(config);
        Rng rng = new Rng(5);
        List<Double> sol = new ArrayList<>(), cov = new ArrayList<>();
        for (int i = 0; i < SYNTHETIC; i++) {
            MaskShapeStats s = MaskShapeStats.of(g.generate(rng, 1, size, size).masks()[0], size, size);
            sol.add(s.solidity());
            cov.add(s.coverage());
        }
        Collections.sort(sol);
        return new double[] {median(sol), sol.get(SYNTHETIC / 10), sol.get(SYNTHETIC * 9 / 10), median(cov)};
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
