package io.microgpt.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * The losses of a run: the training loss of every step, and the validation losses recorded along the way.
 * A {@link Checkpoint} keeps it (compactly, as base64 of little-endian doubles in the metadata), so that a
 * resumed run's metrics and charts cover the whole run, not only the steps after resuming.
 *
 * <p>It holds at most {@link #MAX_STEPS} steps: when full, it forgets the older half, and {@link #firstStep()}
 * moves on. A file written before histories were kept starts its history at the step after the saved one.
 *
 * <p>Not thread-safe: a {@link TrainingRun} guards its own with its lock and hands out copies.
 */
public final class RunHistory {
    /** Steps kept at most (about 2.7 MB in a checkpoint's header, whose limit is 16 MiB). */
    public static final int MAX_STEPS = 250_000;

    private int firstStep;
    private double[] losses;
    private int size;
    private int[] validationSteps;
    private double[] validationLosses;
    private double[] validationBits;
    private int validationSize;

    /** An empty history whose first step will be {@code firstStep}. */
    public RunHistory(int firstStep) {
        this(firstStep, new double[0], new int[0], new double[0], new double[0]);
    }

    private RunHistory(int firstStep, double[] losses, int[] validationSteps, double[] validationLosses, double[] validationBits) {
        this.firstStep = firstStep;
        this.losses = Arrays.copyOf(losses, Math.max(16, losses.length));
        this.size = losses.length;
        this.validationSteps = Arrays.copyOf(validationSteps, Math.max(4, validationSteps.length));
        this.validationLosses = Arrays.copyOf(validationLosses, Math.max(4, validationLosses.length));
        this.validationBits = Arrays.copyOf(validationBits, Math.max(4, validationBits.length));
        this.validationSize = validationSteps.length;
    }

    /** An independent copy. */
    RunHistory copy() {
        return new RunHistory(firstStep, Arrays.copyOf(losses, size), Arrays.copyOf(validationSteps, validationSize),
                Arrays.copyOf(validationLosses, validationSize), Arrays.copyOf(validationBits, validationSize));
    }

    /** Appends the loss of the next step. */
    void add(double loss) {
        if (size == MAX_STEPS) {
            int drop = MAX_STEPS / 2;
            System.arraycopy(losses, drop, losses, 0, size - drop);
            size -= drop;
            firstStep += drop;
            dropValidationBefore(firstStep);
        }
        if (size == losses.length) losses = Arrays.copyOf(losses, Math.min(MAX_STEPS, 2 * size));
        losses[size++] = loss;
    }

    /**
     * Records the validation loss and bits per character (NaN if not measured) after the last step added
     * (replacing one already recorded there).
     */
    void addValidation(double loss, double bitsPerCharacter) {
        int step = lastStep();
        if (validationSize > 0 && validationSteps[validationSize - 1] == step) {
            validationLosses[validationSize - 1] = loss;
            validationBits[validationSize - 1] = bitsPerCharacter;
            return;
        }
        if (validationSize == validationSteps.length) {
            validationSteps = Arrays.copyOf(validationSteps, 2 * validationSize);
            validationLosses = Arrays.copyOf(validationLosses, 2 * validationSize);
            validationBits = Arrays.copyOf(validationBits, 2 * validationSize);
        }
        validationSteps[validationSize] = step;
        validationLosses[validationSize] = loss;
        validationBits[validationSize] = bitsPerCharacter;
        validationSize++;
    }

    private void dropValidationBefore(int step) {
        int drop = 0;
        while (drop < validationSize && validationSteps[drop] < step) drop++;
        if (drop == 0) return;
        System.arraycopy(validationSteps, drop, validationSteps, 0, validationSize - drop);
        System.arraycopy(validationLosses, drop, validationLosses, 0, validationSize - drop);
        System.arraycopy(validationBits, drop, validationBits, 0, validationSize - drop);
        validationSize -= drop;
    }

    /** The step of the first loss held (1 unless the run began before histories were kept, or was very long). */
    public int firstStep() {
        return firstStep;
    }

    /** The step of the last loss held ({@code firstStep() - 1} when empty). */
    public int lastStep() {
        return firstStep + size - 1;
    }

    /** Steps held. */
    public int size() {
        return size;
    }

    /** The training loss of step {@code firstStep() + i}. */
    public double loss(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("step index " + i + " of " + size);
        return losses[i];
    }

    /** Validation losses held. */
    public int validationSize() {
        return validationSize;
    }

    /** The step after which validation loss {@code i} was measured. */
    public int validationStep(int i) {
        if (i < 0 || i >= validationSize) throw new IndexOutOfBoundsException("validation index " + i + " of " + validationSize);
        return validationSteps[i];
    }

    /** Validation loss {@code i}. */
    public double validationLoss(int i) {
        if (i < 0 || i >= validationSize) throw new IndexOutOfBoundsException("validation index " + i + " of " + validationSize);
        return validationLosses[i];
    }

    /** The bits per character of validation point {@code i}; NaN where it was not measured (older files). */
    public double validationBitsPerCharacter(int i) {
        if (i < 0 || i >= validationSize) throw new IndexOutOfBoundsException("validation index " + i + " of " + validationSize);
        return validationBits[i];
    }

    // ---- the checkpoint's form: base64 of little-endian doubles ------------------------------------------------

    /** The training losses, as base64 of little-endian doubles. */
    public String encodedLosses() {
        ByteBuffer bytes = ByteBuffer.allocate(8 * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) bytes.putDouble(losses[i]);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The validation points, as base64 of little-endian (step, loss) pairs of doubles. */
    public String encodedValidation() {
        ByteBuffer bytes = ByteBuffer.allocate(16 * validationSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < validationSize; i++) bytes.putDouble(validationSteps[i]).putDouble(validationLosses[i]);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The validation points' bits per character, as base64 of little-endian doubles (one per point). */
    public String encodedValidationBits() {
        ByteBuffer bytes = ByteBuffer.allocate(8 * validationSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < validationSize; i++) bytes.putDouble(validationBits[i]);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * The history {@link #encodedLosses()}, {@link #encodedValidation()} and {@link #encodedValidationBits()}
     * wrote ({@code bits} null for files written before bits per character were kept), checked against the steps
     * the checkpoint says were done; a {@link MicrogptException} saying what is wrong otherwise.
     */
    public static RunHistory decode(int firstStep, String losses, String validation, String bits, int stepsDone) {
        double[] l = doubles(losses, "history_losses");
        if (l.length > MAX_STEPS || firstStep < 1 || firstStep + l.length - 1 != stepsDone) {
            throw new MicrogptException("the loss history (" + l.length + " steps from step " + firstStep
                    + ") does not end at steps_done " + stepsDone);
        }
        double[] pairs = doubles(validation, "history_validation");
        if (pairs.length % 2 != 0) throw new MicrogptException("metadata 'history_validation' does not hold (step, loss) pairs");
        int[] steps = new int[pairs.length / 2];
        double[] values = new double[pairs.length / 2];
        for (int i = 0; i < steps.length; i++) {
            double step = pairs[2 * i];
            int previous = i == 0 ? firstStep - 1 : steps[i - 1];
            if (!(step > previous && step <= stepsDone) || step != Math.rint(step)) {
                throw new MicrogptException("metadata 'history_validation' has a step " + step + " out of order or outside "
                        + firstStep + ".." + stepsDone);
            }
            steps[i] = (int) step;
            values[i] = pairs[2 * i + 1];
        }
        double[] perCharacter = new double[steps.length];
        Arrays.fill(perCharacter, Double.NaN);
        if (bits != null) {
            double[] b = doubles(bits, "history_validation_bpc");
            if (b.length != steps.length) {
                throw new MicrogptException("metadata 'history_validation_bpc' has " + b.length + " values for " + steps.length
                        + " validation points");
            }
            perCharacter = b;
        }
        return new RunHistory(firstStep, l, steps, values, perCharacter);
    }

    private static double[] doubles(String base64, String key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MicrogptException("metadata '" + key + "' is not base64");
        }
        if (bytes.length % 8 != 0) throw new MicrogptException("metadata '" + key + "' is not a whole number of doubles");
        double[] out = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }
}
