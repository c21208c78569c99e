package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --metrics} CSV: a header, then one row per step. Losses and learning rates are written with full
 * precision (they read back as the same doubles); {@code val_loss} and {@code val_bpc} (the held-out bits per
 * character) are empty where none was computed. A resumed
 * run's file begins with the steps saved in its checkpoint, which have only {@code loss}, {@code val_loss} and {@code val_bpc}.
 */
final class MetricsWriter implements AutoCloseable {
    static final String HEADER = "step,loss,learning_rate,step_us,val_loss,val_bpc";

    private final Path file;
    private final BufferedWriter writer;

    MetricsWriter(Path file) {
        this.file = file;
        try {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.write(HEADER);
            writer.newLine();
        } catch (IOException e) {
            throw new MicrogptException("cannot write --metrics " + file + ": " + e.getMessage(), e);
        }
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
        try {
            writer.write(row);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new MicrogptException("cannot finish --metrics " + file + ": " + e.getMessage(), e);
        }
    }
}
