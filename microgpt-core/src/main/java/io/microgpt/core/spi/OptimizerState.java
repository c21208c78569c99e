package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;

/**
 * Adam's moments for every parameter, flat, in the {@link ParameterLayout} order.
 *
 * <p>Not thread-safe: it holds the two arrays it was given, not copies; treat them as read-only once handed over.
 *
 * @param firstMoment  m
 * @param secondMoment v
 */
public record OptimizerState(double[] firstMoment, double[] secondMoment) {

    /** Checks that both moment buffers have the same length. */
    public OptimizerState {
        if (firstMoment.length != secondMoment.length) {
            throw new MicrogptException("Adam moments differ in length: " + firstMoment.length + " vs " + secondMoment.length);
        }
    }

    /** Zero moments for {@code size} parameters (the state before the first step). */
    public static OptimizerState zeros(int size) {
        return new OptimizerState(new double[size], new double[size]);
    }
}
