package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * One attempt at a run: {@code train} in a JVM of its own ({@link ChildJvm}), its output (standard output and
 * error together) appended to the run's log behind a header line, its progress read back from that log
 * ({@link LogTail}). Used by one thread, but for {@link #stop}, which any thread may call.
 */
final class RunProcess {
    private final PlannedRun run;
    private final RunFolder folder;
    private final Process process;
    private final LogTail tail;
    private final long startNanos;
    private final Instant started;
    private long firstStepNanos = -1;
    private int firstStep;

    private RunProcess(PlannedRun run, RunFolder folder, Process process, LogTail tail, long startNanos, Instant started) {
        this.run = run;
        this.folder = folder;
        this.process = process;
        this.tail = tail;
        this.startNanos = startNanos;
        this.started = started;
    }

    /** Starts {@code train} with these flags for the run, its output going to the run's log. */
    static RunProcess start(PlannedRun run, RunFolder folder, List<String> trainArgs, int attempt) {
        Path log = folder.log();
        List<String> command = ChildJvm.train(trainArgs);
        try {
            Files.createDirectories(folder.dir());
            String header = "== attempt " + attempt + " of run " + run.name() + ", " + Instant.now() + ": microgpt train "
                    + String.join(" ", trainArgs) + "\n";
            Files.writeString(log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long offset = Files.size(log);
            Instant started = Instant.now();
            long startNanos = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            return new RunProcess(run, folder, process, new LogTail(log, offset), startNanos, started);
        } catch (IOException e) {
            throw new MicrogptException("cannot start run " + run.index() + " (" + Text.shown(command.get(0)) + ", log "
                    + Text.shown(log) + "): " + Text.reason(e), e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    PlannedRun run() {
        return run;
    }

    RunFolder folder() {
        return folder;
    }

    /** Reads the log's new lines; returns where the run stands. */
    RunStatus poll() {
        tail.read();
        long now = System.nanoTime();
        if (firstStepNanos < 0 && tail.step() > Math.max(0, tail.resumedAt())) {
            firstStepNanos = now;
            firstStep = tail.step();
        }
        long eta = -1;
        if (firstStepNanos >= 0 && tail.step() > firstStep && tail.total() > 0) {
            double perStep = (now - firstStepNanos) / (double) (tail.step() - firstStep);
            eta = (long) (perStep * (tail.total() - tail.step()));
        }
        return new RunStatus(run, tail.step(), tail.total(), tail.loss(), tail.validation(), tail.resumedAt(), now - startNanos, eta);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code (call once it is no longer alive). */
    int exitCode() {
        return process.exitValue();
    }

    /** Asks the run to stop (SIGTERM): {@code train} saves its checkpoint and exits. */
    void stop() {
        process.destroy();
    }

    /** Waits up to the given time for the process to end; whether it did. */
    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Wall seconds since the attempt started. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    Instant started() {
        return started;
    }

    /** The last {@code error:} of the attempt's output, else its last line. */
    String failure() {
        tail.read();
        return tail.error() != null ? tail.error() : tail.lastLine();
    }
}
