package io.microgpt.cli;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import io.microgpt.scalar.ScalarBackend;

/**
 * A test-only backend with a deliberate bug: the scalar engine, except that the gradient of
 * {@code layer0.mlp_fc1} comes out 1% too large, as a kernel with a wrong scale factor would make it. Registered
 * through this module's test {@code META-INF/services}; available only while the system property
 * {@value #ENABLE} is {@code true}, so that other tests see only the real backends.
 */
public final class WrongGradientBackend extends FixtureBackend {
    static final String ENABLE = "microgpt.test.wrongGradients";
    static final String NAME = "wrong-gradients";
    static final String BROKEN_TENSOR = "layer0.mlp_fc1";
    static final double SCALE = 1.01;

    /** For the ServiceLoader. */
    public WrongGradientBackend() {
        super(NAME, "scalar engine with a 1% error in one tensor's gradient", ENABLE);
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        Engine scalar = new ScalarBackend().open(initial, options);
        TensorSpec broken = new ParameterLayout(initial.config()).tensor(BROKEN_TENSOR);
        return new Engine() {
            @Override
            public ModelConfig config() {
                return scalar.config();
            }

            @Override
            public double trainStep(int[][] documents, AdamStep step) {
                return scalar.trainStep(documents, step);
            }

            @Override
            public double lossAndGradient(int[][] documents, double[] gradient) {
                double loss = scalar.lossAndGradient(documents, gradient);
                for (int i = broken.offset(); i < broken.offset() + broken.size(); i++) gradient[i] *= SCALE;
                return loss;
            }

            @Override
            public double loss(int[][] documents) {
                return scalar.loss(documents);
            }

            @Override
            public LogitStream openStream() {
                return scalar.openStream();
            }

            @Override
            public Parameters parameters() {
                return scalar.parameters();
            }

            @Override
            public void loadParameters(Parameters parameters) {
                scalar.loadParameters(parameters);
            }

            @Override
            public OptimizerState optimizerState() {
                return scalar.optimizerState();
            }

            @Override
            public void loadOptimizerState(OptimizerState state) {
                scalar.loadOptimizerState(state);
            }

            @Override
            public void close() {
                scalar.close();
            }
        };
    }
}
