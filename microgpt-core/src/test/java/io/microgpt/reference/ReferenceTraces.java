package io.microgpt.reference;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.ParameterLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What microgpt.py computed with seed 42 and its defaults on the bundled names (copied from the project's
 * shared reference traces into test resources): the shuffled order, initial weights, step-1 gradients,
 * losses and printed output.
 */
public final class ReferenceTraces {
    private static final String DIR = "/io/microgpt/reference/";

    private ReferenceTraces() {
    }

    /** Lines of a trace file. */
    public static List<String> lines(String file) {
        InputStream in = ReferenceTraces.class.getResourceAsStream(DIR + file);
        if (in == null) throw new IllegalStateException("missing test resource " + DIR + file);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) out.add(line);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents in the order after random.shuffle. */
    public static List<String> shuffledDocuments() {
        return lines("microgpt-d16-seed42.docs.txt");
    }

    /** Everything the reference printed (step lines end in newline here). */
    public static List<String> stdout() {
        return lines("microgpt-d16-seed42.stdout.txt");
    }

    /** The loss of each step, index 0 = step 1. */
    public static double[] losses() {
        List<String> lines = lines("microgpt-d16-seed42.losses.tsv");
        double[] out = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) out[i - 1] = Double.parseDouble(lines.get(i).split("\t")[1]);
        return out;
    }

    /** A name/row/col/value table as a flat buffer in the layout of {@code config}. */
    public static double[] tensorTable(String file, ModelConfig config) {
        ParameterLayout layout = new ParameterLayout(config);
        double[] out = new double[layout.size()];
        boolean[] seen = new boolean[layout.size()];
        List<String> lines = lines(file);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            int index = layout.tensor(f[0]).index(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            out[index] = Double.parseDouble(f[3]);
            seen[index] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) throw new IllegalStateException(file + " has no value for parameter " + i);
        }
        return out;
    }

    /** The initial weights. */
    public static double[] initialWeights(ModelConfig config) {
        return tensorTable("microgpt-d16-seed42.init.tsv", config);
    }

    /** The gradient of step 1. */
    public static double[] stepOneGradient(ModelConfig config) {
        return tensorTable("microgpt-d16-seed42.grad-step1.tsv", config);
    }
}
