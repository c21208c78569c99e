package io.microgpt.cli.sweep;

import io.microgpt.cli.Terminal;
import io.microgpt.cli.TerminalWidth;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code microgpt sweep}: many {@code train} runs over a grid of flags, side by side on this machine or one per
 * task of a cluster's array job, into one folder with a line of results per run.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, subcommands = SweepReportCommand.class,
        customSynopsis = {"Usage: microgpt sweep --out DIR [--grid FILE] [--parallel N | --index I | --list] [TRAIN FLAGS]",
                "       microgpt sweep --resume DIR [--parallel N | --index I | --list]",
                "       microgpt sweep report DIR [--chart FILE]"},
        description = {"",
                "Train a grid of runs: every train flag may take comma-separated values, and the runs are every combination"
                        + " of them (--n-embd 16,32 --lr 0.01,0.003 makes 4 runs); the other train flags apply to all. The plan"
                        + " (each run's index, flags, parameters, memory and estimated time) is printed first.",
                "",
                "Each run is a 'microgpt train' in a JVM of its own, with its checkpoint, metrics, loss chart and log in"
                        + " DIR/runs/NNN; each finished run adds a line to DIR/results.jsonl. Ctrl-C stops every run with its"
                        + " checkpoint saved; the same command, or --resume DIR, goes on, never redoing a finished run.",
                "",
                "On a cluster, each task of an array job runs one run: --index $SLURM_ARRAY_TASK_ID (or"
                        + " $JOB_COMPLETION_INDEX on Kubernetes); see docs/cluster.md.",
                "",
                "Runs are compared by validation loss: without --val-fraction, the sweep holds out " + Plan.DEFAULT_VAL_FRACTION + ".",
                ""})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", order = 1,
            description = "the sweep's folder: plan.json, results.jsonl and runs/NNN for each run; an existing folder of the same"
                    + " plan goes on where it stopped")
    private Path out;

    @Option(names = "--resume", paramLabel = "DIR", order = 2,
            description = "finish the sweep in DIR: its plan comes from DIR/plan.json (give no grid), finished runs are kept,"
                    + " stopped ones resume from their checkpoints")
    private Path resume;

    @Option(names = "--grid", paramLabel = "FILE", order = 3,
            description = "read train flags from FILE too: one a line, as on the command line, values comma-separated; # comments")
    private Path grid;

    @Option(names = "--parallel", paramLabel = "N", order = 4,
            description = "runs at once on this machine (default: one per core); each run gets"
                    + " --threads cores/N unless the flags set --threads (train's automatic choice when that is every core)")
    private Integer parallel;

    @Option(names = "--index", paramLabel = "I", order = 5,
            description = "run only the I-th run of the plan (0-based, as --list numbers them): one task of a cluster's array job")
    private Integer index;

    @Option(names = "--list", order = 6, description = "print the plan with each run's index (and its state, if DIR holds it) and exit")
    private boolean list;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "1000", order = 7,
            description = "refuse a plan of more runs than this unless --yes (default: ${DEFAULT-VALUE})")
    private int maxRuns;

    @Option(names = "--yes", order = 8, description = "run a plan larger than --max-runs")
    private boolean yes;

    @Unmatched
    private List<String> trainWords = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        CommandSpec train = spec.parent().subcommands().get("train").getCommandSpec();
        TrainFlags flags = new TrainFlags(train);
        if (out != null && resume != null) {
            throw new MicrogptException("give --out DIR for a sweep, or --resume DIR to finish one, not both");
        }
        if (out == null && resume == null) {
            throw new MicrogptException("sweep needs --out DIR, the folder for its runs and results (or --resume DIR to finish a sweep)");
        }
        if (parallel != null && parallel < 1) throw new MicrogptException("--parallel must be 1 or more, got " + parallel);
        if (parallel != null && index != null) {
            throw new MicrogptException("--parallel is for a sweep on this machine; --index runs one run");
        }
        if (index != null && list) throw new MicrogptException("--list prints the whole plan; leave out --index");
        if (maxRuns < 1) throw new MicrogptException("--max-runs must be 1 or more, got " + maxRuns);
        Path dir = out != null ? out : resume;
        Plan plan = plan(flags, dir);
        long size = plan.size();
        if (size > maxRuns && !yes) {
            throw new MicrogptException(String.format(Locale.ROOT, "the grid makes %,d runs, more than --max-runs %,d: add --yes to run"
                    + " them all, or give fewer values", size, maxRuns));
        }
        if (size > Integer.MAX_VALUE) throw new MicrogptException(String.format(Locale.ROOT, "the grid makes %,d runs: too many to number", size));
        if (index != null && (index < 0 || index >= size)) {
            throw new MicrogptException("--index " + index + " is outside the plan: it has " + size + (size == 1 ? " run (--index 0)"
                    : " runs (--index 0 to " + (size - 1) + ")"));
        }
        int cores = cores();
        int runsAtOnce = index != null ? 1 : parallel != null ? parallel : cores;
        int threads = threadsPerRun(cores, runsAtOnce);
        List<String> executionArgs = threads == 0 ? List.of() : List.of("--threads", String.valueOf(threads));
        PlanEstimate estimate = new PlanEstimate(train, threads, spec.commandLine().getErr());
        long heap = Runtime.getRuntime().maxMemory();
        long ram = MemoryFit.ram();

        if (index != null) {
            PlannedRun run = plan.run(index);
            MemoryFit.check(List.of(estimate.size(run)), 1, heap, ram);
            PlanFile.claim(dir, plan);
            stdout.println("run " + run.index() + " of " + size + " (" + run.name() + "): " + run.label());
            stdout.flush();
            SweepRunner.Outcome outcome = new SweepRunner(dir, plan, List.of(run), 1, executionArgs, Map.of(), new PlainLines(stdout)).run();
            return exitCode(outcome, stdout, dir, plan);
        }

        List<PlannedRun> runs = plan.runs();
        boolean held = Files.isRegularFile(dir.resolve(PlanFile.NAME));
        if (held && out != null) PlanFile.claim(dir, plan);   // refuses another plan before any trial
        Set<Integer> finished = finished(dir, plan);
        // every run's flags, shape and memory checked first: a mistake costs no trial
        List<RunEstimate> sizes = new ArrayList<>();
        for (PlannedRun run : runs) sizes.add(estimate.size(run));
        if (!list) MemoryFit.check(sizes.stream().filter(e -> !finished.contains(e.run().index())).toList(), runsAtOnce, heap, ram);
        List<RunEstimate> estimates = new ArrayList<>();
        for (RunEstimate sized : sizes) {
            estimates.add(list || !finished.contains(sized.run().index()) ? estimate.full(sized.run()) : sized);
        }
        Map<Integer, String> state = held ? states(dir, plan, runs, finished) : Map.of();
        stdout.print(PlanTable.render(plan, estimates, runsAtOnce, state, Text.shown(dir), heap, ram));
        stdout.flush();
        List<RunEstimate> toDo = estimates.stream().filter(e -> !finished.contains(e.run().index())).toList();
        if (list) return 0;
        PlanFile.claim(dir, plan);
        if (toDo.isEmpty()) {
            stdout.println("all " + size + " runs are finished; see 'microgpt sweep report " + Text.shown(dir) + "'");
            return 0;
        }
        if (!finished.isEmpty()) stdout.println(finished.size() + " of " + size + " runs finished already: running the other " + toDo.size());
        Map<Integer, Double> seconds = new HashMap<>();
        for (RunEstimate e : toDo) seconds.put(e.run().index(), e.seconds());
        SweepDisplay display = Terminal.isInteractive() ? new LiveTable(stdout, TerminalWidth.ofTerminal()) : new PlainLines(stdout);
        SweepRunner.Outcome outcome = new SweepRunner(dir, plan, toDo.stream().map(RunEstimate::run).toList(), runsAtOnce, executionArgs,
                seconds, display).run();
        return exitCode(outcome, stdout, dir, plan);
    }

    /**
     * The cores this sweep may use: a Slurm task's {@code SLURM_CPUS_PER_TASK} where it is set (without CPU
     * binding the JVM sees the whole node), else the processors the JVM sees (a container's CPU limit included).
     */
    static int cores() {
        String slurm = System.getenv("SLURM_CPUS_PER_TASK");
        if (slurm != null) {
            try {
                int n = Integer.parseInt(slurm.trim());
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // not a count: fall back to what the JVM sees
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The {@code --threads} of each run that does not set it: the cores shared out among the runs at once; 0
     * (train's automatic choice between one thread and all) when a run has every processor the JVM sees.
     */
    static int threadsPerRun(int cores, int runsAtOnce) {
        int share = Math.max(1, cores / runsAtOnce);
        return share > 1 && share == Runtime.getRuntime().availableProcessors() ? 0 : share;
    }

    /** The plan: from DIR with --resume (only execution flags may be given), else from the flags and the grid file. */
    private Plan plan(TrainFlags flags, Path dir) {
        List<Setting> given = flags.read(trainWords, null);
        if (resume != null) {
            if (grid != null) throw new MicrogptException("--grid makes a new plan; --resume " + Text.shown(dir) + " finishes the plan in it");
            for (Setting s : given) {
                if (!TrainFlags.EXECUTION_ONLY.contains(s.flag()) || s.isAxis()) {
                    throw new MicrogptException(s.flag() + " would change the plan that --resume " + Text.shown(dir) + " finishes; only "
                            + String.join(", ", TrainFlags.EXECUTION_ONLY.stream().sorted().toList()) + " may be given (one value each)");
                }
            }
            return PlanFile.read(dir).withExecutionSettings(given);
        }
        List<Setting> settings = grid == null ? given : TrainFlags.join(given, GridFile.read(grid, flags), "--grid " + Text.shown(grid));
        return Plan.of(settings);
    }

    /** Indices of the plan's runs with a line in the folder's results. */
    private static Set<Integer> finished(Path dir, Plan plan) {
        String id = plan.id();
        return ResultsFile.read(dir).results().stream().filter(r -> r.plan().equals(id)).map(RunResult::index).collect(Collectors.toSet());
    }

    /** Each run's state in the folder, for --list and the plan table. */
    private static Map<Integer, String> states(Path dir, Plan plan, List<PlannedRun> runs, Set<Integer> finished) {
        Map<Integer, String> state = new HashMap<>();
        for (PlannedRun run : runs) {
            RunFolder folder = RunFolder.of(dir, run);
            if (finished.contains(run.index())) state.put(run.index(), "finished");
            else if (Files.exists(folder.checkpoint())) state.put(run.index(), "checkpoint saved");
            else if (Files.exists(folder.dir())) state.put(run.index(), "started");
        }
        return state;
    }

    private static int exitCode(SweepRunner.Outcome o, PrintWriter stdout, Path dir, Plan plan) {
        List<String> parts = new ArrayList<>();
        parts.add(o.finished() + " finished (" + finished(dir, plan).size() + " of " + plan.size() + " in all)");
        if (o.alreadyFinished() > 0) parts.add(o.alreadyFinished() + " finished before");
        if (!o.failed().isEmpty()) parts.add(o.failed().size() + " failed (" + String.join(", ", o.failed()) + ": see their train.log)");
        if (o.stopped() > 0) parts.add(o.stopped() + " stopped with checkpoints (go on with: microgpt sweep --resume " + Text.shown(dir) + ")");
        if (o.leftToOthers() > 0) parts.add(o.leftToOthers() + " left to the processes running them");
        stdout.println("sweep: " + String.join(", ", parts) + "; results in " + Text.shown(dir.resolve(ResultsFile.NAME))
                + ", table and chart: microgpt sweep report " + Text.shown(dir));
        stdout.flush();
        return o.allFinished() ? 0 : 1;
    }
}
