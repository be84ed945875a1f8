package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder();
        JsonText.string(b, s);
        return b.toString();
    }

    @Test
    void stringsEscapeQuotesBackslashesAndEveryControlCharacter() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\rf\"", quoted("a\"b\\c\nd\te\rf"));
        assertEquals("\"\\u0000\\u001f é\"", quoted("\u0000\u001f é"));
        for (char c = 0; c < 0x20; c++) {
            String q = quoted("x" + c);
            assertTrue(q.chars().noneMatch(ch -> ch < 0x20), "raw control character " + (int) c + " in " + q);
        }
    }

    @Test
    void numbersKeepSixSignificantDigitsAsPlainJson() {
        assertEquals("3", JsonText.sixDigits(3.0));
        assertEquals("-12", JsonText.sixDigits(-12.0));
        assertEquals("0.25", JsonText.sixDigits(0.25));
        assertEquals("3.14159", JsonText.sixDigits(Math.PI));
        assertEquals("1.0E-5", JsonText.sixDigits(1.0000004e-5));
        assertEquals("1.23457E20", JsonText.sixDigits(1.234567e20));
        assertEquals("null", JsonText.sixDigits(Double.NaN));
        assertEquals("null", JsonText.sixDigits(Double.NEGATIVE_INFINITY));
    }
}
