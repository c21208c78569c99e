package io.microgpt.cli;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes consistent weights-only checkpoints byte by byte, as a hostile file would be made: any shape, any
 * metadata value, any tensor name or extra header field; the weights are F32 zeros (a model that never prefers
 * BOS, so sampling runs to the block size).
 */
final class ForgedCheckpoint {
    final Map<String, String> metadata = new LinkedHashMap<>();
    private final ModelConfig config;
    private String renamedTensor;
    private String extraField = "";

    ForgedCheckpoint(String vocab, int nEmbd, int nHead, int nLayer, int blockSize) {
        this.config = new ModelConfig(vocab.codePointCount(0, vocab.length()) + 1, nEmbd, nHead, nLayer, blockSize, 0.08);
        metadata.put("format", "microgpt");
        metadata.put("format_version", "1");
        metadata.put("backend", "scalar");
        metadata.put("vocab", vocab);
        metadata.put("vocab_size", Integer.toString(config.vocabSize()));
        metadata.put("n_embd", Integer.toString(nEmbd));
        metadata.put("n_head", Integer.toString(nHead));
        metadata.put("n_layer", Integer.toString(nLayer));
        metadata.put("block_size", Integer.toString(blockSize));
        metadata.put("init_std", "0.08");
        metadata.put("steps_done", "1");
        metadata.put("steps", "1");
        metadata.put("batch_size", "1");
        metadata.put("learning_rate", "0.01");
        metadata.put("beta1", "0.85");
        metadata.put("beta2", "0.99");
        metadata.put("eps", "1.0E-8");
        metadata.put("seed", "42");
        metadata.put("validation_fraction", "0.0");
        metadata.put("dataset", "bundled names");
        metadata.put("dataset_documents", "32033");
        metadata.put("dataset_sha256", "0".repeat(64));
    }

    /** Gives the first tensor ({@code wte}) another name. */
    ForgedCheckpoint renameFirstTensor(String name) {
        renamedTensor = name;
        return this;
    }

    /** Adds a field of this name to the first tensor's header entry. */
    ForgedCheckpoint extraField(String name) {
        extraField = "," + quote(name) + ":1";
        return this;
    }

    Path write(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{");
        String sep = "";
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            json.append(sep).append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            sep = ",";
        }
        json.append('}');
        long offset = 0;
        boolean first = true;
        for (TensorSpec t : new ParameterLayout(config).tensors()) {
            long bytes = 4L * t.rows() * t.cols();
            String name = first && renamedTensor != null ? renamedTensor : t.name();
            json.append(',').append(quote(name)).append(":{\"dtype\":\"F32\",\"shape\":[").append(t.rows()).append(',')
                    .append(t.cols()).append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append(']')
                    .append(first ? extraField : "").append('}');
            offset += bytes;
            first = false;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            byte[] zeros = new byte[1 << 16];
            for (long left = offset; left > 0; left -= zeros.length) out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
        return file;
    }

    /** Replaces one metadata value of a real checkpoint file, as an editor of the header would. */
    static void rewriteMetadata(Path file, String key, String value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, length, StandardCharsets.UTF_8).stripTrailing();
        String field = quote(key) + ":\"";
        int start = header.indexOf(field);
        if (start < 0) throw new IllegalArgumentException("no metadata " + key);
        int end = header.indexOf('"', start + field.length());
        String edited = header.substring(0, start) + quote(key) + ":" + quote(value) + header.substring(end + 1);
        byte[] raw = edited.getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(raw);
            for (int i = raw.length; i < padded; i++) out.write(' ');
            out.write(bytes, 8 + length, bytes.length - 8 - length);
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
