package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad sweeps are refused before anything runs or is written: one {@code error:} line, exit 2. */
class SweepBadInputTest {
    @TempDir
    Path tmp;

    private Path out() {
        return tmp.resolve("out");
    }

    /** Exit 2, the first line {@code error: ...} containing {@code fragment}, no stack trace, nothing written in {@code --out}. */
    private void refused(SweepCli r, String fragment) {
        assertEquals(2, r.exitCode(), r.describe());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("error: ") && first.contains(fragment), "expected an error containing '" + fragment + "':\n" + r.describe());
        assertFalse(r.err().contains("\tat "), r.describe());
        assertFalse(Files.exists(out().resolve("results.jsonl")), "nothing ran");
    }

    @Test
    void aGridWithNoRunsIsRefused() {
        refused(SweepCli.sweep("--out", out().toString(), "--lr", ","), "--lr ',' has an empty value");
        refused(SweepCli.sweep("--out", out().toString(), "--lr", "0.01,"), "has an empty value");
        refused(SweepCli.sweep("--out", out().toString(), "--lr", "0.01,0.01"), "gives '0.01' twice");
        assertFalse(Files.exists(out()), "no folder for a refused plan");
    }

    @Test
    void aGridOverMaxRunsNeedsYes() {
        refused(SweepCli.sweep("--out", out().toString(), "--seed", "1,2,3", "--lr", "0.1,0.2,0.3", "--max-runs", "8"),
                "the grid makes 9 runs, more than --max-runs 8: add --yes");
        // with --yes the size passes; the index then shows the plan's size
        refused(SweepCli.sweep("--out", out().toString(), "--seed", "1,2,3", "--lr", "0.1,0.2,0.3", "--max-runs", "8", "--yes",
                "--index", "9"), "--index 9 is outside the plan: it has 9 runs (--index 0 to 8)");
    }

    @Test
    void anIndexOutsideThePlanNamesItsSize() {
        refused(SweepCli.sweep("--out", out().toString(), "--lr", "0.1,0.2", "--index", "2"),
                "--index 2 is outside the plan: it has 2 runs (--index 0 to 1)");
        refused(SweepCli.sweep("--out", out().toString(), "--index", "-1"), "--index -1 is outside the plan: it has 1 run (--index 0)");
    }

    @Test
    void aFolderOfAnotherPlanIsRefusedWithWhatChanged() {
        PlanFile.claim(out(), Plan.of(List.of(new Setting("--lr", List.of("0.01", "0.003")), new Setting("--steps", List.of("100")))));
        refused(SweepCli.sweep("--out", out().toString(), "--lr", "0.01,0.001", "--steps", "200", "--list"),
                "holds another sweep: --lr 0.01,0.001 here, 0.01,0.003 in");
        SweepCli r = SweepCli.sweep("--out", out().toString(), "--lr", "0.01,0.001", "--steps", "200", "--index", "0");
        refused(r, "--steps 200 here, 100 in");
        refused(SweepCli.sweep("--out", out().toString(), "--steps", "100", "--lr", "0.01,0.003", "--seed", "1,2", "--index", "0"),
                "--seed 1,2 here, not given in");
        // what identifies a plan is the values, not how the runs are executed
        SweepCli same = SweepCli.run("sweep", "--out", out().toString(), "--lr", "0.01,0.003", "--steps", "100", "--threads", "1",
                "--list");
        assertFalse(same.err().contains("another sweep"), same.describe());
    }

    @Test
    void flagsOfTrainOnlyOrOfSweepOnlyAreRefusedOnTheOther() {
        refused(SweepCli.sweep("--out", out().toString(), "--save", "x.safetensors"), "--save is set by the sweep");
        refused(SweepCli.sweep("--out", out().toString(), "--metrics", "m.csv"), "--metrics is set by the sweep");
        refused(SweepCli.sweep("--out", out().toString(), "--stop-after", "3"), "--stop-after is not available in a sweep");
        refused(SweepCli.sweep("--out", out().toString(), "--weights-only"), "--weights-only is not available in a sweep");
        refused(SweepCli.sweep("--out", out().toString(), "-q"), "--quiet is not available in a sweep");
        refused(SweepCli.sweep("--out", out().toString(), "--no-such-flag", "1"), "unknown option '--no-such-flag': neither a sweep nor a train flag");
        refused(SweepCli.sweep("--out", out().toString(), "--lr"), "--lr needs a value");
        refused(SweepCli.sweep("--out", out().toString(), "stray"), "unexpected argument 'stray'");
        refused(SweepCli.sweep("--lr", "0.1,0.2"), "sweep needs --out DIR");
        for (String[] flag : new String[][] {{"--parallel", "2"}, {"--index", "1"}, {"--max-runs", "3"}, {"--grid", "g.txt"}, {"--list"}}) {
            String[] args = new String[flag.length + 1];
            args[0] = "train";
            System.arraycopy(flag, 0, args, 1, flag.length);
            SweepCli r = SweepCli.run(args);
            assertEquals(2, r.exitCode(), r.describe());
            assertEquals("error: unknown option '" + flag[0] + "' (a flag of 'microgpt sweep')", r.err().lines().findFirst().orElse(""));
        }
    }

    @Test
    void valuesTrainWouldRefuseAreRefusedBeforeTheFirstRun() {
        refused(SweepCli.sweep("--out", out().toString(), "--steps", "x,2"), "run 0 (--steps x): --steps 'x' is not an integer");
        refused(SweepCli.sweep("--out", out().toString(), "--n-embd", "8,9"), "run 1 (--n-embd 9): --n-embd 9 is not divisible by --n-head 2");
        // train's own checks of flags that go together, for every run
        refused(SweepCli.sweep("--out", out().toString(), "--steps", "100", "--warmup", "10,100"),
                "run 1 (--warmup 100): --warmup 100 must be less than --steps 100");
        refused(SweepCli.sweep("--out", out().toString(), "--tokenizer", "bpe,char", "--vocab-size", "300"),
                "run 1 (--tokenizer char): --vocab-size is for --tokenizer bpe");
        refused(SweepCli.sweep("--out", out().toString(), "--n-head", "4"), "--n-head is given twice: give its values once");
        refused(SweepCli.sweep("--out", out().toString(), "--val-fraction", "0,0.1"), "--val-fraction 0 leaves nothing to compare the runs by");
        assertFalse(Files.exists(out()), "no folder for a refused plan");
    }

    @Test
    void resumeTakesItsPlanFromTheFolder() {
        refused(SweepCli.run("sweep", "--resume", out().toString()), "holds no sweep (no plan.json)");
        PlanFile.claim(out(), Plan.of(List.of(new Setting("--lr", List.of("0.01", "0.003")))));
        refused(SweepCli.run("sweep", "--resume", out().toString(), "--lr", "0.1"), "--lr would change the plan that --resume");
        refused(SweepCli.run("sweep", "--resume", out().toString(), "--out", out().toString()), "not both");
    }

    @Test
    void aPlanFileThatIsNotARegularFileIsRefusedNotWaitedOn() throws Exception {
        Files.createDirectories(out());
        Path plan = out().resolve("plan.json");
        Process mkfifo = new ProcessBuilder("mkfifo", plan.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        SweepCli r = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> SweepCli.sweep("--out", out().toString(), "--lr", "0.01,0.003"));
        refused(r, "sweep plan " + plan + " is not a regular file");
    }
}
