package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import picocli.CommandLine.Option;

/** The sampling flags that {@code train} and {@code sample} share, declared and checked once (a picocli mixin or group). */
final class SamplingOptions {
    @Option(names = "--samples", paramLabel = "N", defaultValue = "20", description = "names (documents) to sample (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.5",
            description = "softmax temperature, any positive number: below 1 more conservative, above 1 more varied "
                    + "(default: ${DEFAULT-VALUE})")
    double temperature;

    /** Rejects a negative {@code --samples} and a {@code --temperature} that is not a positive finite number. */
    void validate() {
        if (samples < 0) throw new MicrogptException("--samples must be 0 or more, got " + samples);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new MicrogptException("--temperature must be a positive number, got " + temperature);
        }
        if (Double.isInfinite(1 / temperature)) {
            throw new MicrogptException("--temperature " + temperature + " is too small: logits / temperature would overflow;"
                    + " use a larger temperature, e.g. 0.01 or more");
        }
    }
}
