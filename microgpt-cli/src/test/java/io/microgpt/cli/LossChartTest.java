package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class LossChartTest {

    @Test
    void ticksAreRoundNumbersCoveringTheRange() {
        assertArrayEquals(new double[] {1.5, 2.0, 2.5, 3.0, 3.5}, SvgPlot.ticks(1.5, 3.41, 6), 1e-12);
        assertArrayEquals(new double[] {1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6}, SvgPlot.ticks(1.63, 3.55, 8), 1e-12);
        assertArrayEquals(new double[] {0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000}, SvgPlot.ticks(0, 1000, 8), 1e-9);
        assertArrayEquals(new double[] {0, 5000, 10000, 15000, 20000, 25000, 30000}, SvgPlot.ticks(0, 30000, 8), 1e-9);
    }

    @Test
    void yRangeIgnoresTheMostExtremePerStepLossesButKeepsSmoothedAndValidation() {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 1000; i++) h.add(i, i == 500 ? 40.0 : 2.0 + (i % 10) / 10.0, 2.4);
        h.addValidation(1000, 1.5, Double.NaN);
        double[] range = LossChart.yRange(h);
        assertEquals(1.5, range[0], 1e-12, "validation point below every step loss");
        assertEquals(2.9, range[1], 1e-12, "the one spike to 40 does not squash the chart");
    }

    @Test
    void longRunsAreThinnedToAFewThousandPointsAndStayValidXml() throws Exception {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 100_000; i++) h.add(i, 3 - i / 50_000.0 + Math.sin(i), 3 - i / 50_000.0);
        String svg = LossChart.render(h, "a < b & \"c\"", "sub", "validation");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element raw = (Element) doc.getElementsByTagName("polyline").item(0);
        int points = raw.getAttribute("points").split(" ").length;
        assertTrue(points <= 4000 && points >= 2000, "per-step line keeps each bucket's min and max: " + points);
        assertTrue(svg.contains("a &lt; b &amp; &quot;c&quot;"), "title escaped");
        assertTrue(svg.contains(">100,000</text>"), "last x tick labelled");
    }

    @Test
    void anEmptyHistoryStillRenders() throws Exception {
        String svg = LossChart.render(new LossHistory(), "t", "s", "v");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lossesOutsideTheAxisAreMarkedAndCounted() throws Exception {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 1000; i++) h.add(i, i == 500 ? 40.0 : i == 700 ? 0.5 : 2.0 + (i % 10) / 10.0, 2.4);
        String svg = LossChart.render(h, "t", "s", "v");
        assertTrue(svg.contains(">\u25b2 1 step loss above the axis (highest 40.00); \u25bc 1 below it (lowest 0.50)</text>"), svg);
        Document doc = parse(svg);
        String marks = ((Element) doc.getElementsByTagName("path").item(0)).getAttribute("d");
        assertEquals(2, marks.split("Z").length, "one triangle per clipped loss: " + marks);
        assertTrue(marks.startsWith("M"), marks);
    }

    @Test
    void nothingIsMarkedWhenEveryLossFits() {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 50; i++) h.add(i, 2.0 + (i % 5) / 10.0, 2.2);
        String svg = LossChart.render(h, "t", "s", "v");
        assertTrue(!svg.contains("<path") && !svg.contains("above the axis"), svg);
    }

    @Test
    void theLastValidationPointIsDrawnWhole() throws Exception {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 1000; i++) h.add(i, 2.5, 2.5);
        h.addValidation(1000, 2.6, 3.75);
        Document doc = parse(LossChart.render(h, "t", "s", "v"));
        Element clip = (Element) ((Element) doc.getElementsByTagName("clipPath").item(0)).getElementsByTagName("rect").item(0);
        double clipRight = Double.parseDouble(clip.getAttribute("x")) + Double.parseDouble(clip.getAttribute("width"));
        Element point = (Element) doc.getElementsByTagName("circle").item(0);
        double pointRight = Double.parseDouble(point.getAttribute("cx")) + Double.parseDouble(point.getAttribute("r"));
        assertTrue(pointRight <= clipRight, "point reaches " + pointRight + ", the clip ends at " + clipRight);
        assertTrue(clipRight <= SvgPlot.WIDTH, "and the clip stays inside the picture");
        assertTrue(LossChart.render(h, "t", "s", "v").contains("v: 2.6000 (3.7500 bits/char)"), "the legend has bits per character");
    }
}
