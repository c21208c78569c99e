package io.microgpt.core;

/**
 * How a next token is drawn from the model's logits: softmax at a temperature, optionally restricted to the
 * {@code topK} most likely tokens and then to the smallest set whose probability reaches {@code topP}.
 *
 * @param temperature softmax temperature, &gt; 0 (lower: more conservative)
 * @param topK        draw only among the k most likely tokens; 0 for all
 * @param topP        draw only among the most likely tokens whose probabilities sum to at least p (nucleus
 *                    sampling), in (0, 1]; 1 for all
 */
public record SamplingSettings(double temperature, int topK, double topP) {

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public SamplingSettings {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new MicrogptException("temperature must be a positive finite number, got " + temperature);
        }
        if (topK < 0) throw new MicrogptException("top-k must be 0 (off) or positive, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new MicrogptException("top-p must be in (0, 1] (1 = off), got " + topP);
    }

    /** Only a temperature: every token may be drawn (the reference's sampling). */
    public static SamplingSettings ofTemperature(double temperature) {
        return new SamplingSettings(temperature, 0, 1);
    }
}
