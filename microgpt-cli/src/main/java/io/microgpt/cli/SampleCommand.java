package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.Dataset;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.Sampler;
import io.microgpt.core.Text;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code microgpt sample}: generate documents from a saved model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate names (documents) from a checkpoint saved by 'train --save'.",
                "Without --seed, a checkpoint with training state continues the run's random stream,"
                        + " so it prints the names that train printed after saving it."})
final class SampleCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "the checkpoint (.safetensors) to sample from")
    private Path model;

    @Mixin
    private SamplingOptions sampling;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
            description = "draw only among the K most likely next characters; 0 = all (default: ${DEFAULT-VALUE})")
    private int topK;

    @Option(names = "--seed", paramLabel = "N",
            description = "random seed (default: the saved random state, or the run's seed for a weights-only file)")
    private BigInteger seed;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "",
            description = "every sample starts with this text (characters of the vocabulary, shorter than the block size)")
    private String prefix;

    @Option(names = "--data", paramLabel = "FILE",
            description = "mark the samples that occur verbatim in this file (e.g. the training data)")
    private Path data;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "backend to compute with (default: the one that wrote the file if it runs here, else scalar)")
    private String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "worker threads; 0 = automatic (default: ${DEFAULT-VALUE})")
    private int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        sampling.validate();
        if (topK < 0) throw new MicrogptException("--top-k must be 0 (all) or positive, got " + topK);
        Checkpoint checkpoint = Checkpoint.read(model);
        try {
            checkpoint.tokenizer().encode(prefix);
        } catch (MicrogptException e) {
            throw new MicrogptException("--prefix " + Text.quote(prefix) + ": " + e.getMessage());
        }
        if (prefix.codePointCount(0, prefix.length()) >= checkpoint.modelConfig().blockSize()) {
            throw new MicrogptException("--prefix " + Text.quote(prefix) + " must be shorter than the block size "
                    + checkpoint.modelConfig().blockSize());
        }
        Backend chosen = backend(checkpoint.backend());
        MemoryEstimate.sampling(chosen, checkpoint.modelConfig()).check(Runtime.getRuntime().maxMemory());
        Set<String> known = data == null ? Set.of() : new HashSet<>(Dataset.load(data).documents());
        PyRandom rng = seed != null ? new PyRandom(seed)
                : checkpoint.trainingState().map(s -> PyRandom.fromState(s.random()))
                        .orElseGet(() -> new PyRandom(checkpoint.trainingConfig().seed()));
        int inData = 0;
        try (Engine engine = chosen.open(checkpoint.parameters(), new EngineOptions(threads))) {
            Sampler sampler = new Sampler(engine, checkpoint.tokenizer());
            out.println("--- inference (new, hallucinated names) ---");
            for (int i = 1; i <= sampling.samples; i++) {
                String name = sampler.sample(rng, sampling.temperature, topK, prefix);
                boolean seen = known.contains(name);
                if (seen) inData++;
                // a vocabulary may hold a newline or an escape sequence: one sample stays one line, shown not obeyed
                out.println(String.format("sample %2d: %s%s", i, Text.line(name), seen ? "  (in the data)" : ""));
            }
        }
        if (data != null) out.println(inData + " of " + sampling.samples + " samples occur verbatim in " + Text.shown(data));
        out.flush();
        return 0;
    }

    private Backend backend(String writer) {
        if (backend != null) return Backends.byName(backend);
        for (Backend b : Backends.available()) if (b.name().equals(writer)) return b;
        return Backends.reference();
    }
}
