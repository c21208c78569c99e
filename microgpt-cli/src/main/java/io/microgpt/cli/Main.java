package io.microgpt.cli;

import io.microgpt.cli.sweep.SweepCommand;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code microgpt}: train a tiny GPT on a list of documents and sample from it.
 *
 * <p>{@link #run} keeps no state between calls: several threads may run command lines at once, each with its own
 * writers.
 */
@Command(name = "microgpt",
        mixinStandardHelpOptions = true,
        version = "microgpt-java 0.1.0",
        description = "Train a tiny GPT on one-document-per-line text (default: 32,033 names) and sample from it.",
        subcommands = {TrainCommand.class, SampleCommand.class, InfoCommand.class, TokenizerCommand.class, GradCheckCommand.class,
                BenchCommand.class, SweepCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code for bad input: flags, files, configurations. */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code for an unexpected internal failure. */
    static final int EXIT_FAILURE = 1;

    private Main() {
    }

    /**
     * Runs the command line and exits with its code. Output is UTF-8, as datasets are; standard output is
     * {@link StandardOutput}, whose failures end the command (see {@link OutputFailure}).
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(new OutputStreamWriter(new StandardOutput(), StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + Text.message(UsageError.message(ex)));
            UsageError.suggestion(ex).ifPresent(line -> err.println(Text.message(line)));
            err.println("try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        // help and version are printed by picocli itself: its output failing is told as a command's is
        cmd.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutputFailure e) {
                return outputFailed(e, err);
            }
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            OutputFailure outputFailure = OutputFailure.in(ex);
            if (outputFailure != null) return outputFailed(outputFailure, err);
            if (ex instanceof MicrogptException) {
                err.println("error: " + Text.message(ex.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            }
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError oom) return outOfMemory(oom, err);
            }
            err.println("error: internal failure: " + Text.message(ex.toString()));
            if (System.getenv("MICROGPT_DEBUG") != null) ex.printStackTrace(err);
            else err.println("(set MICROGPT_DEBUG=1 for the stack trace)");
            err.flush();
            return EXIT_FAILURE;
        });
        if (args.length == 0) {
            err.println("error: no command given: choose one of train, sample, info, gradcheck, bench, sweep (see the list below)");
            cmd.usage(err);
            err.flush();
            return EXIT_BAD_INPUT;
        }
        int code;
        try {
            code = cmd.execute(args);
        } catch (OutputFailure e) {
            code = outputFailed(e, err);
        } catch (OutOfMemoryError e) {
            code = outOfMemory(e, err);
        } catch (StackOverflowError e) {
            err.println("error: the input is nested too deeply to process (stack overflow); simplify it");
            code = EXIT_BAD_INPUT;
        } catch (Error e) {
            // picocli passes Errors on: still one line, never a stack trace unless asked for
            err.println("error: internal failure: " + Text.message(e.toString()));
            if (System.getenv("MICROGPT_DEBUG") != null) e.printStackTrace(err);
            code = EXIT_FAILURE;
        }
        try {
            out.flush();   // what the writer still holds: a failure here is the command's failure too
        } catch (OutputFailure e) {
            if (code == 0) code = outputFailed(e, err);
        }
        err.flush();
        return code;
    }

    /**
     * Standard output failed: a closed pipe ends the command quietly (its reader has what it wanted), anything
     * else is one error line.
     */
    private static int outputFailed(OutputFailure e, PrintWriter err) {
        if (e.readerGone()) return OutputFailure.EXIT_READER_GONE;
        err.println("error: " + Text.message(e.describe()));
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /**
     * What the size estimates did not foresee (or another program took the memory): one line and exit 2, since
     * the cause is the size asked for.
     */
    private static int outOfMemory(OutOfMemoryError e, PrintWriter err) {
        err.println("error: out of memory (" + Text.bounded(e.getMessage()) + ", heap limit " + Text.bytes(Runtime.getRuntime().maxMemory())
                + "): lower --n-embd, --n-layer, --block-size or --batch, use a smaller dataset,"
                + " or raise the heap (MICROGPT_JAVA_OPTS=-Xmx...)");
        err.flush();
        return EXIT_BAD_INPUT;
    }
}
