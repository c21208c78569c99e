package io.microgpt.core.checkpoint;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.AtomicFile;
import io.microgpt.core.json.Json;
import io.microgpt.core.spi.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors container, read and written strictly: an unsigned 64-bit little-endian header length N,
 * N bytes of UTF-8 JSON (one object: tensor name to {@code dtype}, {@code shape}, {@code data_offsets}, plus an
 * optional {@code __metadata__} string map; padded with spaces so the data starts at a multiple of 8), then
 * the tensors' little-endian bytes, back to back, offsets counted from the end of the header.
 *
 * <p>Reading checks the structure before anything is allocated from it: the header length against the file
 * size and {@link #MAX_HEADER_BYTES}, the JSON shape, the dtypes, and that the tensors' byte ranges match
 * their shapes and tile the data exactly (no gap, no overlap, nothing past the end).
 *
 * <p>Public for {@link Checkpoint} (which shows its {@link Tensor}s) and {@link CheckpointCodec}: applications
 * read and write through {@link Checkpoint}.
 *
 * <p>Thread-safe (it keeps no state); its records are immutable.
 */
public final class SafetensorsFile {
    /** The largest header this reader accepts: far above any model a flat double buffer can hold. */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    private static final String METADATA_KEY = "__metadata__";
    /**
     * What a safetensors header holds, and nothing more: objects, arrays, strings and whole numbers, three deep
     * (header object, tensor or metadata object, shape or offsets array).
     */
    static final Json.Rules HEADER_JSON = new Json.Rules("header", 3, false, false);
    private static final int CHUNK_BYTES = 1 << 16;

    private SafetensorsFile() {
    }

    private static final List<String> OTHER_SAFETENSORS_DTYPES = List.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3",
            "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "C64");

    /** The element type a header names: F32 or F64; a {@link MicrogptException} naming {@code what} otherwise. */
    private static DType dtype(String name, String what) {
        for (DType d : DType.values()) if (d.name().equals(name)) return d;
        if (OTHER_SAFETENSORS_DTYPES.contains(name)) {
            throw new MicrogptException(what + " has dtype " + name + ", which microgpt does not read (F32 or F64 only)");
        }
        String shown = name.length() > 20 ? name.substring(0, 20) + "..." : name;
        throw new MicrogptException(what + " has unknown dtype " + Text.quote(shown) + " (microgpt reads F32 and F64)");
    }

    /**
     * One tensor as a file's header lists it.
     *
     * @param name  tensor name
     * @param dtype element type
     * @param shape dimensions
     * @param begin first byte, counted from the start of the data
     * @param end   one past the last byte
     */
    public record Tensor(String name, DType dtype, List<Long> shape, long begin, long end) {

        /** Number of elements. */
        public long elements() {
            return (end - begin) / dtype.bytes();
        }

        /** Element {@code index} (row-major) as {@code [i, j, ...]}. */
        String position(long index) {
            long[] at = new long[shape.size()];
            for (int d = shape.size() - 1; d >= 0; d--) {
                long dim = shape.get(d);
                at[d] = dim == 0 ? 0 : index % dim;
                index = dim == 0 ? 0 : index / dim;
            }
            return Arrays.toString(at);
        }
    }

    /**
     * What a header says.
     *
     * @param metadata   the {@code __metadata__} map, or null when the header has none
     * @param tensors    the tensors, sorted by data offset
     * @param dataStart  file position of the first data byte (8 + header length)
     */
    record Header(Map<String, String> metadata, List<Tensor> tensors, long dataStart) {
    }

    /** One tensor to write: {@code rows x cols} values of {@code data} from {@code offset}, stored as {@code dtype}. */
    record Source(String name, DType dtype, int rows, int cols, double[] data, int offset) {
        long bytes() {
            return (long) rows * cols * dtype.bytes();
        }
    }

    /** Reads and checks the header of a file of {@code size} bytes. */
    static Header readHeader(SeekableByteChannel channel, long size) throws IOException {
        if (size == 0) throw new MicrogptException("the file is empty (0 bytes)");
        if (size < 8) {
            throw new MicrogptException("the file is " + size + " bytes, too short for a safetensors header (an 8-byte length comes first)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, 0, lengthBytes);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 0 || headerLength > size - 8) {
            throw new MicrogptException("header length " + Long.toUnsignedString(headerLength) + " runs past the end of the "
                    + size + "-byte file (truncated, or not a safetensors file)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new MicrogptException("header length " + headerLength + " is over the " + (MAX_HEADER_BYTES >> 20)
                    + " MiB limit (not a microgpt checkpoint)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, 8, headerBytes);
        if (headerLength < 2 || headerBytes.get(0) != '{') {
            throw new MicrogptException("the header does not start with '{' (not a safetensors file)");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new MicrogptException("the header is not valid UTF-8");
        }
        Map<String, Object> root = Json.parseObject(json, HEADER_JSON);
        long dataStart = 8 + headerLength;
        return new Header(metadata(root.get(METADATA_KEY)), tensors(root, size - dataStart), dataStart);
    }

    private static Map<String, String> metadata(Object value) {
        if (value == null) return null;
        if (!(value instanceof Map<?, ?> map)) throw new MicrogptException("__metadata__ is not an object of strings");
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new MicrogptException("__metadata__ entry " + Text.quote(e.getKey()) + " is not a string");
            }
            result.put((String) e.getKey(), s);
        }
        return result;
    }

    private static List<Tensor> tensors(Map<String, Object> root, long dataLength) {
        List<Tensor> list = new ArrayList<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) continue;
            list.add(tensor(e.getKey(), e.getValue()));
        }
        list.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
        for (Tensor t : list) {
            if (t.end() > dataLength) {
                throw new MicrogptException("tensor " + Text.quote(t.name()) + " data_offsets [" + t.begin() + ", " + t.end()
                        + "] run past the end of the data (" + dataLength + " bytes): the file is truncated or its header forged");
            }
        }
        long expected = 0;
        Tensor previous = null;
        for (Tensor t : list) {
            if (t.begin() < expected) {
                throw new MicrogptException("tensors " + Text.quote(previous.name()) + " and " + Text.quote(t.name()) + " overlap in the data (bytes "
                        + t.begin() + ".." + expected + ")");
            }
            if (t.begin() > expected) {
                throw new MicrogptException("no tensor covers data bytes " + expected + ".." + t.begin() + " (a gap between tensors)");
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataLength) {
            throw new MicrogptException("the data has " + (dataLength - expected) + " bytes after the last tensor"
                    + " (the tensors must cover it exactly)");
        }
        return list;
    }

    private static Tensor tensor(String name, Object value) {
        String what = "tensor " + Text.quote(name);
        if (!(value instanceof Map<?, ?> map)) throw new MicrogptException(what + " is not an object");
        for (Object key : map.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new MicrogptException(what + " has an unknown field " + Text.quote(key));
            }
        }
        if (!(map.get("dtype") instanceof String dtypeName)) throw new MicrogptException(what + " has no dtype string");
        DType dtype = dtype(dtypeName, what);
        long[] shape = longs(map.get("shape"), what + " shape");
        long[] offsets = longs(map.get("data_offsets"), what + " data_offsets");
        if (offsets.length != 2) throw new MicrogptException(what + " data_offsets must be [begin, end], got " + offsets.length + " numbers");
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) throw new MicrogptException(what + " has a negative dimension in shape " + Arrays.toString(shape));
            if (dim != 0 && elements > Long.MAX_VALUE / 8 / dim) {
                throw new MicrogptException(what + " shape " + Arrays.toString(shape) + " is impossibly large");
            }
            elements *= dim;
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new MicrogptException(what + " data_offsets [" + begin + ", " + end + "] are not an ascending pair of non-negative numbers");
        }
        if (end - begin != elements * dtype.bytes()) {
            throw new MicrogptException(what + " has shape " + Arrays.toString(shape) + " of " + dtype + " (" + elements * dtype.bytes()
                    + " bytes) but its data_offsets span " + (end - begin) + " bytes");
        }
        List<Long> shapeList = new ArrayList<>(shape.length);
        for (long d : shape) shapeList.add(d);
        return new Tensor(name, dtype, List.copyOf(shapeList), begin, end);
    }

    private static long[] longs(Object value, String what) {
        if (!(value instanceof List<?> list)) throw new MicrogptException(what + " is missing or not an array");
        long[] result = new long[list.size()];
        for (int i = 0; i < result.length; i++) {
            if (!(list.get(i) instanceof Long l)) throw new MicrogptException(what + " holds something other than whole numbers");
            result[i] = l;
        }
        return result;
    }

    /**
     * Reads one tensor's values into {@code destination[offset..]}, widened to double; every value must be
     * finite (and, when {@code nonNegative}, not below zero).
     */
    static void readValues(SeekableByteChannel channel, Header header, Tensor tensor, double[] destination,
                           int offset, boolean nonNegative) throws IOException {
        int width = tensor.dtype().bytes();
        long count = (tensor.end() - tensor.begin()) / width;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(width, tensor.end() - tensor.begin())))
                .order(ByteOrder.LITTLE_ENDIAN);
        long position = header.dataStart() + tensor.begin();
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, chunk.capacity() / width);
            chunk.clear().limit(n * width);
            readFully(channel, position, chunk);
            position += (long) n * width;
            for (int i = 0; i < n; i++) {
                double v = width == 8 ? chunk.getDouble(i * 8) : chunk.getFloat(i * 4);
                long index = done + i;
                if (!Double.isFinite(v) || (nonNegative && v < 0)) {
                    throw new MicrogptException("tensor " + Text.quote(tensor.name()) + " holds " + v + " at " + tensor.position(index)
                            + (Double.isFinite(v) ? " where only values >= 0 make sense" : "; only finite values can be used")
                            + " (a damaged file, or a run that diverged)");
                }
                destination[offset + (int) index] = v;
            }
            done += n;
        }
    }

    private static void readFully(SeekableByteChannel channel, long position, ByteBuffer buffer) throws IOException {
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new MicrogptException("the file ended early (truncated while being read?)");
        }
    }

    /** Writes a safetensors file atomically (see {@link AtomicFile}); values must all be finite. */
    static void write(Path target, Map<String, String> metadata, List<Source> tensors) {
        for (Source s : tensors) {
            for (int i = 0; i < s.rows() * s.cols(); i++) {
                double v = s.data()[s.offset() + i];
                boolean representable = s.dtype() == DType.F64 ? Double.isFinite(v) : Float.isFinite((float) v);
                if (!representable) {
                    throw new MicrogptException("tensor " + Text.quote(s.name()) + " holds " + v + ", which is not a finite " + s.dtype()
                            + "; not saving a model that cannot be used (" + target + " is untouched)");
                }
            }
        }
        byte[] header = header(metadata, tensors);
        AtomicFile.write(target, channel -> writeTo(channel, header, tensors));
    }

    /** The header bytes, padded with spaces so that 8 + length is a multiple of 8. */
    static byte[] header(Map<String, String> metadata, List<Source> tensors) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null) {
            json.append(Json.quote(METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                json.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Source s : tensors) {
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(s.name())).append(":{\"dtype\":\"").append(s.dtype()).append("\",\"shape\":[")
                    .append(s.rows()).append(',').append(s.cols()).append("],\"data_offsets\":[")
                    .append(offset).append(',').append(offset + s.bytes()).append("]}");
            offset += s.bytes();
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(raw, padded);
        Arrays.fill(header, raw.length, padded, (byte) ' ');
        return header;
    }

    private static void writeTo(FileChannel channel, byte[] header, List<Source> tensors) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length);
        drain(channel, buffer);
        ByteBuffer headerBuffer = ByteBuffer.wrap(header);
        while (headerBuffer.hasRemaining()) channel.write(headerBuffer);
        for (Source s : tensors) {
            int count = s.rows() * s.cols();
            for (int i = 0; i < count; i++) {
                if (buffer.remaining() < 8) drain(channel, buffer);
                double v = s.data()[s.offset() + i];
                if (s.dtype() == DType.F64) buffer.putDouble(v);
                else buffer.putFloat((float) v);
            }
        }
        drain(channel, buffer);
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }
}
