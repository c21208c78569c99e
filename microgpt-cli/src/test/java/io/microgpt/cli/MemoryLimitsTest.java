package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by what was asked: sizes that cannot fit are refused with one line (exit 2) before they are
 * allocated, and anything the estimates miss is still one line. The big cases run in a JVM of their own with a
 * 256 MB heap, so that nothing really fills memory.
 */
class MemoryLimitsTest {
    private static final String HEAP = "256m";

    @TempDir
    Path dir;

    /** Runs each command line in one forked JVM; returns its report lines (see {@link ForkedCli}). */
    private static List<String> forked(String heap, List<String[]> commands) throws Exception {
        Process p = ForkedCli.start(heap);
        try (PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (String[] c : commands) in.println(String.join("\t", c));
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) lines.add(line);
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the forked JVM ended");
        assertEquals(commands.size(), lines.size(), "one report per command: " + lines);
        return lines;
    }

    @Test
    void sizesThatCannotFitAreRefusedWithOneLine() throws Exception {
        Path big = dir.resolve("big.txt");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] line = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 30 * 1024 * 1024 / line.length; i++) out.write(line);   // 30 MB: 12 x that is over 256 MB
        }
        Path deep = new ForgedCheckpoint("abcdefghijklmnopqrstuvwxyz", 2, 1, 30_000, 16).write(dir.resolve("deep.safetensors"));
        Path wide = new ForgedCheckpoint("abcdefghijklmnopqrstuvwxyz", 4, 1, 1, 300_000).write(dir.resolve("wide.safetensors"));
        String[][] cases = {
                {"train --n-embd 1024 --n-layer 2 --steps 1", "the model needs 25,237,504 parameters (vocab 27, n_embd 1024, n_layer 2, block_size 16),"
                        + " about 807.6 MB for weights, gradients and Adam state, more than the ", "lower n_embd or n_layer"},
                {"train --n-embd 256 --n-layer 2 --steps 1", "the run needs about ", "GB of it for the scalar autograd tape for 1 document of 16 positions), more than the "},
                {"train --n-layer 5000 --steps 1", "the model needs 15,361,120 parameters", "lower n_embd or n_layer"},
                {"train --n-layer 500 --steps 1", "the run needs about ", "lower --"},
                {"train --block-size 2000000 --steps 1", "the model needs 32,003,936 parameters", "lower block_size,"},
                {"train --batch 5000 --steps 1", "the run needs about ", "for the scalar autograd tape for 5000 documents of 16 positions"},
                {"train --batch 2147483647 --steps 1", "the run would need an array of ", "lower --batch, --n-embd or --n-layer"},
                {"bench --batch 2147483647 --seconds 0.01 --rounds 1 --backend scalar", "the run would need an array of ", "lower --batch"},
                {"gradcheck --batch 2147483647", "the run would need an array of ", "lower --batch"},
                // cut into chunks, the simd buffers no longer grow with the batch: its documents' count does
                {"train --backend simd --batch 100000000 --steps 1", "the run needs about ", "lower --batch or --block-size"},
                {"train --backend simd --block-size 50000 --steps 1", "the run needs about ", "lower --batch or --block-size"},
                {"train --backend simd --block-size 65536 --steps 1", "the run needs about ", "lower --batch or --block-size"},
                {"train --data " + big + " --steps 1", "--data " + big + " is 31.5 MB; holding it as documents and tokens takes about 377.5 MB, more than the ", "raise the heap"},
                {"sample --model " + deep, "sampling needs about ", "for the engine's working set as opened (scalar autograd tape for 1 document of 1"
                        + " positions)), more than the 268.4 MB this JVM's heap allows: try another --backend, or raise the heap"},
                {"sample --model " + wide + " --backend simd", "sampling needs about ", "of it for the engine's working set as opened (simd activation buffers for 1 document of 300000 rows)), more than"},
        };
        List<String[]> commands = new ArrayList<>();
        for (String[] c : cases) commands.add(c[0].split(" "));
        List<String> reports = forked(HEAP, commands);
        for (int i = 0; i < cases.length; i++) {
            String report = reports.get(i);
            String[] parts = report.split("\t", 3);
            assertEquals(3, parts.length, cases[i][0] + ": " + report);
            assertEquals("2", parts[0], cases[i][0] + ": " + report);
            // bench names what it measures on stderr first; everything else has the error line alone
            assertEquals(cases[i][0].startsWith("bench") ? "2" : "1", parts[1], cases[i][0] + ": " + report);
            String error = parts[2];
            if (cases[i][0].startsWith("bench")) continue;
            assertTrue(error.startsWith("error: " + cases[i][1]), cases[i][0] + ": " + error);
            assertTrue(error.contains(cases[i][2]), cases[i][0] + ": " + error);
        }
        assertEquals(0, CliRunner.run("info", deep.toString()).exitCode(), "reading it is fine: only what it implies is refused");
    }

    @Test
    void anOutOfMemoryErrorIsOneLineAndExitTwo() {
        System.setProperty(OutOfMemoryBackend.ENABLE, "true");
        try {
            CliRunner r = CliRunner.run("train", "--backend", OutOfMemoryBackend.NAME, "--steps", "1");
            assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
            assertEquals("error: out of memory (Java heap space (simulated), heap limit " + io.microgpt.core.Text.bytes(Runtime.getRuntime().maxMemory())
                    + "): lower --n-embd, --n-layer, --block-size or --batch, use a smaller dataset, or raise the heap"
                    + " (MICROGPT_JAVA_OPTS=-Xmx...)\n", r.err());
        } finally {
            System.clearProperty(OutOfMemoryBackend.ENABLE);
        }
    }

    /**
     * The property: for any combination of size flags, train either runs or exits 2 with one line; nothing
     * escapes as a Throwable. Seeded, so a failure names a case that can be run again; a 160 MB heap makes the
     * accepted cases small enough to run one step each quickly.
     */
    @Test
    void anyCombinationOfSizeFlagsRunsOrIsOneLine() throws Exception {
        Random random = new Random(20261201);
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // each size mostly small (so that some runs fit), sometimes anything up to the flag's limit
            int nEmbd = size(random, 48, 8192);
            int nHead = random.nextInt(4) == 0 ? logUniform(random, 1, 64) : divisor(random, nEmbd);
            List<String> args = new ArrayList<>(List.of("train", "--steps", "1", "--samples", "" + random.nextInt(3),
                    "--backend", random.nextBoolean() ? "scalar" : "simd",
                    "--n-embd", "" + nEmbd, "--n-head", "" + nHead,
                    "--n-layer", "" + size(random, 3, 100_000),
                    "--block-size", "" + size(random, 32, 10_000_000)));
            if (random.nextBoolean()) args.addAll(List.of("--batch", "" + size(random, 24, Integer.MAX_VALUE)));
            commands.add(args.toArray(String[]::new));
        }
        List<String> reports = forked("160m", commands);
        int ran = 0;
        for (int i = 0; i < reports.size(); i++) {
            String report = reports.get(i);
            String command = String.join(" ", commands.get(i));
            assertTrue(!report.startsWith("THROWN"), command + ": " + report);
            String[] parts = report.split("\t", 3);
            if (parts[0].equals("0")) {
                ran++;
                continue;
            }
            assertEquals("2", parts[0], command + ": " + report);
            assertEquals("1", parts[1], command + ": one line: " + report);
            assertTrue(parts[2].startsWith("error: ") && !parts[2].contains("Exception"), command + ": " + report);
        }
        assertTrue(ran > 0, "some combinations are small enough to run");
    }

    private static int size(Random r, int small, int max) {
        return r.nextInt(3) == 0 ? logUniform(r, 1, max) : logUniform(r, 1, small);
    }

    private static int logUniform(Random r, int min, int max) {
        double v = Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max) - Math.log(min)));
        return (int) Math.max(min, Math.min(max, Math.round(v)));
    }

    private static int divisor(Random r, int n) {
        List<Integer> ds = new ArrayList<>();
        for (int d = 1; d <= Math.min(n, 64); d++) if (n % d == 0) ds.add(d);
        return ds.get(r.nextInt(ds.size()));
    }
}
