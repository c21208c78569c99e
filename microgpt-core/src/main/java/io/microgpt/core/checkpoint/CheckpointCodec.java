package io.microgpt.core.checkpoint;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.RunHistory;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Maps a {@link Checkpoint} to safetensors metadata and tensors, and back with every check a file from
 * elsewhere needs: metadata present and well-formed, config valid, vocabulary matching the embedding, the
 * exact set of tensors with the config's shapes, finite values, consistent training state.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class CheckpointCodec {
    static final String FORMAT = "microgpt";
    static final String ADAM_M = "adam.m.";
    static final String ADAM_V = "adam.v.";
    private static final String TOKENIZER = "tokenizer";
    private static final String TOKENIZER_DATA = "tokenizer_data";
    private static final int RNG_WORDS = 624;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * A metadata key that changes what a checkpoint means, the format version that introduced it, and which of its
     * values are neutral: mean what a file without the key means (the reference's schedule, one document per
     * line, a vocabulary of characters).
     */
    private record MeaningKey(String key, int since, Predicate<String> neutral) {
    }

    /**
     * The format's versioning rule, as {@link #formatVersion} applies it. A file is written with the lowest version
     * whose readers understand everything it uses: 1 when it uses nothing beyond what version 1 meant (so that
     * readers back to the first release still load it), else the highest {@code since} among the keys below that it
     * gives a non-neutral value. Readers refuse a version above their own and ignore keys they do not know, so a key
     * that only adds information (the loss history) needs no new version, and one that changes meaning must be
     * listed here with a new one.
     */
    private static final List<MeaningKey> MEANING_KEYS = List.of(
            new MeaningKey("warmup_steps", 2, "0"::equals),
            new MeaningKey("schedule", 2, TrainingControls.Schedule.LINEAR.flag()::equals),
            new MeaningKey("min_learning_rate", 2, CheckpointCodec::isZero),
            new MeaningKey("weight_decay", 2, CheckpointCodec::isZero),
            new MeaningKey("grad_clip", 2, CheckpointCodec::isZero),
            new MeaningKey("layout", 2, DataLayout.LINES.flag()::equals),
            new MeaningKey(TOKENIZER, 2, kind -> false));

    private CheckpointCodec() {
    }

    /** The format version of a file with this metadata (the rule is at {@link #MEANING_KEYS}). */
    static int formatVersion(Map<String, String> metadata) {
        int version = 1;
        for (MeaningKey k : MEANING_KEYS) {
            String value = metadata.get(k.key());
            if (value != null && !k.neutral().test(value)) version = Math.max(version, k.since());
        }
        return version;
    }

    /** The format version {@link #write} gives this checkpoint's file. */
    public static int formatVersion(Checkpoint c) {
        return formatVersion(metadata(c));
    }

    private static boolean isZero(String decimal) {
        try {
            return Double.parseDouble(decimal) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes a checkpoint to {@code file} atomically, its weights (and moments) as {@code dtype}. */
    public static void write(Checkpoint c, Path file, DType dtype) {
        SafetensorsFile.write(file, metadata(c), sources(c, dtype));
    }

    /** The {@code __metadata__} map of a checkpoint (every value a string). */
    static Map<String, String> metadata(Checkpoint c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", "");   // second in the file; its value depends on the keys below (set after them)
        m.put("backend", c.backend());
        ModelConfig model = c.modelConfig();
        putTokenizer(m, c.tokenizer());
        m.put("vocab_size", Integer.toString(model.vocabSize()));
        m.put("n_embd", Integer.toString(model.nEmbd()));
        m.put("n_head", Integer.toString(model.nHead()));
        m.put("n_layer", Integer.toString(model.nLayer()));
        m.put("block_size", Integer.toString(model.blockSize()));
        m.put("init_std", Double.toString(model.initStd()));
        TrainingConfig t = c.trainingConfig();
        m.put("steps_done", Integer.toString(c.stepsDone()));
        m.put("steps", Integer.toString(t.steps()));
        m.put("batch_size", Integer.toString(t.batchSize()));
        m.put("learning_rate", Double.toString(t.learningRate()));
        m.put("beta1", Double.toString(t.beta1()));
        m.put("beta2", Double.toString(t.beta2()));
        m.put("eps", Double.toString(t.eps()));
        m.put("seed", t.seed().toString());
        TrainingControls controls = t.controls();
        m.put("warmup_steps", Integer.toString(controls.warmupSteps()));
        m.put("schedule", controls.schedule().flag());
        m.put("min_learning_rate", Double.toString(controls.minLearningRate()));
        m.put("weight_decay", Double.toString(controls.weightDecay()));
        m.put("grad_clip", Double.toString(controls.gradClip()));
        m.put("layout", c.layout().flag());
        m.put("validation_fraction", Double.toString(c.validationFraction()));
        m.put("dataset", c.data().name());
        m.put("dataset_documents", Integer.toString(c.data().documents()));
        m.put("dataset_sha256", c.data().sha256());
        m.put("history_first_step", Integer.toString(c.history().firstStep()));
        m.put("history_losses", c.history().encodedLosses());
        m.put("history_validation", c.history().encodedValidation());
        if (c.history().validationSize() > 0) m.put("history_validation_bpc", c.history().encodedValidationBits());
        m.put("format_version", Integer.toString(formatVersion(m)));   // before the random state: it changes no meaning
        c.trainingState().ifPresent(s -> {
            PyRandom.State r = s.random();
            StringBuilder words = new StringBuilder(RNG_WORDS * 8);
            for (int w : r.words()) words.append(String.format("%08x", w));
            m.put("rng_mt", words.toString());
            m.put("rng_index", Integer.toString(r.index()));
            m.put("rng_gauss_next", r.hasGaussNext() ? Double.toString(r.gaussNext()) : "none");
        });
        return m;
    }

    /** The tensors to write: weights in layout order, then (with training state) all first, then all second moments. */
    static List<SafetensorsFile.Source> sources(Checkpoint c, DType dtype) {
        List<SafetensorsFile.Source> list = new ArrayList<>();
        List<TensorSpec> specs = c.parameters().layout().tensors();
        for (TensorSpec t : specs) list.add(source(t.name(), t, c.parameters().data(), dtype));
        c.trainingState().ifPresent(s -> {
            for (TensorSpec t : specs) list.add(source(ADAM_M + t.name(), t, s.optimizer().firstMoment(), dtype));
            for (TensorSpec t : specs) list.add(source(ADAM_V + t.name(), t, s.optimizer().secondMoment(), dtype));
        });
        return list;
    }

    private static SafetensorsFile.Source source(String name, TensorSpec t, double[] data, DType dtype) {
        return new SafetensorsFile.Source(name, dtype, t.rows(), t.cols(), data, t.offset());
    }

    /** Reads and checks a whole checkpoint. */
    public static Checkpoint decode(SeekableByteChannel channel, long size) throws IOException {
        return decode(channel, size, Checkpoint.FORMAT_VERSION);
    }

    /** {@link #decode(SeekableByteChannel, long)} as a reader of format version {@code readerVersion} would (for tests). */
    static Checkpoint decode(SeekableByteChannel channel, long size, int readerVersion) throws IOException {
        SafetensorsFile.Header header = SafetensorsFile.readHeader(channel, size);
        Map<String, String> meta = header.metadata();
        if (meta == null) throw new MicrogptException("the header has no __metadata__: a safetensors file, but not a microgpt checkpoint");
        if (!FORMAT.equals(meta.get("format"))) {
            throw new MicrogptException("metadata 'format' is not " + Text.quote(FORMAT) + ": a safetensors file, but not a microgpt checkpoint");
        }
        int version = integer(meta, "format_version");
        if (version > readerVersion) {
            throw new MicrogptException("format version " + version + " is newer than this microgpt reads ("
                    + readerVersion + "); use a newer microgpt");
        }
        if (version < 1) throw new MicrogptException("format version " + version + " does not exist");

        int vocabSize = integer(meta, "vocab_size");
        int nEmbd = integer(meta, "n_embd");
        int nHead = integer(meta, "n_head");
        int nLayer = integer(meta, "n_layer");
        int blockSize = integer(meta, "block_size");
        double initStd = decimal(meta, "init_std");
        ModelConfig model;
        try {
            model = new ModelConfig(vocabSize, nEmbd, nHead, nLayer, blockSize, initStd);
        } catch (MicrogptException e) {
            throw new MicrogptException("the model config in the metadata is invalid: " + e.getMessage());
        }
        Tokenizer tokenizer = tokenizer(meta);
        if (tokenizer.vocabSize() != model.vocabSize()) {
            String has = tokenizer instanceof CharTokenizer ? (tokenizer.vocabSize() - 1) + " characters + BOS = " : "";
            throw new MicrogptException("the vocabulary has " + has + tokenizer.vocabSize()
                    + " tokens but vocab_size (the rows of wte and lm_head) is " + model.vocabSize());
        }
        int steps = integer(meta, "steps");
        int batchSize = integer(meta, "batch_size");
        double learningRate = decimal(meta, "learning_rate");
        double beta1 = decimal(meta, "beta1");
        double beta2 = decimal(meta, "beta2");
        double eps = decimal(meta, "eps");
        String seedText = string(meta, "seed");
        if (!seedText.matches("-?\\d{1," + TrainingConfig.MAX_SEED_DIGITS + "}")) {
            throw new MicrogptException("metadata 'seed' is " + Text.quote(abbreviate(seedText)) + ", not a whole number of at most "
                    + TrainingConfig.MAX_SEED_DIGITS + " digits");
        }
        BigInteger seed = new BigInteger(seedText);
        TrainingConfig training;
        try {
            training = new TrainingConfig(steps, batchSize, learningRate, beta1, beta2, eps, seed, controls(meta));
        } catch (MicrogptException e) {
            throw new MicrogptException("the training settings in the metadata are invalid: " + e.getMessage());
        }
        int stepsDone = integer(meta, "steps_done");
        if (stepsDone < 0 || stepsDone > training.steps()) {
            throw new MicrogptException("steps_done " + stepsDone + " is outside 0.." + training.steps() + " (the planned steps)");
        }
        double validationFraction = decimal(meta, "validation_fraction");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new MicrogptException("validation_fraction " + validationFraction + " is outside [0, 1)");
        }
        String sha256 = string(meta, "dataset_sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new MicrogptException("metadata 'dataset_sha256' is " + Text.quote(sha256) + ", not a SHA-256 (64 hex digits)");
        }
        int documents = integer(meta, "dataset_documents");
        if (documents < 1) throw new MicrogptException("metadata 'dataset_documents' " + documents + " is not a positive count");
        DataSource data = new DataSource(string(meta, "dataset"), documents, sha256);
        String backend = string(meta, "backend");
        DataLayout dataLayout = meta.containsKey("layout") ? DataLayout.parse(string(meta, "layout")) : DataLayout.LINES;
        // Files written before the history was kept have none: it then starts after the saved step.
        RunHistory history = meta.containsKey("history_losses")
                ? RunHistory.decode(integer(meta, "history_first_step"), meta.get("history_losses"),
                        string(meta, "history_validation"), meta.get("history_validation_bpc"), stepsDone)
                : new RunHistory(stepsDone + 1);

        List<SafetensorsFile.Tensor> tensors = header.tensors();
        long weightTensors = 3 + 6L * model.nLayer();
        boolean hasState = tensors.size() == 3 * weightTensors;
        if (tensors.size() != weightTensors && !hasState) {
            throw new MicrogptException("the file holds " + tensors.size() + " tensors but a model with n_layer " + model.nLayer()
                    + " has " + weightTensors + " (" + 3 * weightTensors + " with training state)");
        }
        ParameterLayout layout = new ParameterLayout(model);
        Map<String, TensorSpec> expected = new HashMap<>();
        for (TensorSpec t : layout.tensors()) {
            expected.put(t.name(), t);
            if (hasState) {
                expected.put(ADAM_M + t.name(), t);
                expected.put(ADAM_V + t.name(), t);
            }
        }
        Map<String, SafetensorsFile.Tensor> byName = new HashMap<>();
        for (SafetensorsFile.Tensor t : tensors) {
            TensorSpec spec = expected.get(t.name());
            if (spec == null) {
                throw new MicrogptException("unexpected tensor " + Text.quote(abbreviate(t.name())) + " (not part of the model the metadata describes)");
            }
            if (t.shape().size() != 2 || t.shape().get(0) != spec.rows() || t.shape().get(1) != spec.cols()) {
                throw new MicrogptException("tensor " + Text.quote(t.name()) + " has shape " + t.shape() + " but the model config in the metadata"
                        + " (vocab_size " + model.vocabSize() + ", n_embd " + model.nEmbd() + ", block_size " + model.blockSize()
                        + ") needs [" + spec.rows() + ", " + spec.cols() + "]");
            }
            byName.put(t.name(), t);
        }
        PyRandom.State random = randomState(meta, hasState);

        double[] weights = new double[layout.size()];
        read(channel, header, byName, "", layout, weights, false);
        Checkpoint.TrainingState state = null;
        if (hasState) {
            double[] m = new double[layout.size()];
            double[] v = new double[layout.size()];
            read(channel, header, byName, ADAM_M, layout, m, false);
            read(channel, header, byName, ADAM_V, layout, v, true);
            state = new Checkpoint.TrainingState(new OptimizerState(m, v), random);
        }
        return new Checkpoint(tokenizer, training, validationFraction, dataLayout, stepsDone, data, backend,
                new Parameters(layout, weights), state, tensors, history);
    }

    /**
     * Records the tokenizer: a character tokenizer as its characters under {@code vocab} (as every checkpoint
     * before other kinds existed), any other as {@code tokenizer} (its kind) and {@code tokenizer_data}.
     */
    private static void putTokenizer(Map<String, String> m, Tokenizer tokenizer) {
        if (tokenizer.kind().equals(CharTokenizer.KIND)) {
            m.put("vocab", tokenizer.serialized());
        } else {
            m.put(TOKENIZER, tokenizer.kind());
            m.put(TOKENIZER_DATA, tokenizer.serialized());
        }
    }

    /** The tokenizer {@link #putTokenizer} recorded. */
    private static Tokenizer tokenizer(Map<String, String> meta) {
        if (!meta.containsKey(TOKENIZER)) return CharTokenizer.ofSymbols(string(meta, "vocab"));
        try {
            return Tokenizer.restore(string(meta, TOKENIZER), string(meta, TOKENIZER_DATA));
        } catch (MicrogptException e) {
            throw new MicrogptException("the tokenizer in the metadata is invalid: " + e.getMessage(), e);
        }
    }

    private static void read(SeekableByteChannel channel, SafetensorsFile.Header header, Map<String, SafetensorsFile.Tensor> byName,
                             String prefix, ParameterLayout layout, double[] into, boolean nonNegative) throws IOException {
        for (TensorSpec spec : layout.tensors()) {
            SafetensorsFile.Tensor t = byName.get(prefix + spec.name());
            if (t == null) throw new MicrogptException("tensor " + Text.quote(prefix + spec.name()) + " is missing");
            SafetensorsFile.readValues(channel, header, t, into, spec.offset(), nonNegative);
        }
    }

    /** The training controls; a file written before they existed has none (each key is optional). */
    private static TrainingControls controls(Map<String, String> meta) {
        TrainingControls none = TrainingControls.none();
        return new TrainingControls(
                meta.containsKey("warmup_steps") ? integer(meta, "warmup_steps") : none.warmupSteps(),
                meta.containsKey("schedule") ? TrainingControls.Schedule.parse(string(meta, "schedule")) : none.schedule(),
                meta.containsKey("min_learning_rate") ? decimal(meta, "min_learning_rate") : none.minLearningRate(),
                meta.containsKey("weight_decay") ? decimal(meta, "weight_decay") : none.weightDecay(),
                meta.containsKey("grad_clip") ? decimal(meta, "grad_clip") : none.gradClip());
    }

    private static PyRandom.State randomState(Map<String, String> meta, boolean hasState) {
        boolean hasRandom = meta.containsKey("rng_mt") || meta.containsKey("rng_index") || meta.containsKey("rng_gauss_next");
        if (!hasState) {
            if (hasRandom) throw new MicrogptException("the metadata has a random state but the file has no Adam moments (incomplete training state)");
            return null;
        }
        if (!hasRandom) throw new MicrogptException("the file has Adam moments but no random state (metadata 'rng_mt'): incomplete training state");
        String hex = string(meta, "rng_mt");
        if (hex.length() != RNG_WORDS * 8) {
            throw new MicrogptException("metadata 'rng_mt' must be " + RNG_WORDS + " words of 8 hex digits, got " + hex.length() + " characters");
        }
        int[] words = new int[RNG_WORDS];
        for (int i = 0; i < RNG_WORDS; i++) {
            long w = 0;
            for (int k = 0; k < 8; k++) {
                int d = Character.digit(hex.charAt(i * 8 + k), 16);
                if (d < 0) throw new MicrogptException("metadata 'rng_mt' holds a character that is not a hex digit");
                w = w * 16 + d;
            }
            words[i] = (int) w;
        }
        int index = integer(meta, "rng_index");
        if (index < 0 || index > RNG_WORDS) throw new MicrogptException("metadata 'rng_index' " + index + " is outside 0.." + RNG_WORDS);
        String gauss = string(meta, "rng_gauss_next");
        if (gauss.equals("none")) return new PyRandom.State(words, index, false, 0.0);
        return new PyRandom.State(words, index, true, decimal(meta, "rng_gauss_next"));
    }

    private static String string(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new MicrogptException("metadata " + Text.quote(key) + " is missing (not a microgpt checkpoint, or a damaged one)");
        return v;
    }

    private static int integer(Map<String, String> meta, String key) {
        long v = longInteger(meta, key);
        if (v != (int) v) throw new MicrogptException("metadata " + Text.quote(key) + " " + v + " is out of range");
        return (int) v;
    }

    private static long longInteger(Map<String, String> meta, String key) {
        String s = string(meta, key);
        if (!s.matches("-?\\d{1,19}")) throw new MicrogptException("metadata " + Text.quote(key) + " is " + Text.quote(abbreviate(s)) + ", not a whole number");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MicrogptException("metadata " + Text.quote(key) + " " + s + " is out of range");
        }
    }

    private static double decimal(Map<String, String> meta, String key) {
        String s = string(meta, key);
        if (s.length() > 40 || !DECIMAL.matcher(s).matches()) {
            throw new MicrogptException("metadata " + Text.quote(key) + " is " + Text.quote(abbreviate(s)) + ", not a decimal number");
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) throw new MicrogptException("metadata " + Text.quote(key) + " " + s + " is out of range");
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
