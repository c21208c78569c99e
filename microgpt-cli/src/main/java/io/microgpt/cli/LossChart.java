package io.microgpt.cli;

import static io.microgpt.cli.SvgPlot.f;

import io.microgpt.cli.SvgPlot.Scale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG chart of a run's loss: the loss of every step as a faint line, the smoothed loss as a
 * bold one, validation losses as points, labelled axes with round ticks, and a title with the configuration.
 * The y axis leaves out the most extreme 1% of per-step losses (the first steps' losses would otherwise
 * squash the rest); each loss above or below the axis is marked by a small triangle at the plot's edge, and a
 * note says how many there are and the most extreme one. Points at the plot's edges are drawn whole.
 * No scripts, fonts or links: it opens in any browser and converts with any SVG tool.
 */
final class LossChart {
    private static final double LEFT = SvgPlot.LEFT;
    private static final double RIGHT = SvgPlot.RIGHT;
    private static final double TOP = SvgPlot.TOP;
    private static final double BOTTOM = SvgPlot.BOTTOM;
    /** Above this many steps the per-step line keeps each bucket's lowest and highest value only. */
    private static final int MAX_RAW_POINTS = 4000;
    private static final String RAW_COLOUR = "#9db8e8";
    private static final String SMOOTH_COLOUR = "#1f4fbf";
    private static final String VALIDATION_COLOUR = "#e0641b";

    private LossChart() {
    }

    /**
     * The chart as SVG text.
     *
     * @param history         the losses
     * @param title           first line, e.g. the dataset and step count
     * @param subtitle        second line, e.g. the model and training configuration
     * @param validationLabel legend text of the validation points (e.g. how many documents they average)
     */
    static String render(LossHistory history, String title, String subtitle, String validationLabel) {
        int lastStep = history.size() == 0 ? 1 : history.step(history.size() - 1);
        int firstStep = history.size() == 0 ? 0 : Math.min(history.step(0) - 1, 0);
        double[] xTicks = SvgPlot.ticks(firstStep, lastStep, 8);
        SvgPlot.Axis x = new SvgPlot.Axis(xTicks, new Scale(firstStep, Math.max(lastStep, xTicks[xTicks.length - 1]), LEFT, RIGHT));
        double[] yRange = yRange(history);
        SvgPlot.Axis y = SvgPlot.Axis.of(yRange[0], yRange[1], 6, BOTTOM, TOP);
        Scale sx = x.scale();
        Scale sy = y.scale();

        StringBuilder svg = SvgPlot.begin(title, subtitle);
        SvgPlot.axes(svg, x, y, v -> String.format(Locale.ROOT, "%,d", Math.round(v)), "step", "loss (cross-entropy, nats)");

        // data
        svg.append("<g clip-path=\"").append(SvgPlot.CLIP).append("\" fill=\"none\" stroke-linejoin=\"round\">\n");
        SvgPlot.polyline(svg, rawPoints(history, sx, sy), RAW_COLOUR, 0.8, "0.7");
        List<double[]> smooth = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (Double.isFinite(history.smoothed(i))) smooth.add(new double[] {sx.map(history.step(i)), sy.map(history.smoothed(i))});
        }
        SvgPlot.polyline(svg, smooth, SMOOTH_COLOUR, 2.2, "1");
        List<double[]> val = new ArrayList<>();
        for (int i = 0; i < history.validationSize(); i++) {
            if (Double.isFinite(history.validationLoss(i))) {
                val.add(new double[] {sx.map(history.validationStep(i)), sy.map(history.validationLoss(i))});
            }
        }
        if (val.size() > 1) {
            svg.append("<polyline points=\"").append(SvgPlot.points(val)).append("\" stroke=\"").append(VALIDATION_COLOUR)
                    .append("\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n");
        }
        for (double[] p : val) SvgPlot.circle(svg, p[0], p[1], 4, VALIDATION_COLOUR);
        svg.append("</g>\n");
        markClipped(svg, history, sx, y.min(), y.max(), SvgPlot.decimals(y.ticks()));

