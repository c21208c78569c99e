package io.microgpt.cli;

import io.microgpt.core.MicrogptException;

/** The checks of the sampling flags that {@code train} and {@code sample} share, made before any work starts. */
final class SamplingFlags {
    private SamplingFlags() {
    }

    /** Rejects a negative {@code --samples} and a {@code --temperature} that is not a positive finite number. */
    static void check(int samples, double temperature) {
        if (samples < 0) throw new MicrogptException("--samples must be 0 or more, got " + samples);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new MicrogptException("--temperature must be a positive number, got " + temperature);
        }
    }
}
