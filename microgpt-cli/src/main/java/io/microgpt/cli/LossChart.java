package io.microgpt.cli;

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
    static final int WIDTH = 800;
    static final int HEIGHT = 480;
    private static final double LEFT = 72;
    private static final double RIGHT = WIDTH - 24;
    private static final double TOP = 92;
    private static final double BOTTOM = HEIGHT - 56;
    /** How far data may be drawn outside the plot: enough for a whole validation point on an edge. */
    private static final double CLIP_MARGIN = 6;
    /** Above this many steps the per-step line keeps each bucket's lowest and highest value only. */
    private static final int MAX_RAW_POINTS = 4000;
    private static final String RAW_COLOUR = "#9db8e8";
    private static final String SMOOTH_COLOUR = "#1f4fbf";
    private static final String VALIDATION_COLOUR = "#e0641b";
    private static final String TEXT_COLOUR = "#333";
    private static final String GRID_COLOUR = "#e6e6e6";

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
        double[] xTicks = ticks(firstStep, lastStep, 8);
        double xMin = firstStep;
        double xMax = Math.max(lastStep, xTicks[xTicks.length - 1]);
        double[] yRange = yRange(history);
        double[] yTicks = ticks(yRange[0], yRange[1], 6);
        double yMin = Math.min(yRange[0], yTicks[0]);
        double yMax = Math.max(yRange[1], yTicks[yTicks.length - 1]);
        Scale sx = new Scale(xMin, xMax, LEFT, RIGHT);
        Scale sy = new Scale(yMin, yMax, BOTTOM, TOP);

        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<clipPath id=\"plot\"><rect x=\"").append(f(LEFT - CLIP_MARGIN)).append("\" y=\"").append(f(TOP - CLIP_MARGIN))
                .append("\" width=\"").append(f(RIGHT - LEFT + 2 * CLIP_MARGIN)).append("\" height=\"")
                .append(f(BOTTOM - TOP + 2 * CLIP_MARGIN)).append("\"/></clipPath>\n");
        text(svg, LEFT, 30, "start", "font-size=\"17\" font-weight=\"bold\"", title);
        text(svg, LEFT, 52, "start", "font-size=\"12\" fill=\"#666\"", subtitle);

        // grid and tick labels
        int yDecimals = decimals(yTicks);
        for (double y : yTicks) {
            double py = sy.map(y);
            line(svg, LEFT, py, RIGHT, py, GRID_COLOUR, 1);
            text(svg, LEFT - 8, py + 4, "end", "", String.format(Locale.ROOT, "%." + yDecimals + "f", y));
        }
        for (double x : xTicks) {
            double px = sx.map(x);
            line(svg, px, TOP, px, BOTTOM, GRID_COLOUR, 1);
            line(svg, px, BOTTOM, px, BOTTOM + 5, TEXT_COLOUR, 1);
            text(svg, px, BOTTOM + 19, "middle", "", String.format(Locale.ROOT, "%,d", Math.round(x)));
        }
        line(svg, LEFT, BOTTOM, RIGHT, BOTTOM, TEXT_COLOUR, 1);
        line(svg, LEFT, TOP, LEFT, BOTTOM, TEXT_COLOUR, 1);
        text(svg, (LEFT + RIGHT) / 2, HEIGHT - 14, "middle", "font-size=\"13\"", "step");
        svg.append("<text transform=\"translate(20 ").append(f((TOP + BOTTOM) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\" fill=\"").append(TEXT_COLOUR)
                .append("\">loss (cross-entropy, nats)</text>\n");

        // data
        svg.append("<g clip-path=\"url(#plot)\" fill=\"none\" stroke-linejoin=\"round\">\n");
        polyline(svg, rawPoints(history, sx, sy), RAW_COLOUR, 0.8, "0.7");
        List<double[]> smooth = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (Double.isFinite(history.smoothed(i))) smooth.add(new double[] {sx.map(history.step(i)), sy.map(history.smoothed(i))});
        }
        polyline(svg, smooth, SMOOTH_COLOUR, 2.2, "1");
        List<double[]> val = new ArrayList<>();
        for (int i = 0; i < history.validationSize(); i++) {
            if (Double.isFinite(history.validationLoss(i))) {
                val.add(new double[] {sx.map(history.validationStep(i)), sy.map(history.validationLoss(i))});
            }
        }
        if (val.size() > 1) {
            svg.append("<polyline points=\"").append(points(val)).append("\" stroke=\"").append(VALIDATION_COLOUR)
                    .append("\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n");
        }
        for (double[] p : val) {
            svg.append("<circle cx=\"").append(f(p[0])).append("\" cy=\"").append(f(p[1])).append("\" r=\"4\" fill=\"")
                    .append(VALIDATION_COLOUR).append("\" stroke=\"white\" stroke-width=\"1\"/>\n");
        }
        svg.append("</g>\n");
        markClipped(svg, history, sx, yMin, yMax, yDecimals);

        // legend: one row between the subtitle and the plot, so that it hides no data
        double x = LEFT;
        double y = TOP - 14;
        line(svg, x, y - 4, x + 22, y - 4, RAW_COLOUR, 1.5);
        x = legendText(svg, x + 28, y, "loss of each step");
        if (history.size() > 0) {
            line(svg, x, y - 4, x + 22, y - 4, SMOOTH_COLOUR, 2.5);
            x = legendText(svg, x + 28, y, "smoothed (EMA " + LossSmoother.DECAY + "): "
                    + PythonFormat.fixed(history.smoothed(history.size() - 1), 4));
        }
        if (history.validationSize() > 0) {
            svg.append("<circle cx=\"").append(f(x + 8)).append("\" cy=\"").append(f(y - 4))
                    .append("\" r=\"4\" fill=\"").append(VALIDATION_COLOUR).append("\"/>\n");
            int v = history.validationSize() - 1;
            legendText(svg, x + 18, y, validationLabel + ": " + PythonFormat.fixed(history.validationLoss(v), 4)
                    + (Double.isNaN(history.validationBits(v)) ? ""
                            : " (" + PythonFormat.fixed(history.validationBits(v), 4) + " bits/char)"));
        }
        svg.append("</svg>\n");
        return svg.toString();
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
        text(svg, RIGHT - 4, TOP + 20, "end", "font-size=\"11\" fill=\"" + SMOOTH_COLOUR + "\"", note);
    }

    /** A 7-pixel triangle pointing out of the plot, its tip on the edge at {@code y} ({@code up} 1 = top edge). */
    private static String triangle(double x, double y, int up) {
        return "M" + f(x) + "," + f(y) + " L" + f(x - 3.5) + "," + f(y + up * 7) + " L" + f(x + 3.5) + "," + f(y + up * 7) + "Z ";
    }

    /** Writes a legend label and returns where the next entry starts (text width estimated at 6.6 px a character). */
    private static double legendText(StringBuilder svg, double x, double y, String label) {
        text(svg, x, y, "start", "", label);
        return x + 6.6 * label.length() + 22;
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

    /** Round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi], about {@code target} of them. */
    static double[] ticks(double lo, double hi, int target) {
        double span = hi - lo;
        if (!(span > 0)) span = Math.max(1, Math.abs(hi));
        double raw = span / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
        long first = (long) Math.floor(lo / step + 1e-9);
        long last = (long) Math.ceil(hi / step - 1e-9);
        double[] out = new double[(int) (last - first + 1)];
        for (int i = 0; i < out.length; i++) out[i] = (first + i) * step;
        return out;
    }

    private static int decimals(double[] ticks) {
        if (ticks.length < 2) return 2;
        double step = ticks[1] - ticks[0];
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
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

    private static void polyline(StringBuilder svg, List<double[]> pts, String colour, double width, String opacity) {
        if (pts.isEmpty()) return;
        svg.append("<polyline points=\"").append(points(pts)).append("\" stroke=\"").append(colour)
                .append("\" stroke-width=\"").append(f(width)).append("\" stroke-opacity=\"").append(opacity).append("\"/>\n");
    }

    private static String points(List<double[]> pts) {
        StringBuilder sb = new StringBuilder(pts.size() * 12);
        for (double[] p : pts) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(f(p[0])).append(',').append(f(p[1]));
        }
        return sb.toString();
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String colour, double width) {
        svg.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(f(width)).append("\"/>\n");
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
        svg.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"").append(anchor).append('"');
        if (!attributes.contains("fill=")) svg.append(" fill=\"").append(TEXT_COLOUR).append('"');
        if (!attributes.isEmpty()) svg.append(' ').append(attributes);
        svg.append('>').append(escape(content)).append("</text>\n");
    }

    /** One decimal, no exponent: enough for pixels. */
    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A linear map from data values to pixels. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double map(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
