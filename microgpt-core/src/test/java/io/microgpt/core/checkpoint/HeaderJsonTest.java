package io.microgpt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The safetensors header's JSON: {@link Json} under {@link SafetensorsFile#HEADER_JSON}. */
class HeaderJsonTest {

    @Test
    void parsesTheShapeOfASafetensorsHeader() {
        Map<String, Object> root = Json.parseObject(
                " {\"__metadata__\": {\"k\": \"v \\\"q\\\" \\u00e9\\n\"},\n \"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}  ", SafetensorsFile.HEADER_JSON);
        assertEquals(Map.of("k", "v \"q\" \u00e9\n"), root.get("__metadata__"));
        @SuppressWarnings("unchecked")
        Map<String, Object> w = (Map<String, Object>) root.get("w");
        assertEquals("F32", w.get("dtype"));
        assertEquals(List.of(2L, 3L), w.get("shape"));
        assertEquals(List.of(0L, 24L), w.get("data_offsets"));
        assertEquals(List.of("__metadata__", "w"), List.copyOf(root.keySet()), "keys keep file order");
    }

    @Test
    void quoteRoundTripsAnyText() {
        String text = "a\"b\\c\n\t\u0001\u007f é 中 😀 /";
        Map<String, Object> root = Json.parseObject("{" + Json.quote("k") + ":" + Json.quote(text) + "}",
                SafetensorsFile.HEADER_JSON);
        assertEquals(text, root.get("k"));
    }

    @Test
    void rejectsEverythingOutsideTheStrictSubset() {
        String[] bad = {
            "", "   ", "[]", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "{\"a\":1}x",
            "{\"a\":1}{}", "{'a':1}", "{a:1}", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":true}", "{\"a\":null}", "{\"a\":01}",
            "{\"a\":-}", "{\"a\":99999999999999999999}", "{\"a\":\"x}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\ud800\"}", "{\"a\":\"tab\there\"}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":{\"c\":[1]}}}",
            "{\"a\":[1,]}", "{\"a\":[1 2]}",
        };
        for (String text : bad) {
            MicrogptException e = assertThrows(MicrogptException.class, () -> Json.parseObject(text, SafetensorsFile.HEADER_JSON), text);
            assertTrue(e.getMessage().startsWith("header is not valid JSON: "), e.getMessage());
        }
    }

    @Test
    void errorsSayWhere() {
        MicrogptException e = assertThrows(MicrogptException.class, () -> Json.parseObject("{\"a\":1,\"a\":2}",
                SafetensorsFile.HEADER_JSON));
        assertEquals("header is not valid JSON: duplicate key 'a' at character 7", e.getMessage());
    }
}
