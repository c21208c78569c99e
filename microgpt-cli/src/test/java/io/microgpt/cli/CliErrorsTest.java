package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad input gives one error line and exit code 2, never a stack trace. */
class CliErrorsTest {

    private static void assertOneLineError(CliRunner r, String expectedFragment) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(expectedFragment), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void badFlagsAndValues() {
        assertOneLineError(CliRunner.run("train", "--steps", "x"), "--steps 'x' is not an integer");
        assertOneLineError(CliRunner.run("train", "--no-such-flag"), "--no-such-flag");
        assertOneLineError(CliRunner.run("train", "--n-embd", "30", "--n-head", "4"), "--n-embd 30 is not divisible by --n-head 4");
        assertOneLineError(CliRunner.run("train", "--steps", "-1"), "steps must be 0 or more");
        assertOneLineError(CliRunner.run("train", "--backend", "quantum"), "unknown backend 'quantum'");
        assertOneLineError(CliRunner.run("train", "--data", "/no/such/file.txt"), "does not exist");
        assertOneLineError(CliRunner.run("train", "--temperature", "0"), "--temperature");
    }

    @Test
    void helpDocumentsEveryFlag() {
        CliRunner r = CliRunner.run("train", "--help");
        assertEquals(0, r.exitCode());
        for (String flag : new String[] {"--data", "--backend", "--n-embd", "--n-head", "--n-layer", "--block-size",
                "--steps", "--batch", "--lr", "--seed", "--samples", "--temperature"}) {
            assertTrue(r.out().contains(flag), flag + " missing from help");
        }
    }

    @Test
    void trainHelpReadsInSections() {
        String help = CliRunner.run("train", "--help").out();
        String[][] sections = {{"Data:", "--data"}, {"Model:", "--n-embd"}, {"Optimisation:", "--steps"},
                {"Backend:", "--backend"}, {"Checkpoints:", "--resume"}, {"Progress:", "--quiet"},
                {"Validation and reports:", "--plot"}, {"Sampling after training:", "--temperature"}};
        int previous = -1;
        for (String[] section : sections) {
            int heading = help.indexOf("\n" + section[0] + "\n");
            assertTrue(heading > previous, section[0] + " missing or out of order in:\n" + help);
            int flag = help.indexOf(section[1], heading);
            assertTrue(flag > heading, section[1] + " not under " + section[0] + ":\n" + help);
            previous = heading;
        }
    }

    @Test
    void mistypedCommandGetsASuggestion() {
        CliRunner r = CliRunner.run("trian");
        assertEquals(2, r.exitCode(), r.describe());
        assertEquals("error: unknown command 'trian'\nDid you mean: train?\ntry 'microgpt --help'\n", r.err());
    }

    @Test
    void mistypedOptionIsNamedWithoutItsValue() {
        CliRunner r = CliRunner.run("train", "--stpes", "10");
        assertEquals(2, r.exitCode(), r.describe());
        String firstLine = r.err().lines().findFirst().orElse("");
        assertEquals("error: unknown option '--stpes'", firstLine, r.describe());
        assertTrue(r.err().contains("Did you mean: --steps"), r.describe());
        assertTrue(r.err().endsWith("try 'microgpt train --help'\n"), r.describe());
    }
}
