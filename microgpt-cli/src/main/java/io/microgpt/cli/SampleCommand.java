package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.Text;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.sampling.Sampler;
import io.microgpt.core.sampling.TextGenerator;
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
                        + " so it prints the names that train printed after saving it.",
                "A model trained with --layout stream generates --length characters instead, printed as they come,"
                        + " past the block size (the context slides: the oldest character drops)."})
final class SampleCommand implements Callable<Integer> {
    /** Characters a stream model generates unless {@code --length} says otherwise. */
    static final int DEFAULT_LENGTH = 500;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "the checkpoint (.safetensors) to sample from")
    private Path model;

    @Mixin
    private SamplingOptions sampling;

    @Option(names = "--length", paramLabel = "N",
            description = "characters to generate, for models trained with --layout stream (default: " + DEFAULT_LENGTH + ")")
    private Integer length;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + SamplingSettings.DEFAULT_TOP_K,
            description = "draw only among the K most likely next characters; 0 = all (default: ${DEFAULT-VALUE})")
    private int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1",   // "1", not "1.0": DefaultsTest holds it to core's
            description = "draw only among the most likely next characters whose probabilities sum to at least P; 1 = all"
                    + " (default: ${DEFAULT-VALUE})")
    private double topP;

    @Option(names = "--seed", paramLabel = "N",
            description = "random seed (default: the saved random state, or the run's seed for a weights-only file)")
    private BigInteger seed;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "",
            description = "every sample starts with this text (characters of the vocabulary, shorter than the block size);"
                    + " for a stream model, the text to continue (any length; default: a newline, not printed)")
    private String prefix;

    @Option(names = "--data", paramLabel = "FILE",
            description = "mark the samples that occur verbatim in this file (e.g. the training data; names models only)")
    private Path data;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "backend to compute with (default: the one that wrote the file if it runs here, else scalar)")
    private String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "worker threads; 0 = automatic (default: ${DEFAULT-VALUE})")
    private int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        sampling.validate(topK, topP);
        EngineOptions.checkThreads(threads, Flags::of);
        if (length != null && length <= 0) throw new MicrogptException("--length must be positive, got " + length);
        Checkpoint checkpoint = Checkpoint.read(model, "--model");
        SamplingSettings settings = new SamplingSettings(sampling.temperature, topK, topP);
        if (checkpoint.layout() == DataLayout.STREAM) return generate(checkpoint, settings, out);
        if (length != null) {
            throw new MicrogptException("--length is for models trained with --layout stream; " + model
                    + " generates names (one per line): use --samples N");
        }
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
        Set<String> known = data == null ? Set.of() : new HashSet<>(Dataset.load(data, "--data").documents());
        PyRandom rng = random(checkpoint);
        int inData = 0;
        try (Engine engine = chosen.open(checkpoint.parameters(), new EngineOptions(threads))) {
            Sampler sampler = new Sampler(engine, checkpoint.tokenizer());
            out.println("--- inference (new, hallucinated names) ---");
            for (int i = 1; i <= sampling.samples; i++) {
                String name = sampler.sample(rng, settings, prefix);
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

    /** A stream model: {@code --length} characters after the prefix, each printed (and flushed) as it is drawn. */
    private int generate(Checkpoint checkpoint, SamplingSettings settings, PrintWriter out) {
        var parsed = spec.commandLine().getParseResult();
        for (String linesOnly : new String[] {"--samples", "--data"}) {
            if (parsed.hasMatchedOption(linesOnly)) {
                throw new MicrogptException(linesOnly + " is for models of names (--layout lines); " + model
                        + " was trained on a text stream: use --length N");
            }
        }
        try {
            checkpoint.tokenizer().encode(prefix);
        } catch (MicrogptException e) {
            throw new MicrogptException("--prefix " + Text.quote(prefix) + ": " + e.getMessage());
        }
        PyRandom rng = random(checkpoint);
        Backend chosen = backend(checkpoint.backend());
        MemoryEstimate.sampling(chosen, checkpoint.modelConfig()).check(Runtime.getRuntime().maxMemory());
        try (Engine engine = chosen.open(checkpoint.parameters(), new EngineOptions(threads))) {
            TextGenerator generator = new TextGenerator(engine, checkpoint.tokenizer());
            out.print(prefix);
            out.flush();
            generator.generate(prefix, length != null ? length : DEFAULT_LENGTH, settings, rng, cp -> {
                // a text's own line breaks and tabs are printed; any other control character is shown, not obeyed
                boolean layout = cp == '\n' || cp == '\t';
                out.print(layout || !Text.isHidden(cp) ? new String(Character.toChars(cp)) : Text.shown(new String(Character.toChars(cp))));
                out.flush();
            });
            out.println();
            out.flush();
        }
        return 0;
    }

    private PyRandom random(Checkpoint checkpoint) {
        return seed != null ? new PyRandom(seed)
                : checkpoint.trainingState().map(s -> PyRandom.fromState(s.random()))
                        .orElseGet(() -> new PyRandom(checkpoint.trainingConfig().seed()));
    }

    private Backend backend(String writer) {
        if (backend != null) return Backends.byName(backend);
        for (Backend b : Backends.available()) if (b.name().equals(writer)) return b;
        return Backends.reference();
    }
}
