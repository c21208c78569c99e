package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import io.microgpt.reference.ReferenceTraces;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's library example compiles (it is the body of {@link #example()}), runs, and is what the README shows. */
class ReadmeExampleTest {
    private static final Path SELF = Path.of("src/test/java/io/microgpt/cli/ReadmeExampleTest.java");
    private static final Path README = Path.of("../README.md");

    static void example() {
        // README begin
        Dataset names = Dataset.bundledNames();                 // or Dataset.load(Path.of("examples/cities.txt"))
        try (TrainingRun run = TrainingRun.builder(names)
                .backend("scalar")                               // or any name in Backends.available()
                .nEmbd(16).nHead(4).nLayer(1).blockSize(16)
                .steps(1000).learningRate(0.01).seed(42)
                .validationFraction(0.1)                         // hold out the last 10% of the shuffled documents
                .start()) {                                      // seeds, shuffles, initialises, opens the engine
            run.train(step -> {                                  // a TrainingListener: drive your own progress display
                if (step.step() % 100 == 0) System.out.printf("step %4d | loss %.4f%n", step.step(), step.loss());
            });
            System.out.printf("validation loss %.4f%n", run.meanLoss(run.validationDocuments().subList(0, 200)));
            run.save(Path.of("names.safetensors"), true);       // weights, Adam state, random state: resumable
            for (int i = 0; i < 20; i++) System.out.println(run.sample(0.5));
        }
        // README end
    }

    @Test
    void readmeShowsExactlyTheCodeThatThisTestRuns() throws Exception {
        String source = Files.readString(SELF);
        String body = source.substring(source.indexOf("// README begin\n") + "// README begin\n".length(),
                source.indexOf("        // README end"));
        String readme = Files.readString(README);
        int section = readme.indexOf("## Using the library");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String block = readme.substring(start, readme.indexOf("```\n", start));
        // The block starts with the imports the example needs (each one this file's own), then a blank line.
        String imports = block.substring(0, block.indexOf("\n\n") + 1);
        for (String line : imports.lines().toList()) {
            assertTrue(line.startsWith("import ") && source.contains("\n" + line + "\n"), "not an import of this test: " + line);
        }
        assertEquals(block.substring(imports.length() + 1),
                body.lines().map(l -> l.substring(Math.min(8, l.length()))).collect(Collectors.joining("\n", "", "\n")));
    }

    @Test
    void theExampleTrainsValidatesSavesAndSamplesTheReferenceNames() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Path saved = Path.of("names.safetensors");   // where the example saves: the module folder, removed below
        try {
            example();
            Checkpoint checkpoint = Checkpoint.read(saved);
            assertEquals(1000, checkpoint.stepsDone());
            assertEquals(0.1, checkpoint.validationFraction());
        } finally {
            System.setOut(original);
            Files.deleteIfExists(saved);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertEquals(10 + 1 + 20, lines.size(), String.join("\n", lines));
        assertEquals("step 1000 | loss 2.6497", lines.get(9), "held-out documents come last: training is the reference's");
        assertTrue(lines.get(10).matches("validation loss 2\\.\\d{4}"), lines.get(10));
        // Evaluation draws no random numbers, so sampling continues the reference's stream: its 20 names.
        List<String> reference = ReferenceTraces.stdout();
        List<String> names = reference.subList(reference.size() - 20, reference.size()).stream()
                .map(l -> l.substring("sample  1: ".length())).collect(Collectors.toList());
        assertEquals(names, lines.subList(11, 31));
    }
}
