package org.soapstone.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.soapstone.engine.testing.AseScript;

/** {@link Json} against Python's {@code json} module, both ways, and its errors. */
class JsonTest {
    private static final double[] EDGE = {0.1, -0.0, 5e-324, Double.MAX_VALUE, 1e-300, 123456789.123456789, -2.5,
        1.0 / 3};

    private static Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("text", "Å \"quoted\" back\\slash\ttab\nnewline \u0001 é");
        doc.put("reals", Arrays.stream(EDGE).boxed().toList());
        doc.put("integers", List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE));
        doc.put("flags", List.of(true, false));
        doc.put("nothing", null);
        doc.put("nested", List.of(Map.of("a", 1L), List.of(), new LinkedHashMap<>()));
        return doc;
    }

    @Test
    void pythonReadsWhatJavaWritesExactlyAndJavaReadsItsReply() {
        String json = Json.format(document());
        assertEquals(document(), Json.parse(json), "own round trip");
        String reply = AseScript.run("""
                import json, sys
                d = json.loads(sys.argv[1])
                reals = [float(x) for x in sys.argv[2].split(',')]
                assert d['reals'] == reals, (d['reals'], reals)
                assert [repr(x) for x in d['reals']] == [repr(x) for x in reals]
                assert d['integers'] == [0, -1, 2**63 - 1, -2**63]
                assert d['text'] == 'Å "quoted" back\\\\slash\\ttab\\nnewline \\x01 é', repr(d['text'])
                assert d['nothing'] is None and d['flags'] == [True, False]
                assert d['nested'] == [{'a': 1}, [], {}]
                d['extra'] = [float('nan'), float('inf'), -float('inf'), 2**70]
                print(json.dumps(d))
                """, json, String.join(",", Arrays.stream(EDGE).mapToObj(Double::toString).toList()));
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(reply);
        List<?> extra = (List<?>) back.remove("extra");
        assertEquals(document(), back, "Python's json.dumps read back");
        assertTrue(Double.isNaN((Double) extra.get(0)));
        assertEquals(List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0x1p70), extra.subList(1, 4));
    }

    @Test
    void errorsGiveLineAndColumn() {
        assertMessage("{\"a\": 1,\n  \"b\" 2}", "line 2, column 7: ':' expected");
        assertMessage("{\"a\": 1, \"a\": 2}", "duplicate key \"a\"");
        assertMessage("[1, 2] x", "line 1, column 8: unexpected text after the value");
        assertMessage("[1, 01]", "'01' is not a JSON value");
        assertMessage("{\"a\": tru}", "'tru' is not a JSON value");
        assertMessage("[\"open", "unexpected end of text");
        assertMessage("", "unexpected end of text");
    }

    @Test
    void writerRefusesWhatJsonCannotHold() {
        List<Object> nan = new ArrayList<>();
        nan.add(Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> Json.format(nan));
        assertThrows(IllegalArgumentException.class, () -> Json.format(List.of(new Object())));
    }

    private static void assertMessage(String text, String part) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }
}
