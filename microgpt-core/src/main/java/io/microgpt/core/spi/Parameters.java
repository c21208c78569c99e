package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;

/**
 * All weights of a model in one flat double buffer, addressed through a {@link ParameterLayout}, so that
 * optimizers, checkpoints and backends can treat them uniformly.
 *
 * <p>Not thread-safe: the buffer is mutable and shared, not copied; threads may read it at once only while none
 * writes.
 */
public final class Parameters {
    private final ParameterLayout layout;
    private final double[] data;

    /** Wraps a buffer (not copied); its length must equal the layout's size. */
    public Parameters(ParameterLayout layout, double[] data) {
        if (data.length != layout.size()) {
            throw new MicrogptException("parameter buffer holds " + data.length + " values but the model needs " + layout.size());
        }
        this.layout = layout;
        this.data = data;
    }

    /** All zeros. */
    public static Parameters zeros(ModelConfig config) {
        ParameterLayout layout = new ParameterLayout(config);
        return new Parameters(layout, new double[layout.size()]);
    }

    /**
     * The reference's initialisation: every weight, tensor by tensor and row by row, is
     * {@code rng.gauss(0, initStd)}.
     */
    public static Parameters initialize(ModelConfig config, PyRandom rng) {
        Parameters p = zeros(config);
        for (int i = 0; i < p.data.length; i++) p.data[i] = rng.gauss(0, config.initStd());
        return p;
    }

    /** The layout. */
    public ParameterLayout layout() {
        return layout;
    }

    /** The model shape. */
    public ModelConfig config() {
        return layout.config();
    }

    /** The flat buffer itself (not a copy). */
    public double[] data() {
        return data;
    }

    /** A deep copy. */
    public Parameters copy() {
        return new Parameters(layout, data.clone());
    }

    /** Number of parameters. */
    public int size() {
        return data.length;
    }
}
