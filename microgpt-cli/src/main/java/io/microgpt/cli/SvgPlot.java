package io.microgpt.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The pieces every chart of the CLI is drawn with: an 800 x 480 canvas with a title, a subtitle, a legend
 * row and a plot area; round axis ticks, grid lines and labels; and the SVG elements themselves (lines, text,
 * polylines, circles) with coordinates written to a tenth of a pixel. The loss chart of {@code train} and the
 * sweep's chart of validation loss against wall time share them, so both look alike. No scripts, fonts or
 * links: the charts open in any browser and convert with any SVG tool. Stateless: safe from any thread.
 */
public final class SvgPlot {
    /** Canvas width in pixels. */
    public static final int WIDTH = 800;
    /** Canvas height in pixels. */
    public static final int HEIGHT = 480;
    /** Left edge of the plot area (room for the y tick labels). */
    public static final double LEFT = 72;
    /** Right edge of the plot area. */
    public static final double RIGHT = WIDTH - 24;
    /** Top edge of the plot area (room for title, subtitle and the legend row). */
    public static final double TOP = 92;
    /** Bottom edge of the plot area (room for the x tick labels and the axis title). */
    public static final double BOTTOM = HEIGHT - 56;
    /** How far data may be drawn outside the plot: enough for a whole point on an edge. */
    public static final double CLIP_MARGIN = 6;
    /** Colour of titles, labels and axes. */
    public static final String TEXT_COLOUR = "#333";
    /** Colour of the grid lines. */
    public static final String GRID_COLOUR = "#e6e6e6";
    /** The id of the plot area's clip path: data goes in a {@code <g clip-path="url(#plot)">}. */
    public static final String CLIP = "url(#plot)";

    private SvgPlot() {
    }

    /** A linear map from data values to pixels. */
    public record Scale(double from, double to, double pixelFrom, double pixelTo) {
        /** The pixel of a data value. */
        public double map(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }

    /**
     * An axis over data from {@code lo} to {@code hi}: its round ticks, and the scale onto pixels
     * {@code pixelFrom..pixelTo} that spans the data and the outer ticks.
     */
    public record Axis(double[] ticks, Scale scale) {
        /** About {@code target} round ticks covering [lo, hi], mapped onto {@code pixelFrom..pixelTo}. */
        public static Axis of(double lo, double hi, int target, double pixelFrom, double pixelTo) {
            double[] t = SvgPlot.ticks(lo, hi, target);
            return new Axis(t, new Scale(Math.min(lo, t[0]), Math.max(hi, t[t.length - 1]), pixelFrom, pixelTo));
        }

        /** The lowest value the axis shows. */
        public double min() {
            return scale.from();
        }

        /** The highest value the axis shows. */
        public double max() {
            return scale.to();
        }
    }

    /**
     * Opens the document: the {@code <svg>} element, a {@code <title>}, a white background, the plot's clip path
     * and the title and subtitle lines.
     */
    public static StringBuilder begin(String title, String subtitle) {
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
        return svg;
    }

    /**
     * Grid lines, tick labels (x by {@code xLabel}, y with as many decimals as the tick spacing needs), the two
     * axis lines and the axis titles.
     */
    public static void axes(StringBuilder svg, Axis x, Axis y, DoubleFunction<String> xLabel, String xTitle, String yTitle) {
        int yDecimals = decimals(y.ticks());
        for (double v : y.ticks()) {
            double py = y.scale().map(v);
            line(svg, LEFT, py, RIGHT, py, GRID_COLOUR, 1);
            text(svg, LEFT - 8, py + 4, "end", "", String.format(Locale.ROOT, "%." + yDecimals + "f", v));
        }
        for (double v : x.ticks()) {
            double px = x.scale().map(v);
            line(svg, px, TOP, px, BOTTOM, GRID_COLOUR, 1);
            line(svg, px, BOTTOM, px, BOTTOM + 5, TEXT_COLOUR, 1);
            text(svg, px, BOTTOM + 19, "middle", "", xLabel.apply(v));
        }
        line(svg, LEFT, BOTTOM, RIGHT, BOTTOM, TEXT_COLOUR, 1);
        line(svg, LEFT, TOP, LEFT, BOTTOM, TEXT_COLOUR, 1);
        text(svg, (LEFT + RIGHT) / 2, HEIGHT - 14, "middle", "font-size=\"13\"", xTitle);
        svg.append("<text transform=\"translate(20 ").append(f((TOP + BOTTOM) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\" fill=\"").append(TEXT_COLOUR)
                .append("\">").append(escape(yTitle)).append("</text>\n");
    }

    /** Closes the document. */
    public static String end(StringBuilder svg) {
        return svg.append("</svg>\n").toString();
    }

    /** Round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi], about {@code target} of them. */
    public static double[] ticks(double lo, double hi, int target) {
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

    /** Decimals that tell ticks this far apart from each other. */
    public static int decimals(double[] ticks) {
        if (ticks.length < 2) return 2;
        double step = ticks[1] - ticks[0];
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    /** A legend label at ({@code x}, {@code y}); returns where the next entry starts (6.6 px a character). */
    public static double legendText(StringBuilder svg, double x, double y, String label) {
        text(svg, x, y, "start", "", label);
        return x + 6.6 * label.length() + 22;
    }

    /** A polyline through pixel points (nothing for none). */
    public static void polyline(StringBuilder svg, List<double[]> pts, String colour, double width, String opacity) {
        if (pts.isEmpty()) return;
        svg.append("<polyline points=\"").append(points(pts)).append("\" stroke=\"").append(colour)
                .append("\" stroke-width=\"").append(f(width)).append("\" stroke-opacity=\"").append(opacity).append("\"/>\n");
    }

    /** Pixel points as an SVG {@code points} attribute: {@code x,y x,y ...}. */
    public static String points(List<double[]> pts) {
        StringBuilder sb = new StringBuilder(pts.size() * 12);
        for (double[] p : pts) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(f(p[0])).append(',').append(f(p[1]));
        }
        return sb.toString();
    }

    /** A filled circle of radius {@code r} with a white rim. */
    public static void circle(StringBuilder svg, double x, double y, int r, String colour) {
        svg.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"").append(r)
                .append("\" fill=\"").append(colour).append("\" stroke=\"white\" stroke-width=\"1\"/>\n");
    }

    /** A straight line. */
    public static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String colour, double width) {
        svg.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(f(width)).append("\"/>\n");
    }

    /**
     * A text element anchored {@code start}, {@code middle} or {@code end}; {@code attributes} are added as given
     * (the text colour unless they set {@code fill}); the content is escaped.
     */
    public static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
        svg.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"").append(anchor).append('"');
        if (!attributes.contains("fill=")) svg.append(" fill=\"").append(TEXT_COLOUR).append('"');
        if (!attributes.isEmpty()) svg.append(' ').append(attributes);
        svg.append('>').append(escape(content)).append("</text>\n");
    }

    /** One decimal, no exponent: enough for pixels. */
    public static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Text made safe for SVG content and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
