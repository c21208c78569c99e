package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.reference.ReferenceTraces;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The files {@code train} writes: {@code --metrics} CSV and {@code --plot} SVG. */
class ReportFilesTest {

    @Test
    void metricsHaveOneRowPerStepWithExactLossesAndValidationWhereComputed(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("m.csv");
        CliRunner r = CliRunner.run("train", "--steps", "1000", "--val-fraction", "0.1", "--eval-every", "400", "--eval-docs", "20",
                "--samples", "0", "--quiet", "--metrics", csv.toString());
        assertEquals(0, r.exitCode(), r.describe());
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(MetricsWriter.HEADER, rows.get(0));
        assertEquals(1001, rows.size());
        double[] reference = ReferenceTraces.losses();
        double[] computed = new double[1000];
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).validationFraction(0.1).start()) {
            run.train(step -> computed[step.step() - 1] = step.loss());
        }
        for (int step = 1; step <= 1000; step++) {
            String[] f = rows.get(step).split(",", -1);
            assertEquals(6, f.length, rows.get(step));
            assertEquals(step, Integer.parseInt(f[0]));
            // Full precision: the run's losses read back as the same doubles (and they are the reference's).
            assertEquals(computed[step - 1], Double.parseDouble(f[1]), 0.0, "loss of step " + step);
            assertEquals(reference[step - 1], Double.parseDouble(f[1]), 1e-12, "loss of step " + step);
            assertEquals(0.01 * (1 - (step - 1) / 1000.0), Double.parseDouble(f[2]), 1e-15, "learning rate of step " + step);
            assertTrue(Double.parseDouble(f[3]) > 0, "step time of step " + step);
            boolean evaluated = step == 400 || step == 800 || step == 1000;
            assertEquals(evaluated, !f[4].isEmpty(), "val_loss of step " + step + ": " + rows.get(step));
            assertEquals(evaluated, !f[5].isEmpty(), "val_bpc of step " + step + ": " + rows.get(step));
            if (evaluated) {
                assertTrue(Double.parseDouble(f[4]) > 1 && Double.parseDouble(f[4]) < 4, rows.get(step));
                // one token per character: bits per character is loss / ln 2
                assertEquals(Double.parseDouble(f[4]) / Math.log(2), Double.parseDouble(f[5]), 1e-12, rows.get(step));
            }
        }
    }

    @Test
    void plotIsAWellFormedSvgWithBothLossLinesValidationPointsAxesAndTitle(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("loss.svg");
        CliRunner r = CliRunner.run("train", "--steps", "60", "--val-fraction", "0.1", "--eval-every", "20", "--eval-docs", "10",
                "--samples", "0", "--quiet", "--plot", svg.toString());
        assertEquals(0, r.exitCode(), r.describe());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getTagName());
        NodeList lines = doc.getElementsByTagName("polyline");
        // per-step loss, smoothed loss, the dashed line through the validation points
        assertEquals(3, lines.getLength());
        assertEquals(60, ((Element) lines.item(0)).getAttribute("points").split(" ").length, "one point per step");
        assertEquals(60, ((Element) lines.item(1)).getAttribute("points").split(" ").length, "one point per step");
        // 3 validation points (steps 20, 40, 60) and the legend's marker
        assertEquals(4, doc.getElementsByTagName("circle").getLength());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("microgpt: bundled names, 60 steps"), text);
        assertTrue(text.contains("n_embd 16, n_head 4, n_layer 1, block 16, 4,192 params | batch 1, lr 0.01, seed 42 | scalar backend"), text);
        assertTrue(text.contains("step") && text.contains("loss (cross-entropy, nats)"), "axis titles: " + text);
        assertTrue(text.contains("validation (10 of 3,203 held-out docs)"), text);
        String content = Files.readString(svg);
        assertTrue(!content.contains("<script") && !content.contains("href"), "self-contained");
    }

    @Test
    void aDivergedRunDoesNotClaimABestFileItNeverWrote(@TempDir Path dir) {
        Path best = dir.resolve("best.safetensors");
        CliRunner r = CliRunner.run("train", "--steps", "20", "--lr", "1e10", "--val-fraction", "0.1", "--eval-every", "5",
                "--eval-docs", "8", "--samples", "0", "--save-best", best.toString());
        assertTrue(r.out().contains("best: " + best + " not written (no validation loss was finite: the run diverged; try a lower --lr)"),
                r.describe());
        assertTrue(!r.out().contains("after step"), r.describe());
        assertTrue(!Files.exists(best), "no best file");
    }
}
