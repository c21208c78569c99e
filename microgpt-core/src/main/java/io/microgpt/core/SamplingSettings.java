package io.microgpt.core;

import java.util.function.Function;

/**
 * How a next token is drawn from the model's logits: softmax at a temperature, optionally restricted to the
 * {@code topK} most likely tokens and then to the smallest set whose probability reaches {@code topP}.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param temperature softmax temperature, &gt; 0 (lower: more conservative)
 * @param topK        draw only among the k most likely tokens; 0 for all
 * @param topP        draw only among the most likely tokens whose probabilities sum to at least p (nucleus
 *                    sampling), in (0, 1]; 1 for all
 */
public record SamplingSettings(double temperature, int topK, double topP) {
    /** The reference's temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.5;
    /** No top-k cut: every token may be drawn. */
    public static final int DEFAULT_TOP_K = 0;
    /** No nucleus cut: every token may be drawn. */
    public static final double DEFAULT_TOP_P = 1;

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public SamplingSettings {
        check(temperature, topK, topP, Setting::described);
    }

    /**
     * The rules of sampling: a positive finite temperature that the logits can be divided by, top-k 0 or more,
     * top-p in (0, 1]; a {@link MicrogptException} naming the first that is wrong as {@code name} calls it.
     */
    public static void check(double temperature, int topK, double topP, Function<Setting, String> name) {
        String t = name.apply(Setting.TEMPERATURE);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new MicrogptException(t + " must be a positive finite number, got " + temperature);
        }
        if (Double.isInfinite(1 / temperature)) {
            throw new MicrogptException(t + " " + temperature + " is too small: logits / temperature would overflow;"
                    + " use a larger temperature, e.g. 0.01 or more");
        }
        if (topK < 0) throw new MicrogptException(name.apply(Setting.TOP_K) + " must be 0 (all) or positive, got " + topK);
        if (!(topP > 0 && topP <= 1)) {
            throw new MicrogptException(name.apply(Setting.TOP_P) + " must be above 0 and at most 1 (1 = all), got " + topP);
        }
    }

    /** Only a temperature: every token may be drawn (the reference's sampling). */
    public static SamplingSettings ofTemperature(double temperature) {
        return new SamplingSettings(temperature, DEFAULT_TOP_K, DEFAULT_TOP_P);
    }
}
