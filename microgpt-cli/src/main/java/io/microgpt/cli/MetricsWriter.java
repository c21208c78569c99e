package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.AtomicFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code --metrics} CSV: a header, then one row per step. Losses and learning rates are written with full
 * precision (they read back as the same doubles); {@code val_loss} and {@code val_bpc} (the held-out bits per
 * character) are empty where none was computed. A resumed run's file begins with the steps saved in its
 * checkpoint, which have only {@code loss}, {@code val_loss} and {@code val_bpc}.
 *
 * <p>Written as checkpoints are, all at once: the rows go to a temporary file beside the target, which
 * {@link #finish} renames over it when training ends, so the file is never empty or cut short. A write that fails
 * (a full disk) ends the file there, throws nothing and leaves any previous file as it was; {@link #finish} then
 * says why, so that the caller reports it after the run is safely saved.
 */
final class MetricsWriter {
    static final String HEADER = "step,loss,learning_rate,step_us,val_loss,val_bpc";

    private final Path file;
    private final AtomicFile.Replacement replacement;
    private final BufferedWriter writer;
    private String failure;
    private boolean finished;

    /** Starts the file (a {@link MicrogptException} if its temporary file cannot even be made). */
    MetricsWriter(Path file) {
        this.file = file;
        try {
            this.replacement = AtomicFile.begin(file);
        } catch (MicrogptException e) {
            throw new MicrogptException("--metrics: " + e.getMessage(), e);
        }
        this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(replacement.channel()), StandardCharsets.UTF_8));
        writeRow(HEADER);
    }

    /** The row of a step trained before the run was resumed: loss and validation loss (and bits per character) only. */
    void writeSaved(int step, double loss, double validationLoss, double validationBits) {
        writeRow(step + "," + loss + ",,," + value(validationLoss) + "," + value(validationBits));
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** One step's row. */
    void write(Progress p) {
        String row = p.step().step() + "," + p.step().loss() + "," + p.step().learningRate() + ","
                + String.format(Locale.ROOT, "%.1f", p.step().stepNanos() / 1000.0) + ","
                + (p.hasValidation() ? Double.toString(p.validationLoss()) : "") + "," + value(p.validationBits());
        writeRow(row);
    }

    private void writeRow(String row) {
        if (failure != null || finished) return;
        try {
            writer.write(row);
            writer.newLine();
        } catch (IOException e) {
            fail(Text.reason(e) + " (any previous file there is untouched)");
        }
    }

    private void fail(String why) {
        failure = "--metrics: cannot write " + Text.shown(file) + ": " + why;
        replacement.close();
    }

    /** Puts the file in place (once); empty if it is there, else why it is not. */
    Optional<String> finish() {
        if (!finished && failure == null) {
            finished = true;
            try {
                writer.flush();
                replacement.commit();
            } catch (IOException e) {
                fail(Text.reason(e) + " (any previous file there is untouched)");
            } catch (MicrogptException e) {
                failure = "--metrics: " + e.getMessage();
                replacement.close();
            }
        }
        return Optional.ofNullable(failure);
    }
}
