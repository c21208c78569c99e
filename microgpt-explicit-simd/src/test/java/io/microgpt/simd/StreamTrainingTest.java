package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import io.microgpt.scalar.ScalarBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream layout and the training controls on the f32 backend: gradients against the exact scalar backend
 * at block 64, the controls' updates against the f64 optimizer, bit-exact resume at one and two threads, and a
 * short run on the bundled Shakespeare that learns.
 */
class StreamTrainingTest {
    private static final TextStream SHAKESPEARE = TextStream.load(Path.of("../examples/tinyshakespeare.txt"));
    private static final int STEPS = 2;
    private static final TrainingControls ALL_ON = new TrainingControls(2, TrainingControls.Schedule.COSINE, 1e-4, 0.1, 0.5);

    @TempDir
    Path dir;

    private static int[][] windows(int count, int blockSize, int seed) {
        PyRandom r = new PyRandom(seed);
        int[][] w = new int[count][blockSize + 1];
        for (int[] window : w) SHAKESPEARE.copy(r.randBelow(SHAKESPEARE.length() - blockSize), window);
        return w;
    }

    @Test
    void gradientsAndControlledUpdatesMatchScalarAtBlock64() {
        ModelConfig config = new ModelConfig(SHAKESPEARE.tokenizer().vocabSize(), 16, 4, 2, 64, ModelConfig.DEFAULT_INIT_STD);
        Parameters weights = Parameters.initialize(config, new PyRandom(11));
        int[][] batch = windows(3, 64, 5);
        TrainingConfig training = new TrainingConfig(10, 3, 3e-3, 0.9, 0.99, 1e-8, 1, ALL_ON);
        int bos = SHAKESPEARE.tokenizer().bos();
        try (Engine scalar = new ScalarBackend().open(weights); Engine simd = new SimdBackend().open(weights)) {
            double[] expected = new double[weights.size()];
            double[] actual = new double[weights.size()];
            double expectedLoss = scalar.lossAndGradient(batch, expected);
            double actualLoss = simd.lossAndGradient(batch, actual);
            assertEquals(expectedLoss, actualLoss, 1e-5 * expectedLoss, "loss of 3 windows of 64 positions");
            // same bounds as GradientParityTest: 1e-4 x the tensor's largest gradient
            Fixtures.assertGradientsClose(weights.layout(), expected, actual);
            // the clipping factor of this gradient, from the f32 norm and from the f64 one
            AdamStep first = AdamStep.of(training, 0);
            PaddedLayout padded = new PaddedLayout(weights.layout());
            float[] paddedGradient = new float[padded.size()];
            padded.toPadded(expected, paddedGradient);
            double norm = Adam.norm(expected, expected.length);
            assertTrue(norm > 0.5, "this gradient is clipped (norm " + norm + ")");
            // f32 squares of ~20,000 gradients summed in 4 to 16 lanes: a relative error of a few 1e-6 at most
            assertEquals(first.clipScale(norm), AdamF32.clipScale(paddedGradient, first), 1e-5 * first.clipScale(norm));
            // two steps with warm-up, cosine, decay and clipping: the losses stay together...
            for (int k = 0; k < STEPS; k++) {
                AdamStep step = AdamStep.of(training, k);
                double ls = scalar.trainStep(batch, step);
                double lf = simd.trainStep(batch, step);
                assertEquals(ls, lf, 1e-4 * ls, "loss before step " + (k + 1));
            }
            assertEquals(scalar.loss(batch), simd.loss(batch), 1e-4 * scalar.loss(batch), "loss after the steps");
            // ...and BOS's embedding row, which no window uses (gradient 0), only decays: w * (1 - lr_k * 0.1) per step
            Parameters ws = scalar.parameters();
            Parameters wf = simd.parameters();
            TensorSpec wte = weights.layout().tensor("wte");
            for (int c = 0; c < config.nEmbd(); c++) {
                double w = weights.data()[wte.index(bos, c)];
                for (int k = 0; k < STEPS; k++) w -= training.learningRateAt(k) * 0.1 * w;
                assertEquals(w, ws.data()[wte.index(bos, c)], 1e-15, "scalar wte[BOS, " + c + "]");
                assertEquals(w, wf.data()[wte.index(bos, c)], 1e-7 * Math.abs(w) + 1e-9, "simd wte[BOS, " + c + "]");
            }
        }
    }

    private static TrainingRun.Builder run(int threads) {
        return TrainingRun.builder(SHAKESPEARE).nEmbd(16).nHead(4).nLayer(1).blockSize(32).steps(12).batchSize(8)
                .learningRate(3e-3).betas(0.9, 0.99).controls(ALL_ON).seed(9).backend("simd")
                .engineOptions(new EngineOptions(threads));
    }

    private static List<Long> lossBits(TrainingRun run, List<Long> into) {
        run.train(r -> into.add(Double.doubleToRawLongBits(r.loss())));
        return into;
    }

    @Test
    void streamRunResumesBitForBitAtOneAndTwoThreads() {
        List<Long> reference = null;
        for (int threads : new int[] {1, 2}) {
            List<Long> uninterrupted;
            try (TrainingRun r = run(threads).start()) {
                uninterrupted = lossBits(r, new ArrayList<>());
            }
            if (reference == null) reference = uninterrupted;
            assertEquals(reference, uninterrupted, "two threads give the losses of one, clipping included");
            Path file = dir.resolve("t" + threads + ".safetensors");
            List<Long> losses = new ArrayList<>();
            try (TrainingRun r = run(threads).start()) {
                for (int i = 0; i < 5; i++) losses.add(Double.doubleToRawLongBits(r.step().loss()));
                r.save(file, true);
            }
            try (TrainingRun r = TrainingRun.resume(SHAKESPEARE, Checkpoint.read(file), Backends.byName("simd"),
                    new EngineOptions(threads))) {
                lossBits(r, losses);
            }
            assertEquals(uninterrupted, losses, "resumed at step 5 on " + threads + " thread(s)");
        }
    }

    @Test
    void aShortRunOnTheBundledShakespeareLowersTheValidationLossWellBelowItsStart() {
        try (TrainingRun r = TrainingRun.builder(SHAKESPEARE).nEmbd(32).nHead(4).nLayer(1).blockSize(32).steps(250)
                .batchSize(16).learningRate(1e-2).betas(0.9, 0.99)
                .controls(new TrainingControls(20, TrainingControls.Schedule.COSINE, 1e-3, 0, 1.0))
                .seed(1).backend("simd").start()) {
            int[][] validation = r.validationSamples(64);
            assertEquals(64, validation.length);
            double before = r.meanLoss(validation);
            r.train(report -> { });
            double after = r.meanLoss(validation);
            // uniform over 66 tokens is ln 66 = 4.19; bigram statistics alone reach about 2.5
            assertTrue(before > 4.0, "starts near ln(vocab): " + before);
            assertTrue(after < 2.8, "validation loss " + before + " -> " + after);
        }
    }
}
