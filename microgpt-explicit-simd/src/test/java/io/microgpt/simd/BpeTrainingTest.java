package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import io.microgpt.scalar.ScalarBackend;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both backends with a byte-level BPE vocabulary: the f32 gradients against the exact scalar ones, and runs that
 * resume bit for bit in both layouts (the checkpoint carries the tokenizer; the data is encoded with it again).
 */
class BpeTrainingTest {
    private static final TextStream SHAKESPEARE = TextStream.load(Path.of("../examples/tinyshakespeare.txt"));
    private static final double VALIDATION = 0.1;
    private static final BpeTokenizer BPE = new BpeTrainer(512, true)
            .train(SHAKESPEARE.trainingTexts(BigInteger.ONE, VALIDATION));
    private static final TextStream ENCODED = SHAKESPEARE.withTokenizer(BPE, VALIDATION);

    @TempDir
    Path dir;

    @Test
    void theStreamIsEncodedFromItsTrainingPartOnly() {
        assertEquals(SHAKESPEARE.size(), ENCODED.size(), "the size stays the text's characters");
        String text = SHAKESPEARE.text();
        int split = text.offsetByCodePoints(0, (int) (SHAKESPEARE.size() * (1 - VALIDATION)));
        assertEquals(text.substring(0, split), String.join("", SHAKESPEARE.trainingTexts(BigInteger.ONE, VALIDATION)));
        int[] all = new int[ENCODED.length()];
        ENCODED.copy(0, all);
        int training = ENCODED.trainingLength(VALIDATION);
        assertEquals(text.substring(0, split), BPE.decode(java.util.Arrays.copyOf(all, training)), "the training tokens");
        assertEquals(text.substring(split), BPE.decode(java.util.Arrays.copyOfRange(all, training, all.length)),
                "the validation tokens, encoded apart");
        assertTrue(ENCODED.length() < SHAKESPEARE.length() * 0.55, "512 tokens compress about 1.9x: " + ENCODED.length());
    }

    @Test
    void simdGradientsMatchScalarWithABpeVocabulary() {
        ModelConfig config = new ModelConfig(BPE.vocabSize(), 16, 4, 2, 32, ModelConfig.DEFAULT_INIT_STD);
        Parameters weights = Parameters.initialize(config, new PyRandom(7));
        PyRandom r = new PyRandom(3);
        int[][] batch = new int[4][33];
        for (int[] window : batch) ENCODED.copy(r.randBelow(ENCODED.trainingLength(VALIDATION) - 32), window);
        try (Engine scalar = new ScalarBackend().open(weights); Engine simd = new SimdBackend().open(weights)) {
            double[] expected = new double[weights.size()];
            double[] actual = new double[weights.size()];
            double expectedLoss = scalar.lossAndGradient(batch, expected);
            double actualLoss = simd.lossAndGradient(batch, actual);
            assertEquals(expectedLoss, actualLoss, 1e-5 * expectedLoss, "loss of 4 windows over 513 tokens");
            // as GradientParityTest: 1e-4 x the tensor's largest gradient
            Fixtures.assertGradientsClose(weights.layout(), expected, actual);
        }
    }

    @Test
    void aBpeStreamRunResumesBitForBit() {
        resumesBitForBit(ENCODED, SHAKESPEARE, "simd", 8);
    }

    @Test
    void aBpeDocumentRunResumesBitForBitOnBothBackends() {
        Dataset names = Dataset.bundledNames();
        BpeTokenizer bpe = new BpeTrainer(300, false).train(names.trainingTexts(BigInteger.valueOf(5), VALIDATION));
        TrainingData encoded = names.withTokenizer(bpe, VALIDATION);
        resumesBitForBit(encoded, names, "simd", 8);
        resumesBitForBit(encoded, names, "scalar", 1);
    }

    /** 10 steps straight, and 4 then a resume from the checkpoint on the data as loaded (re-encoded from it). */
    private void resumesBitForBit(TrainingData encoded, TrainingData asLoaded, String backend, int batch) {
        List<Long> straight = new ArrayList<>();
        try (TrainingRun r = run(encoded, backend, batch).start()) {
            r.train(report -> straight.add(Double.doubleToRawLongBits(report.loss())));
        }
        Path file = dir.resolve(backend + encoded.layout().flag() + ".safetensors");
        List<Long> interrupted = new ArrayList<>();
        try (TrainingRun r = run(encoded, backend, batch).start()) {
            for (int i = 0; i < 4; i++) interrupted.add(Double.doubleToRawLongBits(r.step().loss()));
            r.save(file, true);
        }
        Checkpoint saved = Checkpoint.read(file);
        assertEquals(BpeTokenizer.KIND, saved.tokenizer().kind());
        try (TrainingRun r = TrainingRun.resume(asLoaded, saved, Backends.byName(backend), EngineOptions.defaults())) {
            assertEquals(encoded.tokenizer().serialized(), r.tokenizer().serialized());
            r.train(report -> interrupted.add(Double.doubleToRawLongBits(report.loss())));
        }
        assertEquals(straight, interrupted, backend + " " + encoded.layout().flag() + ": resumed at step 4");
    }

    private static TrainingRun.Builder run(TrainingData data, String backend, int batch) {
        return TrainingRun.builder(data).nEmbd(16).nHead(4).nLayer(1).blockSize(16).steps(10).batchSize(batch)
                .learningRate(3e-3).seed(5).validationFraction(VALIDATION).backend(backend);
    }
}
