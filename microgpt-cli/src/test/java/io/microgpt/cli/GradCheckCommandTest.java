package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.spi.Backend;
import org.junit.jupiter.api.Test;

class GradCheckCommandTest {

    @Test
    void everyAvailableBackendPassesWithExitCodeZero() {
        CliRunner r = CliRunner.run("gradcheck");
        assertEquals(0, r.exitCode(), r.describe());
        for (String tensor : new String[] {"wte", "wpe", "lm_head", "layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv",
                "layer0.attn_wo", "layer0.mlp_fc1", "layer0.mlp_fc2"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(tensor + " ") && l.endsWith("ok")),
                    "no passing row for " + tensor + "\n" + r.describe());
        }
        // Every available backend (scalar, and simd where it is on the class path) is checked and passes.
        assertTrue(r.out().contains("PASS: " + Backends.available().size() + " backend(s), 9 tensors each"), r.describe());
        for (Backend b : Backends.available()) assertTrue(r.out().contains("backend " + b.name() + ": loss "), r.describe());
        // The test fixture is on the class path but disabled: listed as skipped, not checked.
        assertTrue(r.out().contains("skipping backend " + WrongGradientBackend.NAME), r.describe());
    }

    @Test
    void aModelWithoutLayersPassesOnEveryBackend() {
        // --n-layer 0 (embeddings, norm and lm_head) runs in the reference; every backend must cope with it.
        CliRunner r = CliRunner.run("gradcheck", "--n-layer", "0");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("PASS: " + Backends.available().size() + " backend(s), 3 tensors each"), r.describe());
    }

    @Test
    void aBackendWithAOnePercentGradientErrorFailsWithExitCodeOne() {
        System.setProperty(WrongGradientBackend.ENABLE, "true");
        try {
            CliRunner r = CliRunner.run("gradcheck", "--backend", WrongGradientBackend.NAME);
            assertEquals(GradCheckCommand.EXIT_ABOVE_TOLERANCE, r.exitCode(), r.describe());
            assertTrue(r.out().contains("FAIL: 2 difference(s)"), "one against scalar, one against finite differences\n" + r.describe());
            assertTrue(r.out().contains(WrongGradientBackend.NAME + " " + WrongGradientBackend.BROKEN_TENSOR + " vs scalar"), r.describe());
            assertTrue(r.out().contains(WrongGradientBackend.NAME + " " + WrongGradientBackend.BROKEN_TENSOR + " vs finite differences"),
                    r.describe());
            // Every other tensor of the broken backend still passes.
            long failingRows = r.out().lines().filter(l -> l.endsWith("FAIL")).count();
            assertEquals(1, failingRows, r.describe());

            CliRunner all = CliRunner.run("gradcheck");   // the default checks every available backend, the broken one included
            assertEquals(GradCheckCommand.EXIT_ABOVE_TOLERANCE, all.exitCode(), all.describe());
        } finally {
            System.clearProperty(WrongGradientBackend.ENABLE);
        }
    }

    @Test
    void parametersOnAReluKinkAreSkippedNotFailed() {
        // With h = 1e-5 this deeper, narrower model has sampled parameters where a ReLU input is within h of 0:
        // the central difference there is not a derivative (measured: 2 of 240; with h = 1e-6 none).
        CliRunner r = CliRunner.run("gradcheck", "--n-embd", "8", "--n-head", "2", "--n-layer", "2", "--block-size", "8",
                "--batch", "3", "--fd-step", "1e-5");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("skipped 2 of 240 sampled parameters: on a ReLU kink"), r.describe());
        assertTrue(r.out().contains("layer1.mlp_fc2"), r.describe());
    }

    @Test
    void badOptionsExitWithTwoAndOneLine() {
        CliRunner r = CliRunner.run("gradcheck", "--n-embd", "30", "--n-head", "4");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("error: --n-embd 30 is not divisible by --n-head 4 (head size must be whole)\n", r.err());

        CliRunner unknown = CliRunner.run("gradcheck", "--backend", "nope");
        assertEquals(Main.EXIT_BAD_INPUT, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.err().startsWith("error: unknown backend 'nope'"), unknown.describe());
    }
}
