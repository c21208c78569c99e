package io.microgpt.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final Json.Rules FULL = Json.Rules.full("f.json", 4);

    @Test
    void readsEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                "{\"s\": \"a\\u00e9\\n\\\"\", \"i\": -12, \"d\": 2.5e-3, \"t\": true, \"f\": false, \"n\": null,"
                        + " \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}}", FULL);
        assertEquals("a\u00e9\n\"", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(2.5e-3, m.get("d"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("n") && m.get("n") == null);
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(List.of("s", "i", "d", "t", "f", "n", "a", "o"), List.copyOf(m.keySet()), "file order");
    }

    @Test
    void rulesNarrowWhatIsAccepted() {
        Json.Rules header = new Json.Rules("header", 2, false, false);
        refused("{\"a\": 1.5}", header, "header is not valid JSON: only whole numbers belong here at character 6");
        refused("{\"a\": null}", header, "header is not valid JSON: null does not belong here at character 6");
        refused("{\"a\": {\"b\": []}}", header, "header is not valid JSON: nesting deeper than 2 levels at character 12");
    }

    @Test
    void mistakesNameThePlace() {
        refused("{\"a\": 1,}", FULL, "f.json is not valid JSON: expected a string key at character 8");
        refused("{\n  \"a\": 1,\n  \"a\": 2\n}", FULL, "f.json is not valid JSON: duplicate key 'a' at line 3, column 3");
        refused("{\"a\": 01}", FULL, "f.json is not valid JSON: leading zero in a number at character 6");
        refused("{\"a\": \"\\ud800\"}", FULL, "f.json is not valid JSON: string holds an unpaired surrogate \\ud800 at character 14");
        refused("{\"a\": 1} x", FULL, "f.json is not valid JSON: unexpected text after the closing '}' at character 9");
        refused("{\"a\": 1.}", FULL, "f.json is not valid JSON: expected a digit after '.' at character 8");
        refused("{\"a\": tru}", FULL, "f.json is not valid JSON: expected a value at character 6");
        refused("{\"a\": 99999999999999999999}", FULL, "f.json is not valid JSON: number too large at character 6");
    }

    @Test
    void prettyTextIsSerdeJsonsLayout() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("none", null);
        root.put("list", List.of(List.of("a", "b"), 3));
        root.put("empty", List.of());
        root.put("object", new LinkedHashMap<>(Map.of("k", true)));
        root.put("nothing", Map.of());
        String expected = String.join("\n",
                "{",
                "  \"version\": \"1.0\",",
                "  \"none\": null,",
                "  \"list\": [",
                "    [",
                "      \"a\",",
                "      \"b\"",
                "    ],",
                "    3",
                "  ],",
                "  \"empty\": [],",
                "  \"object\": {",
                "    \"k\": true",
                "  },",
                "  \"nothing\": {}",
                "}");
        assertEquals(expected, PrettyJson.write(root));
        assertEquals(expected, PrettyJson.write(Json.parseObject(expected, FULL)), "read and written back");
    }

    @Test
    void quotingEscapesWhatJsonNeedsAndNothingElse() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\u007f\u00e9\uD83D\uDE00\"",
                Json.quote("a\"b\\c\n\t\r\b\f\u0001\u007f\u00e9\uD83D\uDE00"));
        String tricky = "x\u0000y\u001f\"\\/";
        assertEquals(tricky, Json.parseObject("{\"k\": " + Json.quote(tricky) + "}", FULL).get("k"));
    }

    private static void refused(String text, Json.Rules rules, String message) {
        MicrogptException e = assertThrows(MicrogptException.class, () -> Json.parseObject(text, rules));
        assertEquals(message, e.getMessage(), Arrays.toString(text.toCharArray()));
    }
}
