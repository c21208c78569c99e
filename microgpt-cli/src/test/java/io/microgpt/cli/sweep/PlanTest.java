package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    private static Setting s(String flag, String... values) {
        return new Setting(flag, List.of(values));
    }

    @Test
    void runsAreEveryCombinationTheLastAxisFastest() {
        Plan plan = Plan.of(List.of(s("--n-embd", "16", "32"), s("--steps", "200"), s("--lr", "0.01", "0.003", "0.001")));
        assertEquals(6, plan.size());
        List<PlannedRun> runs = plan.runs();
        assertEquals("--n-embd 16 --lr 0.01", runs.get(0).label());
        assertEquals("--n-embd 16 --lr 0.001", runs.get(2).label());
        assertEquals("--n-embd 32 --lr 0.01", runs.get(3).label());
        assertEquals(List.of("--n-embd", "32", "--steps", "200", "--lr", "0.001", "--val-fraction", "0.1"), runs.get(5).args(),
                "flags in the order given, the sweep's validation share last");
        assertEquals("005", runs.get(5).name());
        assertEquals(runs.get(4), plan.run(4), "a run is the same whether listed or asked for by index");
    }

    @Test
    void aPlanWithoutAxesIsOneRun() {
        Plan plan = Plan.of(List.of(s("--steps", "50"), s("--weights-only")));
        assertEquals(1, plan.size());
        assertEquals("(the only run)", plan.run(0).label());
        assertEquals(List.of("--steps", "50", "--weights-only", "--val-fraction", "0.1"), plan.run(0).args());
    }

    @Test
    void foldersAreNumberedToTheSameWidth() {
        assertEquals("007", Plan.name(7, 8));
        assertEquals("0007", Plan.name(7, 1001));
        assertEquals("999", Plan.name(999, 1000));
    }

    @Test
    void theIdentityLeavesOutHowRunsExecute() {
        Plan a = Plan.of(List.of(s("--lr", "0.1", "0.2"), s("--threads", "1")));
        Plan b = Plan.of(List.of(s("--threads", "2"), s("--lr", "0.1", "0.2"), s("--log-every", "10")));
        assertEquals(a.id(), b.id());
        assertEquals(List.of(), a.differences(b, "here", "there"));
        assertNotEquals(a.id(), Plan.of(List.of(s("--lr", "0.1", "0.3"))).id());
        // an axis of threads is part of the plan: its runs differ
        assertNotEquals(a.id(), Plan.of(List.of(s("--lr", "0.1", "0.2"), s("--threads", "1", "2"))).id());
    }

    @Test
    void differencesSayWhatChangedInFlags() {
        Plan here = Plan.of(List.of(s("--lr", "0.1", "0.2"), s("--steps", "100"), s("--seed", "1", "2")));
        Plan there = Plan.of(List.of(s("--lr", "0.1", "0.3"), s("--steps", "100"), s("--batch", "4")));
        assertEquals(List.of("--lr 0.1,0.2 here, 0.1,0.3 there", "--seed 1,2 here, not given there", "--batch 4 there, not given here"),
                here.differences(there, "here", "there"));
        Plan swapped = Plan.of(List.of(s("--seed", "1", "2"), s("--lr", "0.1", "0.2"), s("--steps", "100")));
        assertTrue(here.differences(swapped, "here", "there").get(0).startsWith("the grid's flags come in another order"));
    }

    @Test
    void jsonReadsBackToTheSamePlan() {
        Plan plan = Plan.of(List.of(s("--data", "my file, with commas? no: a path"), s("--lr", "0.1", "0.2"), s("--weights-only")));
        Plan back = Plan.parse(plan.json(), "test");
        assertEquals(plan, back);
        assertTrue(plan.json().contains("\"runs_total\": 2"));
        assertThrows(MicrogptException.class, () -> Plan.parse("{\"format\": 99, \"settings\": []}", "x"));
        assertThrows(MicrogptException.class, () -> Plan.parse("[1, 2", "x"));
    }

    @Test
    void aZeroValidationShareIsRefused() {
        MicrogptException e = assertThrows(MicrogptException.class, () -> Plan.of(List.of(s("--val-fraction", "0.1", "0.0"))));
        assertTrue(e.getMessage().startsWith("--val-fraction 0 leaves nothing to compare"), e.getMessage());
    }
}
