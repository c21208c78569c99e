package io.microgpt.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A saved model, as a <a href="https://github.com/huggingface/safetensors">safetensors</a> file: the weights as
 * tensors named as in {@link ParameterLayout} ({@code wte}, {@code wpe}, {@code lm_head},
 * {@code layer0.attn_wq}, ...), and in {@code __metadata__} everything needed to use the file alone: the model
 * config, the vocabulary, the training settings, steps done, the dataset's identity and the backend that wrote
 * it. With training state, Adam's moments are further tensors ({@code adam.m.<name>}, {@code adam.v.<name>})
 * and the random generator's full state is in the metadata, so that {@link TrainingRun#resume} continues the
 * very same run.
 *
 * <p>{@link #read} checks everything before using it and throws a {@link MicrogptException} with a one-line
 * reason for any damaged, truncated, forged or foreign file; {@link #write} replaces its target atomically.
 */
public final class Checkpoint {
    /** The version of the metadata layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private final ModelConfig modelConfig;
    private final Tokenizer tokenizer;
    private final TrainingConfig trainingConfig;
    private final double validationFraction;
    private final int stepsDone;
    private final DataSource data;
    private final String backend;
    private final Parameters parameters;
    private final TrainingState trainingState;
    private final List<Tensor> tensors;

    Checkpoint(Tokenizer tokenizer, TrainingConfig trainingConfig, double validationFraction, int stepsDone, DataSource data,
               String backend, Parameters parameters, TrainingState trainingState, List<Tensor> tensors) {
        if (tokenizer.vocabSize() != parameters.config().vocabSize()) {
            throw new MicrogptException("the vocabulary has " + tokenizer.vocabSize() + " tokens but the model "
                    + parameters.config().vocabSize());
        }
        if (trainingState != null && trainingState.optimizer().firstMoment().length != parameters.size()) {
            throw new MicrogptException("Adam moments hold " + trainingState.optimizer().firstMoment().length
                    + " values but the model has " + parameters.size());
        }
        this.modelConfig = parameters.config();
        this.tokenizer = tokenizer;
        this.trainingConfig = trainingConfig;
        this.validationFraction = validationFraction;
        this.stepsDone = stepsDone;
        this.data = data;
        this.backend = backend;
        this.parameters = parameters;
        this.trainingState = trainingState;
        this.tensors = List.copyOf(tensors);
    }

    /**
     * Reads and fully checks a checkpoint file. Every problem (missing file, truncated or forged content,
     * unknown dtype, shapes that contradict the config, non-finite values, ...) is a {@link MicrogptException}
     * whose message starts with {@code checkpoint FILE:} and names the problem in one line.
     */
    public static Checkpoint read(Path file) {
        FileChannel opened = InputFiles.open(file, "checkpoint");
        try (FileChannel channel = opened) {
            return read(channel, channel.size());
        } catch (IOException e) {
            throw new MicrogptException("checkpoint " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        } catch (MicrogptException e) {
            throw new MicrogptException("checkpoint " + Text.shown(file) + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint of {@code size} bytes from a channel (messages without the file name). */
    static Checkpoint read(SeekableByteChannel channel, long size) throws IOException {
        return CheckpointCodec.decode(channel, size);
    }

    /** Writes this checkpoint with weights (and moments) of the dtype native to its backend, atomically. */
    public void write(Path file) {
        write(file, DType.nativeTo(backend));
    }

    /**
     * Writes this checkpoint atomically (temporary file in the same folder, synced, renamed over {@code file}):
     * a failure leaves any previous file untouched. Values must be finite in {@code dtype}.
     */
    public void write(Path file, DType dtype) {
        SafetensorsFile.write(file, CheckpointCodec.metadata(this), CheckpointCodec.sources(this, dtype));
    }

    /** The same checkpoint without Adam's moments and the random state (smaller; can sample, cannot resume). */
    public Checkpoint withoutTrainingState() {
        return new Checkpoint(tokenizer, trainingConfig, validationFraction, stepsDone, data, backend, parameters, null, List.of());
    }

    /** The model shape. */
    public ModelConfig modelConfig() {
        return modelConfig;
    }

    /** The vocabulary. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The run's training settings (steps planned, batch, Adam, seed). */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** Share of the shuffled documents the run held out for validation. */
    public double validationFraction() {
        return validationFraction;
    }

    /** Steps the run had completed. */
    public int stepsDone() {
        return stepsDone;
    }

    /** The dataset the run trained on. */
    public DataSource data() {
        return data;
    }

    /** Name of the backend that wrote it. */
    public String backend() {
        return backend;
    }

    /** The weights (not a copy: treat as read-only). */
    public Parameters parameters() {
        return parameters;
    }

    /** Adam's moments and the random state, if saved. */
    public Optional<TrainingState> trainingState() {
        return Optional.ofNullable(trainingState);
    }

    /** The tensors as the file lists them, by data offset (empty for a checkpoint not read from a file). */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** Element types a checkpoint's tensors can have. */
    public enum DType {
        /** IEEE 754 binary32, little-endian. */
        F32(4),
        /** IEEE 754 binary64, little-endian. */
        F64(8);

        private static final List<String> OTHER_SAFETENSORS_DTYPES = List.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3",
                "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "C64");
        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        /** The precision a backend computes in: F32 for {@code simd}, F64 for the others. */
        public static DType nativeTo(String backendName) {
            return "simd".equals(backendName) ? F32 : F64;
        }

        static DType parse(String name, String what) {
            for (DType d : values()) if (d.name().equals(name)) return d;
            if (OTHER_SAFETENSORS_DTYPES.contains(name)) {
                throw new MicrogptException(what + " has dtype " + name + ", which microgpt does not read (F32 or F64 only)");
            }
            String shown = name.length() > 20 ? name.substring(0, 20) + "..." : name;
            throw new MicrogptException(what + " has unknown dtype " + Text.quote(shown) + " (microgpt reads F32 and F64)");
        }
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
            return java.util.Arrays.toString(at);
        }
    }

    /**
     * What a resumed run needs beyond the weights.
     *
     * @param optimizer Adam's moments
     * @param random    the run's random generator, as it was after the last completed step
     */
    public record TrainingState(OptimizerState optimizer, PyRandom.State random) {
    }

    /**
     * Which documents a run trained on, to check that a resumed run reads the same ones.
     *
     * @param name      where they came from (a path, or {@code bundled names})
     * @param documents how many documents
     * @param sha256    SHA-256 of the documents in file order, each followed by a newline, in UTF-8
     */
    public record DataSource(String name, int documents, String sha256) {

        /** The identity of a dataset. */
        public static DataSource of(Dataset dataset) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String doc : dataset.documents()) {
                    digest.update(doc.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) '\n');
                }
                return new DataSource(dataset.source(), dataset.size(), HexFormat.of().formatHex(digest.digest()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        /** Whether the dataset has the same documents in the same order (its name may differ). */
        public boolean matches(Dataset dataset) {
            DataSource other = of(dataset);
            return other.documents == documents && other.sha256.equals(sha256);
        }

        /** Throws a {@link MicrogptException} unless {@link #matches} (naming both datasets). */
        public void check(Dataset dataset) {
            if (matches(dataset)) return;
            throw new MicrogptException("the dataset (" + Text.shown(dataset.source()) + ", " + dataset.size() + " documents)"
                    + " is not the one the run trained on (" + Text.shown(name) + ", " + documents + " documents, sha256 "
                    + Text.shown(sha256.length() > 12 ? sha256.substring(0, 12) + "..." : sha256) + ")");
        }
    }
}
