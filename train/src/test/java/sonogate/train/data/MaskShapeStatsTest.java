package sonogate.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskShapeStatsTest {
    @Test
    void countsInteriorPixelsByHand() {
        // a 3 x 3 block in a 5 x 5 frame: one interior pixel of nine
        float[] m = new float[25];
        for (int y = 1; y <= 3; y++) for (int x = 1; x <= 3; x++) m[y * 5 + x] = 1;
        MaskShapeStats s = MaskShapeStats.of(m, 5, 5);
        assertEquals(9 / 25.0, s.coverage(), 1e-12);
        assertEquals(1 / 9.0, s.solidity(), 1e-12);
        // the whole frame: only the pixels off the edge are interior
        java.util.Arrays.fill(m, 1);
        assertEquals(9 / 25.0, MaskShapeStats.of(m, 5, 5).solidity(), 1e-12);
        assertTrue(Double.isNaN(MaskShapeStats.of(new float[25], 5, 5).solidity()));
    }

    @Test
    void aDiscIsSolidAndALineIsNot() {
        int s = 101;
        float[] disc = new float[s * s], line = new float[s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                if (Math.hypot(x - 50, y - 50) <= 40) disc[y * s + x] = 1;
                if (y == 50 || y == 51) line[y * s + x] = 1;
            }
        }
        double r = 40;
        assertEquals(1 - 2 / r, MaskShapeStats.of(disc, s, s).solidity(), 0.01); // boundary ~ 2 pi r of pi r^2 pixels
        assertEquals(0, MaskShapeStats.of(line, s, s).solidity(), 0);
    }
}
