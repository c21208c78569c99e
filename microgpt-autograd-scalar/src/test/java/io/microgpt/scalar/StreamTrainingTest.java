package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.spi.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream-layout run on the exact backend, with every training control on: reproducible and resumable bit for bit. */
class StreamTrainingTest {
    private static final String TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
            + "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n";
    private static final TextStream STREAM = TextStream.of("citizens", TEXT.repeat(4));
    private static final TrainingControls CONTROLS = new TrainingControls(3, TrainingControls.Schedule.COSINE, 1e-3, 0.1, 0.5);
    private static final int STEPS = 14;

    @TempDir
    Path dir;

    private static TrainingRun.Builder builder() {
        return TrainingRun.builder(STREAM).nEmbd(8).nHead(2).blockSize(16).steps(STEPS).batchSize(2).learningRate(0.01)
                .betas(0.9, 0.95).controls(CONTROLS).seed(3).backend("scalar");
    }

    private static List<Long> lossBits(TrainingRun run, List<Long> into) {
        run.train(r -> into.add(Double.doubleToRawLongBits(r.loss())));
        return into;
    }

    @Test
    void streamRunResumesBitForBitWithItsControls() {
        List<Long> uninterrupted;
        String passage;
        double[] finalWeights;
        try (TrainingRun run = builder().start()) {
            uninterrupted = lossBits(run, new ArrayList<>());
            finalWeights = run.engine().parameters().data();
            passage = run.generate("All:", 40, SamplingSettings.ofTemperature(0.8), null);
        }
        Path file = dir.resolve("stream.safetensors");
        List<Long> losses = new ArrayList<>();
        try (TrainingRun run = builder().start()) {
            for (int i = 0; i < 6; i++) losses.add(Double.doubleToRawLongBits(run.step().loss()));
            run.save(file, true);
        }
        Checkpoint saved = Checkpoint.read(file);
        assertEquals(DataLayout.STREAM, saved.layout());
        assertEquals(CONTROLS, saved.trainingConfig().controls(), "the controls are recorded in the checkpoint");
        assertEquals(0.9, saved.trainingConfig().beta1());
        assertEquals(STREAM.length(), saved.data().documents());
        try (TrainingRun run = TrainingRun.resume(STREAM, saved, Backends.byName("scalar"), EngineOptions.defaults())) {
            assertEquals(CONTROLS, run.trainingConfig().controls(), "and honoured on resume");
            lossBits(run, losses);
            assertEquals(uninterrupted, losses, "losses of the resumed run");
            double[] w = run.engine().parameters().data();
            for (int i = 0; i < w.length; i++) {
                if (Double.doubleToRawLongBits(w[i]) != Double.doubleToRawLongBits(finalWeights[i])) {
                    throw new AssertionError("weight " + i + ": " + w[i] + " vs uninterrupted " + finalWeights[i]);
                }
            }
            assertEquals(passage, run.generate("All:", 40, SamplingSettings.ofTemperature(0.8), null),
                    "the passage after the run continues the same random stream");
        }
    }

    @Test
    void aStreamCheckpointResumesOnlyOnItsOwnText() {
        Path file = dir.resolve("s.safetensors");
        try (TrainingRun run = builder().start()) {
            run.step();
            run.save(file, true);
        }
        Checkpoint saved = Checkpoint.read(file);
        TextStream other = TextStream.of("other", TEXT.repeat(4).replace("speak", "SPEAK"));
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> TrainingRun.resume(other, saved, Backends.byName("scalar"), EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("not the one the run trained on"), e.getMessage());
        e = assertThrows(MicrogptException.class,
                () -> TrainingRun.resume(Dataset.of("d", List.of("a")), saved, Backends.byName("scalar"), EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("stream layout"), e.getMessage());
    }

    @Test
    void streamTrainingLowersTheLossOnItsText() {
        try (TrainingRun run = TrainingRun.builder(STREAM).nEmbd(16).nHead(2).blockSize(16).steps(60).batchSize(4)
                .learningRate(0.01).validationFraction(0).seed(1).backend("scalar").start()) {
            double first = run.step().loss();
            double last = 0;
            for (int i = 1; i < 60; i++) last = run.step().loss();
            assertTrue(first > 3.0 && last < first - 0.8, "loss " + first + " -> " + last);
            assertEquals(List.of(), run.trainingDocuments(), "a stream has no documents");
            assertEquals(0, run.heldOutCount());
        }
    }
}