        // legend: one row between the subtitle and the plot, so that it hides no data
        double lx = LEFT;
        double ly = TOP - 14;
        SvgPlot.line(svg, lx, ly - 4, lx + 22, ly - 4, RAW_COLOUR, 1.5);
        lx = SvgPlot.legendText(svg, lx + 28, ly, "loss of each step");
        if (history.size() > 0) {
            SvgPlot.line(svg, lx, ly - 4, lx + 22, ly - 4, SMOOTH_COLOUR, 2.5);
            lx = SvgPlot.legendText(svg, lx + 28, ly, "smoothed (EMA " + LossSmoother.DECAY + "): "
                    + PythonFormat.fixed(history.smoothed(history.size() - 1), 4));
        }
        if (history.validationSize() > 0) {
            svg.append("<circle cx=\"").append(f(lx + 8)).append("\" cy=\"").append(f(ly - 4))
                    .append("\" r=\"4\" fill=\"").append(VALIDATION_COLOUR).append("\"/>\n");
            int v = history.validationSize() - 1;
            SvgPlot.legendText(svg, lx + 18, ly, validationLabel + ": " + PythonFormat.fixed(history.validationLoss(v), 4)
                    + (Double.isNaN(history.validationBits(v)) ? ""
                            : " (" + PythonFormat.fixed(history.validationBits(v), 4) + " bits/char)"));
        }
        return SvgPlot.end(svg);
    }

    /**
     * A triangle at the top (bottom) edge for each per-step loss above (below) the y axis, at most one per
     * pixel column, and a note with their number and the most extreme value.
     */
    private static void markClipped(StringBuilder svg, LossHistory h, Scale sx, double yMin, double yMax, int decimals) {
        int above = 0;
        int below = 0;
        double highest = Double.NEGATIVE_INFINITY;
        double lowest = Double.POSITIVE_INFINITY;
        StringBuilder path = new StringBuilder();
        long lastAbove = Long.MIN_VALUE;
        long lastBelow = Long.MIN_VALUE;
        for (int i = 0; i < h.size(); i++) {
            double loss = h.loss(i);
            if (!Double.isFinite(loss) || (loss <= yMax && loss >= yMin)) continue;
            double px = sx.map(h.step(i));
            long column = Math.round(px);
            if (loss > yMax) {
                above++;
                highest = Math.max(highest, loss);
                if (column != lastAbove) path.append(triangle(px, TOP, 1));
                lastAbove = column;
            } else {
                below++;
                lowest = Math.min(lowest, loss);
                if (column != lastBelow) path.append(triangle(px, BOTTOM, -1));
                lastBelow = column;
            }
        }
        if (above + below == 0) return;
        svg.append("<path d=\"").append(path.toString().trim()).append("\" fill=\"").append(SMOOTH_COLOUR).append("\"/>\n");
        String format = "%." + (decimals + 1) + "f";
        List<String> notes = new ArrayList<>();
        if (above > 0) {
            notes.add(String.format(Locale.ROOT, "\u25b2 %,d step loss%s above the axis (highest " + format + ")", above,
                    above == 1 ? "" : "es", highest));
        }
        if (below > 0) {
            notes.add(String.format(Locale.ROOT, "\u25bc %,d below it (lowest " + format + ")", below, lowest));
        }
        // on a white band, so that the step losses under it do not hide it
        String note = String.join("; ", notes);
        double width = 6 * note.length() + 8;
        svg.append("<rect x=\"").append(f(RIGHT - width)).append("\" y=\"").append(f(TOP + 9)).append("\" width=\"")
                .append(f(width)).append("\" height=\"15\" fill=\"white\" fill-opacity=\"0.85\"/>\n");
        SvgPlot.text(svg, RIGHT - 4, TOP + 20, "end", "font-size=\"11\" fill=\"" + SMOOTH_COLOUR + "\"", note);
    }

    /** A 7-pixel triangle pointing out of the plot, its tip on the edge at {@code y} ({@code up} 1 = top edge). */
    private static String triangle(double x, double y, int up) {
        return "M" + f(x) + "," + f(y) + " L" + f(x - 3.5) + "," + f(y + up * 7) + " L" + f(x + 3.5) + "," + f(y + up * 7) + "Z ";
    }

    /** The y range: every smoothed and validation value, and the per-step losses without their extreme 1%. */
    static double[] yRange(LossHistory h) {
        double[] raw = new double[h.size()];
        int n = 0;
        for (int i = 0; i < h.size(); i++) if (Double.isFinite(h.loss(i))) raw[n++] = h.loss(i);
        raw = Arrays.copyOf(raw, n);
        Arrays.sort(raw);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (n > 0) {
            lo = raw[(int) Math.floor(0.01 * (n - 1))];
            hi = raw[(int) Math.ceil(0.99 * (n - 1))];
        }
        for (int i = 0; i < h.size(); i++) {
            if (Double.isFinite(h.smoothed(i))) {
                lo = Math.min(lo, h.smoothed(i));
                hi = Math.max(hi, h.smoothed(i));
            }
        }
        for (int i = 0; i < h.validationSize(); i++) {
            if (Double.isFinite(h.validationLoss(i))) {
                lo = Math.min(lo, h.validationLoss(i));
                hi = Math.max(hi, h.validationLoss(i));
            }
        }
        if (lo > hi) return new double[] {0, 1};
        if (hi - lo < 1e-9) return new double[] {lo - 0.5, hi + 0.5};
        return new double[] {lo, hi};
    }

    private static List<double[]> rawPoints(LossHistory h, Scale sx, Scale sy) {
        List<double[]> pts = new ArrayList<>();
        int n = h.size();
        int bucket = Math.max(1, (n + MAX_RAW_POINTS / 2 - 1) / (MAX_RAW_POINTS / 2));
        for (int start = 0; start < n; start += bucket) {
            int end = Math.min(n, start + bucket);
            if (bucket == 1) {
                if (Double.isFinite(h.loss(start))) pts.add(new double[] {sx.map(h.step(start)), sy.map(h.loss(start))});
                continue;
            }
            int min = -1;
            int max = -1;
            for (int i = start; i < end; i++) {
                if (!Double.isFinite(h.loss(i))) continue;
                if (min < 0 || h.loss(i) < h.loss(min)) min = i;
                if (max < 0 || h.loss(i) > h.loss(max)) max = i;
            }
            if (min < 0) continue;
            int a = Math.min(min, max);
            int b = Math.max(min, max);
            pts.add(new double[] {sx.map(h.step(a)), sy.map(h.loss(a))});
            if (b != a) pts.add(new double[] {sx.map(h.step(b)), sy.map(h.loss(b))});
        }
        return pts;
    }
}
