package io.microgpt.cli.sweep;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.SaveLock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a list of a plan's runs, up to {@code parallel} at a time, each an attempt of {@code train} in its own JVM
 * ({@link RunProcess}) in its own folder; records each finished run in {@code results.jsonl}.
 *
 * <p>Before an attempt the run's lock is taken (so that a run is never trained by two processes at once, e.g. a
 * resubmitted array task beside a local sweep), and the run's folder is looked at: a run whose checkpoint has
 * all its steps is recorded without training (a process died between its end and its result line), one with
 * a checkpoint of fewer steps is resumed from it ({@code train --resume}), else it starts afresh.
 *
 * <p>Ctrl-C or SIGTERM on the sweep asks every running run to stop (SIGTERM: each saves its checkpoint), starts
 * no more, and waits for them before the JVM exits; on a terminal Ctrl-C reaches the runs directly too.
 * Used from one thread (the stop from the JVM's shutdown hook is the one exception, and is synchronised).
 */
final class SweepRunner {
    /** How long a stopping sweep waits for its runs to save and exit. */
    static final long STOP_WAIT_SECONDS = 300;
    private static final long POLL_MILLIS = 200;
    private static volatile String hostName;

    /** What became of the runs asked for. */
    record Outcome(int finished, int alreadyFinished, List<String> failed, int stopped, int leftToOthers) {
        boolean allFinished() {
            return failed.isEmpty() && stopped == 0 && leftToOthers == 0;
        }
    }

    private record Running(RunProcess process, SaveLock lock, int attempt) {
    }

    private final Path dir;
    private final Plan plan;
    private final Deque<PlannedRun> queue;
    private final int planned;
    private final int parallel;
    private final List<String> executionArgs;
    private final Map<Integer, Double> estimatedSeconds;
    private final SweepDisplay display;
    private final Object lock = new Object();
    private final List<Running> running = new ArrayList<>();
    private final CountDownLatch loopDone = new CountDownLatch(1);
    private volatile boolean stopping;
    private int finished;
    private int alreadyFinished;
    private final List<String> failed = new ArrayList<>();
    private int stopped;
    private int leftToOthers;

    /**
     * @param dir              the sweep's folder
     * @param plan             its plan
     * @param runs             the runs to do, in order
     * @param parallel         runs at once
     * @param executionArgs    flags added to a run's that does not set them (e.g. {@code --threads 1})
     * @param estimatedSeconds estimated time of runs by index, for the sweep's ETA (may lack some)
     * @param display          where progress goes
     */
    SweepRunner(Path dir, Plan plan, List<PlannedRun> runs, int parallel, List<String> executionArgs,
                Map<Integer, Double> estimatedSeconds, SweepDisplay display) {
        this.dir = dir;
        this.plan = plan;
        this.queue = new ArrayDeque<>(runs);
        this.planned = runs.size();
        this.parallel = parallel;
        this.executionArgs = List.copyOf(executionArgs);
        this.estimatedSeconds = Map.copyOf(estimatedSeconds);
        this.display = display;
    }

    /** Runs them all (or until stopped) and returns what became of them. */
    Outcome run() {
        Thread hook = new Thread(this::stopAndWait, "microgpt-sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long start = System.nanoTime();
        try {
            while (true) {
                while (!stopping && running.size() < parallel && !queue.isEmpty()) startNext(queue.poll());
                if (running.isEmpty() && (queue.isEmpty() || stopping)) break;
                pause();
                List<RunStatus> statuses = new ArrayList<>();
                for (Running r : List.copyOf(running)) {
                    RunStatus status = r.process().poll();
                    if (r.process().isAlive()) statuses.add(status);
                    else ended(r, status);
                }
                display.progress(statuses, totals(statuses, start));
            }
        } finally {
            stopRemaining();
            loopDone.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the loop is done
            }
            display.close();
        }
        return new Outcome(finished, alreadyFinished, List.copyOf(failed), stopped, leftToOthers);
    }

    private void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** The shutdown hook: stop every run, then wait for the loop to see them end. */
    private void stopAndWait() {
        stopping = true;
        synchronized (lock) {
            for (Running r : running) r.process().stop();
        }
        try {
            loopDone.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After an exception in the loop: no run is left without its sweep. */
    private void stopRemaining() {
        synchronized (lock) {
            for (Running r : running) r.process().stop();
        }
        for (Running r : List.copyOf(running)) {
            try {
                r.process().waitFor(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.lock().close();
        }
        running.clear();
    }

    private void startNext(PlannedRun run) {
        if (recorded().contains(run.index())) {
            alreadyFinished++;
            display.event("run " + run.name() + " is already finished (in " + ResultsFile.NAME + ")");
            return;
        }
        RunFolder folder = RunFolder.of(dir, run);
        SaveLock runLock;
        try {
            Files.createDirectories(folder.dir());
            runLock = SaveLock.acquire(folder.lockTarget());
        } catch (IOException e) {
            throw new MicrogptException("cannot create " + Text.shown(folder.dir()) + ": " + Text.reason(e), e);
        } catch (MicrogptException e) {
            leftToOthers++;
            display.event("run " + run.name() + " skipped: another process is running it (" + e.getMessage() + ")");
            return;
        }
        boolean started = false;
        try {
            if (recorded().contains(run.index())) {   // finished by another process while we waited for its lock
                alreadyFinished++;
                display.event("run " + run.name() + " is already finished (in " + ResultsFile.NAME + ")");
                return;
            }
            boolean resume = false;
            if (Files.exists(folder.checkpoint())) {
                Checkpoint saved;
                try {
                    saved = Checkpoint.read(folder.checkpoint());
                } catch (MicrogptException e) {
                    failed.add(run.name());
                    display.event("run " + run.name() + " failed: " + e.getMessage() + "; delete it to start the run again");
                    return;
                }
                if (saved.stepsDone() >= saved.trainingConfig().steps()) {
                    record(run, folder, saved);
                    return;
                }
                resume = true;
            }
            int attempt = attemptsSoFar(folder).size() + 1;
            RunProcess process = RunProcess.start(run, folder, trainArgs(run, folder, resume), attempt);
            synchronized (lock) {
                running.add(new Running(process, runLock, attempt));
                if (stopping) process.stop();
            }
            started = true;
            display.event("run " + run.name() + (resume ? " resumed" : " started") + ": " + run.label());
        } finally {
            if (!started) runLock.close();
        }
    }

    /** The run's flags, the execution flags it does not set, and the files the sweep keeps for it. */
    private List<String> trainArgs(PlannedRun run, RunFolder folder, boolean resume) {
        List<String> args = new ArrayList<>(run.args());
        for (int i = 0; i < executionArgs.size(); i += 2) {
            if (!run.args().contains(executionArgs.get(i))) args.addAll(executionArgs.subList(i, i + 2));
        }
        args.addAll(List.of("--save", folder.checkpoint().toString(), "--metrics", folder.metrics().toString(),
                "--plot", folder.chart().toString()));
        if (resume) args.addAll(List.of("--resume", folder.checkpoint().toString()));
        return args;
    }

    private void ended(Running r, RunStatus status) {
        synchronized (lock) {
            running.remove(r);
        }
        RunProcess p = r.process();
        PlannedRun run = p.run();
        try {
            int code = p.exitCode();
            appendAttempt(p.folder(), r.attempt(), p.started(), p.seconds(), code);
            if (Files.exists(p.folder().checkpoint())) {
                // the checkpoint, not the exit code, says whether the run is done (it may have failed after saving)
                Checkpoint saved = Checkpoint.read(p.folder().checkpoint());
                if (saved.stepsDone() >= saved.trainingConfig().steps()) {
                    record(run, p.folder(), saved);
                    return;
                }
            }
            if (stopping) {
                stopped++;
                display.event("run " + run.name() + " stopped at step " + status.step() + "/" + status.total() + " (its checkpoint"
                        + " is saved: the same sweep command, or 'microgpt sweep --resume " + dir + "', goes on from there)");
                return;
            }
            failed.add(run.name());
            display.event("run " + run.name() + " failed (exit " + code + "): " + Text.bounded(p.failure()) + "; log: "
                    + p.folder().log());
        } catch (MicrogptException e) {
            failed.add(run.name());
            display.event("run " + run.name() + " failed: " + e.getMessage());
        } finally {
            r.lock().close();
        }
    }

    /** Appends the run's result line and says so. */
    private void record(PlannedRun run, RunFolder folder, Checkpoint saved) {
        MetricsSummary m = MetricsSummary.read(folder.metrics());
        List<JsonObject> attempts = attemptsSoFar(folder);
        double wall = attempts.stream().mapToDouble(a -> a.get("seconds").getAsDouble()).sum();
        int batch = saved.trainingConfig().batchSize();
        Map<String, Double> validation = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : m.finalValues().entrySet()) validation.put("final_" + e.getKey(), e.getValue());
        for (Map.Entry<String, Double> e : m.bestValues().entrySet()) validation.put("best_" + e.getKey(), e.getValue());
        Map<String, String> flags = new LinkedHashMap<>();
        for (Setting s : run.varying()) flags.put(s.flag(), s.values().get(0));
        RunResult result = new RunResult(plan.id(), run.index(), run.name(), flags, run.args(), saved.stepsDone(), batch,
                MemoryEstimate.parameters(saved.modelConfig()), m.lastLoss(), validation, m.bestStep(), wall,
                Math.max(1, attempts.size()), m.meanStepMicros() / batch, host(), Instant.now().toString());
        ResultsFile.append(dir, result);
        finished++;
        display.event("run " + run.name() + " finished: val loss " + SweepFormat.loss(result.finalValidationLoss()) + " (best "
                + SweepFormat.loss(result.bestValidationLoss()) + " at step " + m.bestStep() + ") in " + SweepFormat.seconds(wall)
                + (attempts.size() > 1 ? " over " + attempts.size() + " attempts" : "") + ", "
                + String.format(java.util.Locale.ROOT, "%,.0f", result.microsPerSample()) + " µs/sample");
    }

    /** Indices of the runs in results.jsonl of this plan. */
    private Set<Integer> recorded() {
        String id = plan.id();
        return ResultsFile.read(dir).results().stream().filter(r -> r.plan().equals(id)).map(RunResult::index).collect(Collectors.toSet());
    }

    private static List<JsonObject> attemptsSoFar(RunFolder folder) {
        List<JsonObject> attempts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(folder.attempts(), StandardCharsets.UTF_8)) {
                try {
                    if (!line.isBlank()) attempts.add(JsonParser.parseString(line).getAsJsonObject());
                } catch (RuntimeException e) {
                    // a line cut short by a killed sweep: that attempt's time is lost, not the others'
                }
            }
        } catch (NoSuchFileException e) {
            return attempts;
        } catch (IOException e) {
            throw new MicrogptException("cannot read " + Text.shown(folder.attempts()) + ": " + Text.reason(e), e);
        }
        return attempts;
    }

    private static void appendAttempt(RunFolder folder, int attempt, Instant started, double seconds, int exitCode) {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.beginObject().name("attempt").value(attempt).name("started").value(started.toString()).name("seconds").value(seconds)
                    .name("exit").value(exitCode).name("host").value(host()).endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(folder.attempts(), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new MicrogptException("cannot write " + Text.shown(folder.attempts()) + ": " + Text.reason(e), e);
        }
    }

    private SweepDisplay.Totals totals(List<RunStatus> statuses, long start) {
        double remaining = 0;
        boolean known = true;
        for (RunStatus s : statuses) {
            if (s.etaNanos() >= 0) remaining += s.etaNanos() / 1e9;
            else {
                Double e = estimatedSeconds.get(s.run().index());
                if (e == null || e.isNaN()) known = false;
                else remaining += e;
            }
        }
        for (PlannedRun r : queue) {
            Double e = estimatedSeconds.get(r.index());
            if (e == null || e.isNaN()) known = false;
            else remaining += e;
        }
        long eta = known ? (long) (remaining / Math.max(1, Math.min(parallel, statuses.size() + queue.size())) * 1e9) : -1;
        return new SweepDisplay.Totals(finished + alreadyFinished, planned, statuses.size(), failed.size(), System.nanoTime() - start, eta);
    }

    private static String host() {
        String name = hostName;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "unknown";
            }
            hostName = name;
        }
        return name;
    }
}
