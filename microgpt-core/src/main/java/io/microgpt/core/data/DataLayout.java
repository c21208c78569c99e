package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.InputFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How a text file becomes training data, and the one place that says which {@link TrainingData} each layout is:
 * how its file is read, what a run uses without a file, how a checkpoint's data is reopened, and the words
 * messages name it by.
 *
 * <p>Immutable, so thread-safe.
 */
public enum DataLayout {
    /** One document per line (the reference's): BOS, the line's characters, BOS; documents drawn in shuffled order. */
    LINES("dataset", "documents", "documents", DataLayout.DEFAULT_LINES_VALIDATION_FRACTION) {
        @Override
        public TrainingData load(Path file, String what) {
            return Dataset.load(file, what);
        }

        @Override
        public Optional<TrainingData> bundled() {
            return Optional.of(Dataset.bundledNames());
        }
    },
    /** The whole file as one stream of code points; training windows of block_size + 1 tokens at random offsets. */
    STREAM("text", "text", "characters", DataLayout.DEFAULT_STREAM_VALIDATION_FRACTION) {
        @Override
        public TrainingData load(Path file, String what) {
            return TextStream.load(file, what);
        }
    };

    /** The share of the documents a run holds out unless told otherwise: none (the reference's). */
    public static final double DEFAULT_LINES_VALIDATION_FRACTION = 0;
    /** The share of a stream a run holds out unless told otherwise, as nanoGPT's. */
    public static final double DEFAULT_STREAM_VALIDATION_FRACTION = 0.1;

    private final String noun;
    private final String contents;
    private final String unit;
    private final double defaultValidationFraction;

    DataLayout(String noun, String contents, String unit, double defaultValidationFraction) {
        this.noun = noun;
        this.contents = contents;
        this.unit = unit;
        this.defaultValidationFraction = defaultValidationFraction;
    }

    /** Reads a file in this layout; messages name it {@code dataset FILE}. */
    public TrainingData load(Path file) {
        return load(file, "dataset");
    }

    /** Reads a file in this layout; messages name it {@code what FILE}, {@code what} as the user gave it (e.g. {@code --data}). */
    public abstract TrainingData load(Path file, String what);

    /** What a run of this layout trains on when it is given no file: the bundled names ({@link #LINES}), or nothing. */
    public Optional<TrainingData> bundled() {
        return Optional.empty();
    }

    /**
     * Reopens the data a checkpoint names: the bundled names, or the file at the recorded path (read as data: a
     * regular file only, never a device or a pipe), checked to be the very data the run trained on (same count,
     * same SHA-256). A {@link MicrogptException} says which file it tried and what to do.
     */
    public TrainingData reopen(DataSource saved) {
        Optional<TrainingData> bundled = saved.name().equals(Dataset.BUNDLED_SOURCE) ? bundled() : Optional.empty();
        TrainingData data = bundled.orElseGet(() -> {
            try {
                return load(InputFiles.path(saved.name(), noun));
            } catch (MicrogptException e) {
                throw new MicrogptException("the run trained on " + Text.quote(saved.name()) + ", which cannot be read now ("
                        + e.getMessage() + "); give the same " + contents + " explicitly (CLI: --data FILE)", e);
            }
        });
        saved.check(data);
        return data;
    }

    /** The share of the data a run holds out for validation unless told otherwise: none of the lines, 0.1 of a stream. */
    public double defaultValidationFraction() {
        return defaultValidationFraction;
    }

    /** What a file of this layout is called in messages: {@code dataset}, {@code text}. */
    public String noun() {
        return noun;
    }

    /** What the run trains on, in messages: {@code documents}, {@code text}. */
    public String contents() {
        return contents;
    }

    /** What {@link TrainingData#size()} counts: {@code documents}, {@code characters}. */
    public String unit() {
        return unit;
    }

    /** The name as flags and checkpoints spell it: {@code lines}, {@code stream}. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layout of a flag or checkpoint value. */
    public static DataLayout parse(String s) {
        for (DataLayout v : values()) if (v.flag().equals(s)) return v;
        throw new MicrogptException("layout must be lines or stream, got '" + s + "'");
    }
}
