package io.microgpt.cli.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runs no other run beats on both counts: none took less or equal wall time for a lower or equal
 * validation loss, with one of the two strictly better. Along the front, each extra second buys a lower loss;
 * off it, some run is both faster and as good. Runs without a validation loss or wall time are left out.
 */
final class ParetoFront {
    private ParetoFront() {
    }

    /** The front, fastest first. */
    static List<RunResult> of(List<RunResult> results) {
        List<RunResult> sorted = new ArrayList<>();
        for (RunResult r : results) if (Double.isFinite(r.finalValidationLoss()) && Double.isFinite(r.wallSeconds())) sorted.add(r);
        sorted.sort(Comparator.comparingDouble(RunResult::wallSeconds).thenComparingDouble(RunResult::finalValidationLoss));
        List<RunResult> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (RunResult r : sorted) {
            if (r.finalValidationLoss() < best) {
                front.add(r);
                best = r.finalValidationLoss();
            }
        }
        return front;
    }
}
