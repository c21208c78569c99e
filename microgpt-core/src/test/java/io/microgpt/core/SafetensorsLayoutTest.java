package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes of a written checkpoint against the safetensors specification, parsed by hand (not by our reader). */
class SafetensorsLayoutTest {
    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"(F32|F64)\",\"shape\":\\[(\\d+),(\\d+)\\],\"data_offsets\":\\[(\\d+),(\\d+)\\]\\}");

    @TempDir
    Path dir;

    @Test
    void f64FileFollowsTheSpecification() throws Exception {
        checkLayout(DType.F64);
    }

    @Test
    void f32FileFollowsTheSpecification() throws Exception {
        checkLayout(DType.F32);
    }

    private void checkLayout(DType dtype) throws Exception {
        Checkpoint c = CheckpointFixtures.checkpoint(true);
        Path file = dir.resolve("m.safetensors");
        c.write(file, dtype);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        long n = le.getLong(0);
        assertTrue(n > 0 && 8 + n <= bytes.length, "header length " + n + " within the file of " + bytes.length);
        assertEquals(0, (8 + n) % 8, "data starts at a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"microgpt\",\"format_version\":\"1\","), header);
        int close = header.lastIndexOf('}');
        assertTrue(header.substring(close + 1).chars().allMatch(ch -> ch == ' '), "only spaces pad the header");
        assertTrue(header.length() - close - 1 < 8, "padding is less than 8 bytes");

        List<String> expectedNames = new ArrayList<>();
        for (TensorSpec t : c.parameters().layout().tensors()) expectedNames.add(t.name());
        for (TensorSpec t : c.parameters().layout().tensors()) expectedNames.add("adam.m." + t.name());
        for (TensorSpec t : c.parameters().layout().tensors()) expectedNames.add("adam.v." + t.name());
        Matcher m = ENTRY.matcher(header);
        long expectedBegin = 0;
        int dataStart = 8 + (int) n;
        for (String name : expectedNames) {
            assertTrue(m.find(), "entry for " + name);
            assertEquals(name, m.group(1));
            assertEquals(dtype.name(), m.group(2));
            String base = name.replaceFirst("^adam\\.[mv]\\.", "");
            TensorSpec spec = c.parameters().layout().tensor(base);
            assertEquals(spec.rows(), Integer.parseInt(m.group(3)), name + " rows");
            assertEquals(spec.cols(), Integer.parseInt(m.group(4)), name + " cols");
            long begin = Long.parseLong(m.group(5));
            long end = Long.parseLong(m.group(6));
            assertEquals(expectedBegin, begin, name + " starts where the previous tensor ended");
            assertEquals((long) spec.size() * dtype.bytes(), end - begin, name + " byte length");
            double[] source = name.startsWith("adam.m.") ? c.trainingState().orElseThrow().optimizer().firstMoment()
                    : name.startsWith("adam.v.") ? c.trainingState().orElseThrow().optimizer().secondMoment()
                    : c.parameters().data();
            for (int i = 0; i < spec.size(); i++) {
                int at = dataStart + (int) begin + i * dtype.bytes();
                double expected = source[spec.offset() + i];
                if (dtype == DType.F64) {
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(le.getDouble(at)), name + "[" + i + "]");
                } else {
                    assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits(le.getFloat(at)), name + "[" + i + "]");
                }
            }
            expectedBegin = end;
        }
        assertTrue(!m.find(), "no further tensors");
        assertEquals(bytes.length - dataStart, expectedBegin, "the tensors cover the data exactly");
    }
}
