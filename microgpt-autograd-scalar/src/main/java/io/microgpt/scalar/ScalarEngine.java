package io.microgpt.scalar;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Batches;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.Parameters;

/**
 * The reference engine: each step records the GPT on a {@link Tape}, runs backward, and applies Adam in
 * double precision. The parameters are the tape's leaves, so nothing is copied between steps.
 */
final class ScalarEngine implements Engine {
    private final ModelConfig config;
    private final int parameterCount;
    private final Tape tape;
    private final ScalarGpt gpt;
    private final double[] firstMoment;
    private final double[] secondMoment;

    ScalarEngine(Parameters initial) {
        this.config = initial.config();
        this.parameterCount = initial.size();
        this.tape = new Tape(parameterCount, parameterCount * 4, parameterCount * 16);
        System.arraycopy(initial.data(), 0, tape.values(), 0, parameterCount);
        this.gpt = new ScalarGpt(config, tape);
        this.firstMoment = new double[parameterCount];
        this.secondMoment = new double[parameterCount];
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public double trainStep(int[][] documents, AdamStep step) {
        double loss = forwardBackward(documents);
        Adam.update(tape.values(), tape.grads(), firstMoment, secondMoment, parameterCount, step);
        return loss;
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradient) {
        if (gradient.length != parameterCount) {
            throw new MicrogptException("gradient buffer holds " + gradient.length + " values but the model has " + parameterCount);
        }
        double loss = forwardBackward(documents);
        System.arraycopy(tape.grads(), 0, gradient, 0, parameterCount);
        return loss;
    }

    @Override
    public double loss(int[][] documents) {
        Batches.check(documents, config);
        tape.reset();
        return tape.value(gpt.batchLoss(documents));
    }

    private double forwardBackward(int[][] documents) {
        Batches.check(documents, config);
        tape.reset();
        int loss = gpt.batchLoss(documents);
        tape.backward(loss);
        return tape.value(loss);
    }

    /** The tape's bytes: its values, gradients, edges and backward schedule, grown to the largest step seen so far. */
    @Override
    public long workingSetBytes() {
        return tape.bytes();
    }

    @Override
    public LogitStream openStream() {
        return new ScalarLogitStream(config, tape.values());
    }

    @Override
    public Parameters parameters() {
        Parameters p = Parameters.zeros(config);
        System.arraycopy(tape.values(), 0, p.data(), 0, parameterCount);
        return p;
    }

    @Override
    public void loadParameters(Parameters parameters) {
        if (!parameters.config().equals(config)) {
            throw new MicrogptException("parameters are for " + parameters.config() + ", this engine is " + config);
        }
        tape.reset();
        System.arraycopy(parameters.data(), 0, tape.values(), 0, parameterCount);
    }

    @Override
    public OptimizerState optimizerState() {
        return new OptimizerState(firstMoment.clone(), secondMoment.clone());
    }

    @Override
    public void loadOptimizerState(OptimizerState state) {
        if (state.firstMoment().length != parameterCount) {
            throw new MicrogptException("optimizer state holds " + state.firstMoment().length
                    + " values but the model has " + parameterCount);
        }
        System.arraycopy(state.firstMoment(), 0, firstMoment, 0, parameterCount);
        System.arraycopy(state.secondMoment(), 0, secondMoment, 0, parameterCount);
    }

    @Override
    public void close() {
        // nothing to release: the tape is garbage once the engine is
    }
}
