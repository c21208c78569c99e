package io.microgpt.cli.sweep;

import io.microgpt.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the CLI in-process and keeps what it printed. */
record SweepCli(int exitCode, String out, String err) {
    /** Tiny runs: a few steps of a model of a few thousand parameters, evaluated on 16 held-out names. */
    static final List<String> TINY = List.of("--n-head", "2", "--block-size", "8", "--eval-docs", "16", "--samples", "1");

    static SweepCli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new SweepCli(code, out.toString(), err.toString());
    }

    /** {@code sweep} with the given words, then {@link #TINY}. */
    static SweepCli sweep(String... words) {
        List<String> args = new ArrayList<>();
        args.add("sweep");
        args.addAll(Arrays.asList(words));
        args.addAll(TINY);
        return run(args.toArray(String[]::new));
    }

    String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
