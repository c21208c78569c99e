package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's {@code --metrics} CSV says about it at the end, read by the header's column names (so columns
 * that {@code train} adds later are found by name): the last step and its loss, the last and the lowest value
 * of every validation column ({@code val_loss}, and any other {@code val_*} such as bits per character), the
 * step of the lowest validation loss, and the mean computation time per step over the rows that have one (a
 * resumed run's earlier steps, replayed from its checkpoint, have none).
 *
 * @param lastStep       the last row's step, 0 for no rows
 * @param lastLoss       its training loss
 * @param finalValues    per validation column, the last value computed
 * @param bestValues     per validation column, the lowest value computed
 * @param bestStep       the step of the lowest {@code val_loss}, or -1
 * @param meanStepMicros mean {@code step_us} over the rows that have it, NaN if none
 */
record MetricsSummary(int lastStep, double lastLoss, Map<String, Double> finalValues, Map<String, Double> bestValues, int bestStep,
                      double meanStepMicros) {

    /** Reads the file; a {@link MicrogptException} if it is missing or not a metrics file. */
    static MetricsSummary read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) throw new MicrogptException(Text.shown(file) + " is empty: not a metrics file");
            List<String> columns = List.of(header.split(",", -1));
            int step = columns.indexOf("step");
            int loss = columns.indexOf("loss");
            int stepUs = columns.indexOf("step_us");
            if (step < 0 || loss < 0) throw new MicrogptException(Text.shown(file) + " has no step and loss columns: not a metrics file");
            List<Integer> validation = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) if (columns.get(c).startsWith("val_")) validation.add(c);
            Map<String, Double> finals = new LinkedHashMap<>();
            Map<String, Double> bests = new LinkedHashMap<>();
            int lastStep = 0;
            double lastLoss = Double.NaN;
            int bestStep = -1;
            double stepMicros = 0;
            int timed = 0;
            for (String row; (row = in.readLine()) != null; ) {
                if (row.isBlank()) continue;
                String[] cells = row.split(",", -1);
                if (cells.length < columns.size()) continue;   // a row cut by a killed write
                lastStep = Integer.parseInt(cells[step]);
                lastLoss = Double.parseDouble(cells[loss]);
                if (stepUs >= 0 && !cells[stepUs].isEmpty()) {
                    stepMicros += Double.parseDouble(cells[stepUs]);
                    timed++;
                }
                for (int c : validation) {
                    if (cells[c].isEmpty()) continue;
                    String name = columns.get(c);
                    double v = Double.parseDouble(cells[c]);
                    finals.put(name, v);
                    Double best = bests.get(name);
                    if (best == null || v < best) {
                        bests.put(name, v);
                        if (name.equals("val_loss")) bestStep = lastStep;
                    }
                }
            }
            return new MetricsSummary(lastStep, lastLoss, finals, bests, bestStep, timed == 0 ? Double.NaN : stepMicros / timed);
        } catch (IOException e) {
            throw new MicrogptException("cannot read " + Text.shown(file) + ": " + Text.reason(e), e);
        } catch (NumberFormatException e) {
            throw new MicrogptException(Text.shown(file) + " has a value that is not a number (" + Text.bounded(e.getMessage())
                    + "): not a metrics file of train", e);
        }
    }
}
