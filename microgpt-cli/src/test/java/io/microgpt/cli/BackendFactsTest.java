package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.checkpoint.SafetensorsFile;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.EngineOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facts core asks the backends for instead of knowing them by name: which one is the reference, and in which
 * precision each one's checkpoints are written. Here both real backends are on the class path.
 */
class BackendFactsTest {
    @TempDir
    Path dir;

    @Test
    void theReferenceIsTheScalarBackendListedFirst() {
        Backend reference = Backends.reference();
        assertEquals("scalar", reference.name());
        assertTrue(reference.isReference());
        assertEquals(reference.name(), Backends.all().get(0).name(), "reference first: " + Backends.all());
        long references = Backends.all().stream().filter(Backend::isReference).count();
        assertEquals(1, references, "exactly one reference among " + Backends.all());
    }

    @Test
    void aRunWithoutABackendUsesTheReference() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).nEmbd(8).steps(1).start()) {
            assertEquals(Backends.reference().name(), run.backend().name());
            assertEquals(Backends.reference().defaultBatchSize(), run.trainingConfig().batchSize());
        }
    }

    @Test
    void checkpointsAreWrittenInTheirBackendsPrecision() {
        List<Backend> backends = Backends.available();
        assertFalse(backends.isEmpty());
        for (Backend backend : backends) {
            try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).nEmbd(8).steps(2).batchSize(2)
                    .backend(backend).engineOptions(new EngineOptions(1)).start()) {
                run.step();
                Path saved = dir.resolve(backend.name() + "-saved.safetensors");
                Path written = dir.resolve(backend.name() + "-written.safetensors");
                run.save(saved, true);
                run.checkpoint(true).write(written);   // no dtype given: the one of the backend the checkpoint names
                for (Path file : List.of(saved, written)) {
                    for (SafetensorsFile.Tensor t : Checkpoint.read(file).tensors()) {
                        assertEquals(backend.precision(), t.dtype(), backend.name() + " " + file.getFileName() + " " + t.name());
                    }
                }
            }
        }
        assertEquals(DType.F64, Backends.reference().precision(), "the reference computes in f64");
    }
}
