package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.SamplingSettings;
import picocli.CommandLine.Option;

/**
 * The sampling flags that {@code train} and {@code sample} share, declared and checked once (a picocli mixin or
 * group; {@code train} adds {@code --length} in {@link TrainCommand.ClosingSampleOptions}).
 */
class SamplingOptions {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "20",
            description = "names (documents) to sample; 0 = none (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "" + SamplingSettings.DEFAULT_TEMPERATURE,
            description = "softmax temperature, any positive number: below 1 more conservative, above 1 more varied "
                    + "(default: ${DEFAULT-VALUE})")
    double temperature;

    /** Rejects a negative {@code --samples} and a {@code --temperature} core's sampling rules refuse. */
    void validate() {
        validate(SamplingSettings.DEFAULT_TOP_K, SamplingSettings.DEFAULT_TOP_P);
    }

    /** {@link #validate()} with {@code sample}'s top-k and top-p, checked by the same rules. */
    void validate(int topK, double topP) {
        if (samples < 0) throw new MicrogptException("--samples must be 0 or more, got " + samples);
        SamplingSettings.check(temperature, topK, topP, Flags::of);
    }
}
