package io.microgpt.cli.sweep;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep's progress as plain lines, for pipes, files and cluster job logs: each event, and a line for each
 * run every tenth of its steps ({@code run 003: step 40/200 | loss 2.5123 | val 2.4987 | ETA 0:12}).
 */
final class PlainLines implements SweepDisplay {
    private final PrintWriter out;
    private final Map<Integer, Integer> lastTenth = new HashMap<>();

    PlainLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void event(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public void progress(List<RunStatus> running, Totals totals) {
        boolean printed = false;
        for (RunStatus s : running) {
            if (s.total() <= 0 || s.step() <= Math.max(0, s.resumedAt())) continue;
            int tenth = (int) (10L * s.step() / s.total());
            Integer last = lastTenth.get(s.run().index());
            if (last != null && tenth <= last) continue;
            lastTenth.put(s.run().index(), tenth);
            if (last == null && tenth == 0) continue;   // the first step: nothing to say yet
            out.println("run " + s.run().name() + ": " + SweepFormat.progress(s));
            printed = true;
        }
        if (printed) out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
