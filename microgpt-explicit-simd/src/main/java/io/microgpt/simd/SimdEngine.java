package io.microgpt.simd;

import io.microgpt.core.AdamStep;
import io.microgpt.core.Batches;
import io.microgpt.core.Engine;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.LogitStream;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.OptimizerState;
import io.microgpt.core.ParameterLayout;
import io.microgpt.core.Parameters;
import java.util.Arrays;

/**
 * The f32 engine: weights, gradient and Adam moments in {@link PaddedLayout}; a step arranges the batch as
 * rows, runs {@link GptPass} forward, {@link CrossEntropy}, backward, then {@link AdamF32} and refreshes the
 * transposed weights. Buffers are sized once for the largest batch seen; a step allocates nothing.
 */
final class SimdEngine implements Engine {
    private final ModelConfig config;
    private final ParameterLayout layout;
    private final SimdWeights weights;
    private final float[] gradient;
    private final TensorViews gradientViews;
    private final AdamF32 adam;
    private final GptPass pass;
    private final CrossEntropy crossEntropy;
    private BatchBuffers buffers;

    SimdEngine(Parameters initial, EngineOptions options) {
        this.config = initial.config();
        this.layout = initial.layout();
        PaddedLayout padded = new PaddedLayout(layout);
        this.weights = new SimdWeights(padded);
        weights.load(initial.data());
        this.gradient = new float[padded.size()];
        this.gradientViews = TensorViews.of(padded, gradient);
        this.adam = new AdamF32(padded.size());
        this.pass = new GptPass(weights);
        this.crossEntropy = new CrossEntropy(config.vocabSize());
        this.buffers = new BatchBuffers(config, config.blockSize());
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public double trainStep(int[][] documents, AdamStep step) {
        double loss = forwardBackward(documents);
        adam.update(weights.values, gradient, step, 0, gradient.length);
        weights.refreshTransposed();
        return loss;
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradientOut) {
        if (gradientOut.length != layout.size()) {
            throw new MicrogptException("gradient buffer holds " + gradientOut.length + " values but the model has " + layout.size());
        }
        double loss = forwardBackward(documents);
        weights.layout().fromPadded(gradient, gradientOut);
        return loss;
    }

    @Override
    public double loss(int[][] documents) {
        int rows = arrange(documents);
        pass.forward(buffers, 0, rows);
        crossEntropy.apply(buffers, 0, rows, false);
        return CrossEntropy.batchLoss(buffers);
    }

    private double forwardBackward(int[][] documents) {
        int rows = arrange(documents);
        Arrays.fill(gradient, 0f);
        pass.forward(buffers, 0, rows);
        crossEntropy.apply(buffers, 0, rows, true);
        pass.backward(buffers, gradientViews, 0, rows);
        return CrossEntropy.batchLoss(buffers);
    }

    /** Checks the batch, grows the buffers if it is the largest yet, and lays it out as rows. */
    private int arrange(int[][] documents) {
        Batches.check(documents, config);
        int rows = BatchBuffers.rowsFor(documents, config.blockSize());
        if (rows > buffers.capacity || documents.length + 1 > buffers.documentStart.length) {
            buffers = new BatchBuffers(config, Math.max(rows, documents.length * config.blockSize()));
        }
        return buffers.arrange(documents, config.blockSize());
    }

    @Override
    public LogitStream openStream() {
        return new SimdLogitStream(weights.copy());
    }

    @Override
    public Parameters parameters() {
        Parameters p = Parameters.zeros(config);
        weights.layout().fromPadded(weights.values, p.data());
        return p;
    }

    @Override
    public void loadParameters(Parameters parameters) {
        if (!parameters.config().equals(config)) {
            throw new MicrogptException("parameters are for " + parameters.config() + ", this engine is " + config);
        }
        weights.load(parameters.data());
    }

    @Override
    public OptimizerState optimizerState() {
        OptimizerState state = OptimizerState.zeros(layout.size());
        weights.layout().fromPadded(adam.firstMoment, state.firstMoment());
        weights.layout().fromPadded(adam.secondMoment, state.secondMoment());
        return state;
    }

    @Override
    public void loadOptimizerState(OptimizerState state) {
        if (state.firstMoment().length != layout.size()) {
            throw new MicrogptException("optimizer state holds " + state.firstMoment().length
                    + " values but the model has " + layout.size());
        }
        weights.layout().toPadded(state.firstMoment(), adam.firstMoment);
        weights.layout().toPadded(state.secondMoment(), adam.secondMoment);
    }

    @Override
    public void close() {
        // single-threaded so far: nothing to release
    }
}
