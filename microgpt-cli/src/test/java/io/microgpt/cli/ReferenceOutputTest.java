package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgpt.reference.ReferenceTraces;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code microgpt train} prints exactly what microgpt.py printed: the shared seed-42 run with defaults, and runs
 * of other seeds and shapes that the reference program was run with (traces in test resources, named for their
 * flags: s=seed, e=n_embd, h=n_head, l=n_layer, b=block_size, n=steps).
 */
class ReferenceOutputTest {

    @Test
    void defaultTrainPrintsExactlyWhatTheReferencePrinted() {
        CliRunner r = CliRunner.run("train");
        assertEquals(0, r.exitCode(), r.err());
        assertLinesEqual(ReferenceTraces.stdout(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s7-e12-h3-l2-b8-n40", "s1234-e8-h2-l3-b12-n25", "s5-e20-h4-l1-b16-n60",
            "s3-e16-h4-l2-b16-n200", "s11-e32-h8-l1-b10-n100", "s9-e16-h4-l0-b16-n30", "s42-e16-h4-l1-b16-n0"})
    void otherSeedsAndShapesPrintExactlyWhatTheReferencePrinted(String trace) throws IOException {
        Matcher m = Pattern.compile("s(\\d+)-e(\\d+)-h(\\d+)-l(\\d+)-b(\\d+)-n(\\d+)").matcher(trace);
        if (!m.matches()) throw new IllegalArgumentException(trace);
        CliRunner r = CliRunner.run("train", "--seed", m.group(1), "--n-embd", m.group(2), "--n-head", m.group(3),
                "--n-layer", m.group(4), "--block-size", m.group(5), "--steps", m.group(6));
        assertEquals(0, r.exitCode(), r.err());
        assertLinesEqual(resourceLines("traces/" + trace + ".stdout.txt"), r.out());

        // and the raw losses, not just their four printed decimals
        List<String> lossLines = resourceLines("traces/" + trace + ".losses.tsv");
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend("scalar")
                .seed(Long.parseLong(m.group(1))).nEmbd(Integer.parseInt(m.group(2))).nHead(Integer.parseInt(m.group(3)))
                .nLayer(Integer.parseInt(m.group(4))).blockSize(Integer.parseInt(m.group(5)))
                .steps(Integer.parseInt(m.group(6))).start()) {
            for (String line : lossLines.subList(1, lossLines.size())) {
                if (line.isEmpty()) continue;
                double expected = Double.parseDouble(line.split("\t")[1]);
                StepReport step = run.step();
                assertEquals(expected, step.loss(), 1e-9 * expected, trace + " step " + step.step());
            }
            assertEquals(run.trainingConfig().steps(), run.stepsDone());
        }
    }

    /** Runs the port used to refuse or to get wrong: huge and negative seeds, a byte order mark (traces/README.md). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "seed-big-n20    | --seed 123456789012345678901234567890 --steps 20",
            "seed-minus7-n10 | --seed -7 --steps 10",
            "bom-s5-n20      | --data src/test/resources/io/microgpt/cli/traces/bom-names.txt --seed 5 --steps 20"})
    void casesBeyondTheDefaultsPrintExactlyWhatTheReferencePrinted(String trace, String flags, @TempDir Path dir) throws IOException {
        Path csv = dir.resolve("metrics.csv");
        List<String> args = new ArrayList<>(List.of("train", "--metrics", csv.toString()));
        args.addAll(List.of(flags.split(" ")));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertLinesEqual(resourceLines("traces/" + trace + ".stdout.txt"), r.out());

        // and the raw losses (the metrics file has them at full precision)
        List<String> expected = resourceLines("traces/" + trace + ".losses.tsv");
        List<String> rows = Files.readAllLines(csv);
        for (int step = 1; step < rows.size(); step++) {
            double want = Double.parseDouble(expected.get(step).split("\t")[1]);
            double got = Double.parseDouble(rows.get(step).split(",")[1]);
            assertEquals(want, got, 1e-9 * want, trace + " step " + step);
        }
        assertEquals(expected.stream().filter(l -> !l.isEmpty()).count(), rows.size(), "one row per step, and the header");
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = ReferenceOutputTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
        }
    }

    private static void assertLinesEqual(List<String> expected, String actualText) {
        List<String> exp = new ArrayList<>(expected);
        while (!exp.isEmpty() && exp.get(exp.size() - 1).isEmpty()) exp.remove(exp.size() - 1);
        List<String> act = new ArrayList<>(List.of(actualText.split("\n", -1)));
        while (!act.isEmpty() && act.get(act.size() - 1).isEmpty()) act.remove(act.size() - 1);
        for (int i = 0; i < Math.min(exp.size(), act.size()); i++) {
            assertEquals(exp.get(i), act.get(i), "line " + (i + 1));
        }
        assertEquals(exp.size(), act.size(), "number of lines");
    }
}
