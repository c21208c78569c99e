package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.AtomicFile;
import io.microgpt.core.files.LiveRuns;
import io.microgpt.core.files.OutputFile;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code microgpt sweep report DIR}: the results table, best first, and the chart of loss against time. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print a sweep's results sorted by validation loss, the Pareto front of loss against wall time marked,"
                + " and draw them as an SVG chart (validation loss against wall time, the front joined).")
final class SweepReportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the sweep's folder (its --out)")
    private Path dir;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "where to draw the chart (default: DIR/sweep.svg)")
    private Path chart;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = PlanFile.read(dir);
        Path target = chart != null ? chart : dir.resolve("sweep.svg");
        try (LiveRuns.Registration live = claim(target)) {   // held while the chart is written
            return report(plan, target, out, err);
        }
    }

    /**
     * Checks the chart's file before anything is printed: a writable place, neither the plan nor the results it
     * is drawn from, and no file of a live run ({@link LiveRuns}).
     */
    private LiveRuns.Registration claim(Path target) {
        String role = chart != null ? "--chart" : "the chart";
        OutputFile.check(target, role);
        for (String name : List.of(PlanFile.NAME, ResultsFile.NAME)) {
            if (OutputFile.same(target, dir.resolve(name))) {
                throw new MicrogptException(role + " " + Text.shown(target) + " is the sweep's " + name + ": drawing the chart"
                        + " there would destroy it; choose another file name");
            }
        }
        return LiveRuns.register(List.of(new LiveRuns.UsedFile(role, target, LiveRuns.Use.WRITES)));
    }

    private int report(Plan plan, Path target, PrintWriter out, PrintWriter err) {
        ResultsFile.Contents contents = ResultsFile.read(dir);
        String id = plan.id();
        List<RunResult> results = contents.results().stream().filter(r -> r.plan().equals(id)).toList();
        if (contents.skipped() > 0) err.println("note: skipped " + contents.skipped() + " unreadable line(s) of " + dir.resolve(ResultsFile.NAME));
        int foreign = contents.results().size() - results.size();
        if (foreign > 0) err.println("note: skipped " + foreign + " line(s) of another plan in " + dir.resolve(ResultsFile.NAME));
        err.flush();
        List<String> axes = plan.axes().stream().map(Setting::flag).toList();
        out.print(SweepReport.render(results, plan.size(), axes));
        String title = "microgpt sweep: " + dir.toAbsolutePath().normalize().getFileName() + ", " + results.size() + " of " + plan.size() + " runs";
        String subtitle = plan.axes().stream().map(Setting::shown).collect(Collectors.joining(" x "))
                + (plan.axes().isEmpty() ? "" : " | ") + plan.settings().stream().filter(s -> !s.isAxis()).map(Setting::shown)
                .collect(Collectors.joining(" "));
        byte[] svg = ParetoChart.render(results, title, subtitle).getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(target, channel -> {
                ByteBuffer buffer = ByteBuffer.wrap(svg);
                while (buffer.hasRemaining()) channel.write(buffer);
            });
        } catch (MicrogptException e) {
            throw new MicrogptException("cannot write the chart " + Text.shown(target) + ": " + e.getMessage(), e);
        }
        out.println("chart: " + target);
        out.flush();
        return 0;
    }
}
