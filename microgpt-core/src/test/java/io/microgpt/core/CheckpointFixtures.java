package io.microgpt.core;

import io.microgpt.core.data.DataSource;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** Small checkpoints and byte-level surgery on their files, for the checkpoint tests. */
final class CheckpointFixtures {
    /** vocabulary "abcd" + BOS, n_embd 4, 2 heads, 1 layer, block 4: 9 tensors, 224 weights. */
    static final ModelConfig CONFIG = new ModelConfig(5, 4, 2, 1, 4, 0.08);

    private CheckpointFixtures() {
    }

    /** A checkpoint with random weights and, optionally, random moments (v &gt;= 0) and a used random state. */
    static Checkpoint checkpoint(boolean withTrainingState) {
        PyRandom r = new PyRandom(7);
        Parameters p = Parameters.initialize(CONFIG, r);
        Checkpoint.TrainingState state = null;
        if (withTrainingState) {
            double[] m = new double[p.size()];
            double[] v = new double[p.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = r.gauss(0, 1e-3);
                v[i] = Math.abs(r.gauss(0, 1e-5));
            }
            r.gauss(0, 1); // leaves a cached Gaussian in the state
            state = new Checkpoint.TrainingState(new OptimizerState(m, v), r.state());
        }
        return new Checkpoint(CharTokenizer.ofSymbols("abcd"), new TrainingConfig(10, 2, 0.01, 0.85, 0.99, 1e-8, 42), 0.0, 3,
                new DataSource("test data", 4, "00".repeat(32)), "scalar", p, state, List.of(), new RunHistory(4));
    }

    /** The header text of a file (without its padding). */
    static String header(byte[] file) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(file, 8, (int) n, StandardCharsets.UTF_8).stripTrailing();
    }

    /** The file with its header text edited (length rewritten, padding redone), data unchanged. */
    static byte[] editHeader(byte[] file, UnaryOperator<String> edit) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String edited = edit.apply(header(file));
        byte[] json = edited.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] data = Arrays.copyOfRange(file, 8 + (int) n, file.length);
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        out.put(data);
        return out.array();
    }

    /** File offset of the first data byte. */
    static int dataStart(byte[] file) {
        return 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** A read-only channel over bytes in memory. */
    static final class BytesChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        BytesChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) throw new ClosedChannelException();
            if (position >= bytes.length) return -1;
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
