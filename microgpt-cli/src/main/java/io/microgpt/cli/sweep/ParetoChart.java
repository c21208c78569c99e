package io.microgpt.cli.sweep;

import io.microgpt.cli.SvgPlot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep's runs as an SVG scatter chart, drawn with the loss chart's pieces ({@link SvgPlot}): the last
 * validation loss of each run against its wall time, each point labelled with the run's folder name, and the
 * Pareto front ({@link ParetoFront}) marked: its runs in another colour, joined by the staircase that bounds
 * what the sweep reached (below and left of it, no run).
 */
final class ParetoChart {
    private static final String RUN_COLOUR = "#1f4fbf";
    private static final String FRONT_COLOUR = "#e0641b";
    private static final int MAX_SUBTITLE = 120;

    private ParetoChart() {
    }

    /** The chart; {@code title} and {@code subtitle} as the two lines above it. */
    static String render(List<RunResult> results, String title, String subtitle) {
        List<RunResult> shown = new ArrayList<>();
        for (RunResult r : results) if (Double.isFinite(r.finalValidationLoss()) && Double.isFinite(r.wallSeconds())) shown.add(r);
        double maxWall = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RunResult r : shown) {
            maxWall = Math.max(maxWall, r.wallSeconds());
            lo = Math.min(lo, r.finalValidationLoss());
            hi = Math.max(hi, r.finalValidationLoss());
        }
        if (shown.isEmpty()) {
            lo = 0;
            hi = 1;
        } else {
            // room above and below, so that no point sits on the frame
            double pad = Math.max(0.05 * (hi - lo), 0.01);
            lo -= pad;
            hi += pad;
        }
        SvgPlot.Axis x = SvgPlot.Axis.of(0, maxWall, 8, SvgPlot.LEFT, SvgPlot.RIGHT);
        SvgPlot.Axis y = SvgPlot.Axis.of(lo, hi, 6, SvgPlot.BOTTOM, SvgPlot.TOP);
        String sub = subtitle.length() > MAX_SUBTITLE ? subtitle.substring(0, MAX_SUBTITLE - 3) + "..." : subtitle;
        StringBuilder svg = SvgPlot.begin(title, sub);
        int decimals = SvgPlot.decimals(x.ticks());
        SvgPlot.axes(svg, x, y, v -> timeTick(v, decimals), "wall time of the run", "validation loss (last)");

        List<RunResult> front = ParetoFront.of(shown);
        Set<Integer> onFront = new HashSet<>();
        for (RunResult r : front) onFront.add(r.index());
        svg.append("<g clip-path=\"").append(SvgPlot.CLIP).append("\" fill=\"none\">\n");
        List<double[]> stairs = new ArrayList<>();
        for (int i = 0; i < front.size(); i++) {
            double px = x.scale().map(front.get(i).wallSeconds());
            double py = y.scale().map(front.get(i).finalValidationLoss());
            if (i > 0) stairs.add(new double[] {px, stairs.get(stairs.size() - 1)[1]});
            stairs.add(new double[] {px, py});
        }
        if (!stairs.isEmpty()) stairs.add(new double[] {SvgPlot.RIGHT, stairs.get(stairs.size() - 1)[1]});
        if (stairs.size() > 1) {
            svg.append("<polyline points=\"").append(SvgPlot.points(stairs)).append("\" stroke=\"").append(FRONT_COLOUR)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>\n");
        }
        for (RunResult r : shown) {
            double px = x.scale().map(r.wallSeconds());
            double py = y.scale().map(r.finalValidationLoss());
            boolean f = onFront.contains(r.index());
            SvgPlot.circle(svg, px, py, f ? 6 : 4, f ? FRONT_COLOUR : RUN_COLOUR);
        }
        svg.append("</g>\n");
        // labels outside the clip, to the left of points near the right edge
        for (RunResult r : shown) {
            double px = x.scale().map(r.wallSeconds());
            double py = y.scale().map(r.finalValidationLoss());
            boolean left = px > SvgPlot.RIGHT - 40;
            SvgPlot.text(svg, left ? px - 8 : px + 8, py - 6, left ? "end" : "start", "font-size=\"10\"", r.name());
        }

        double lx = SvgPlot.LEFT;
        double ly = SvgPlot.TOP - 14;
        SvgPlot.circle(svg, lx + 4, ly - 4, 4, RUN_COLOUR);
        lx = SvgPlot.legendText(svg, lx + 14, ly, "a run (its folder under runs/)");
        SvgPlot.circle(svg, lx + 4, ly - 4, 6, FRONT_COLOUR);
        SvgPlot.legendText(svg, lx + 14, ly, "Pareto front: no run is both faster and lower (" + front.size() + " of " + shown.size() + ")");
        return SvgPlot.end(svg);
    }

    /** A tick of the time axis: {@code 30s} or {@code 2.5s} below two minutes, {@code 4:00} above. */
    static String timeTick(double seconds, int decimals) {
        if (seconds >= 120) return SweepFormat.seconds(seconds);
        return String.format(java.util.Locale.ROOT, "%." + decimals + "fs", seconds);
    }
}
