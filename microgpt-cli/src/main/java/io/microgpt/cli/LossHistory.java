package io.microgpt.cli;

import java.util.Arrays;

/** The losses of a run as the chart needs them: per step (raw and smoothed) and the validation points. */
final class LossHistory {
    private int[] steps = new int[256];
    private double[] losses = new double[256];
    private double[] smoothed = new double[256];
    private int size;
    private int[] validationSteps = new int[16];
    private double[] validationLosses = new double[16];
    private double[] validationBits = new double[16];
    private int validationSize;

    /** Adds a step. */
    void add(int step, double loss, double smoothedLoss) {
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, size * 2);
            losses = Arrays.copyOf(losses, size * 2);
            smoothed = Arrays.copyOf(smoothed, size * 2);
        }
        steps[size] = step;
        losses[size] = loss;
        smoothed[size] = smoothedLoss;
        size++;
    }

    /** Adds a validation point: its loss and bits per character (NaN if not measured). */
    void addValidation(int step, double loss, double bitsPerCharacter) {
        if (validationSize == validationSteps.length) {
            validationSteps = Arrays.copyOf(validationSteps, validationSize * 2);
            validationLosses = Arrays.copyOf(validationLosses, validationSize * 2);
            validationBits = Arrays.copyOf(validationBits, validationSize * 2);
        }
        validationSteps[validationSize] = step;
        validationLosses[validationSize] = loss;
        validationBits[validationSize] = bitsPerCharacter;
        validationSize++;
    }

    int size() {
        return size;
    }

    int step(int i) {
        return steps[i];
    }

    double loss(int i) {
        return losses[i];
    }

    double smoothed(int i) {
        return smoothed[i];
    }

    int validationSize() {
        return validationSize;
    }

    int validationStep(int i) {
        return validationSteps[i];
    }

    double validationLoss(int i) {
        return validationLosses[i];
    }

    double validationBits(int i) {
        return validationBits[i];
    }

    /** The step of the last validation point, or -1. */
    int lastValidationStep() {
        return validationSize == 0 ? -1 : validationSteps[validationSize - 1];
    }
}
