package io.microgpt.cli;

import java.io.PrintWriter;

/**
 * Progress for pipes and files: the reference's step line every {@code logEvery} steps, on the last step and
 * on every step that computed a validation loss (then followed by {@code | val X.XXXX | val bpc X.XXXX}, the
 * held-out loss per token and in bits per character). At the default
 * {@code logEvery = 1} and without validation, this is the reference's output byte for byte, but for the
 * reference's {@code \r} after each step line, which is a newline here.
 */
final class PlainProgressPrinter implements ProgressPrinter {
    private static final long FLUSH_INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter out;
    private final int logEvery;
    private long lastFlush;

    PlainProgressPrinter(PrintWriter out, int logEvery) {
        this.out = out;
        this.logEvery = logEvery;
    }

    @Override
    public void onStep(Progress p) {
        int step = p.step().step();
        if (step % logEvery != 0 && !p.isLast() && !p.hasValidation()) return;
        String line = TrainCommand.stepLine(p.step());
        if (p.hasValidation()) line += " | val " + PythonFormat.fixed(p.validationLoss(), 4) + bitsField(p.validationBits());
        out.print(line + "\n");
        // Flush now and then so that `tail -f` and `tee` see progress, without a system call per step.
        if (p.isLast() || p.wallNanos() - lastFlush >= FLUSH_INTERVAL_NANOS) {
            out.flush();
            lastFlush = p.wallNanos();
        }
    }

    @Override
    public void finish() {
        out.flush();
    }

    /** {@code " | val bpc 2.5812"}, or nothing when not measured. */
    static String bitsField(double bitsPerCharacter) {
        return Double.isNaN(bitsPerCharacter) ? "" : " | val bpc " + PythonFormat.fixed(bitsPerCharacter, 4);
    }

    /** A blank line: the reference's {@code print("\n--- inference ...")} after a line that ended in a newline. */
    @Override
    public void beforeSamples() {
        out.println();
    }
}
