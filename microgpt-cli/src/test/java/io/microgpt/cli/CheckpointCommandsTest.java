package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save / --stop-after / --resume, sample and info, called in-process through {@link Main#run}. */
class CheckpointCommandsTest {
    private static final String[] SMALL = {"--n-embd", "8", "--n-head", "2", "--block-size", "12", "--steps", "30"};

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        List<String> lines(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static String[] train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(Arrays.asList(SMALL));
        args.addAll(Arrays.asList(extra));
        if (!args.contains("--samples")) args.addAll(List.of("--samples", "6"));
        return args.toArray(String[]::new);
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void stopAndResumePrintsTheUninterruptedRun() {
        Result full = run(train());
        assertEquals(0, full.code(), full.err());

        String ckpt = file("run.safetensors");
        Result first = run(train("--save", ckpt, "--stop-after", "12"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("saved " + ckpt + " (step 12 / 30)\n"), first.out());
        assertTrue(first.out().contains("stopped after step 12 / 30; resume with: microgpt train --resume " + ckpt + "\n"), first.out());
        assertTrue(first.lines("sample").isEmpty(), "a stopped run does not sample");

        Result second = run("train", "--resume", ckpt, "--samples", "6");
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("resuming " + ckpt + " at step 12 / 30\n"), second.out());
        List<String> steps = new ArrayList<>(first.lines("step"));
        steps.addAll(second.lines("step"));
        assertEquals(full.lines("step"), steps, "step lines 1..12 then 13..30 are those of the uninterrupted run");
        assertEquals(full.lines("sample"), second.lines("sample"), "the same names");
        assertEquals(30, Checkpoint.read(Path.of(ckpt)).stepsDone(), "resume saves back to its file");
    }

    @Test
    void moreStepsThanPlannedExtendAFinishedRun() {
        String ckpt = file("extend.safetensors");
        Result finished = run(train("--save", ckpt, "--samples", "0"));
        assertEquals(0, finished.code(), finished.err());

        Result refused = run("train", "--resume", ckpt);
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.err().contains("already finished all 30 steps") && refused.err().contains("--steps N (more than 30)"),
                refused.err());
        Result fewer = run("train", "--resume", ckpt, "--steps", "20");
        assertEquals(2, fewer.code(), fewer.out());
        assertTrue(fewer.err().startsWith("error: --steps 20 is fewer than the 30 steps"), fewer.err());

        Result extended = run("train", "--resume", ckpt, "--steps", "40", "--samples", "2");
        assertEquals(0, extended.code(), extended.err());
        assertTrue(extended.out().contains("resuming " + ckpt + " at step 30 / 40\n"
                + "extending the run from 30 to 40 steps: from step 31 the learning rate follows the 40-step schedule"
                + " (0.002500 at that step)\n"), extended.out());
        List<String> steps = extended.lines("step");
        assertEquals(10, steps.size(), extended.out());
        assertTrue(steps.get(0).startsWith("step   31 /   40 | loss "), steps.get(0));
        assertEquals(2, extended.lines("sample").size());
        Checkpoint after = Checkpoint.read(Path.of(ckpt));
        assertEquals(40, after.stepsDone());
        assertEquals(40, after.trainingConfig().steps());
        assertEquals(40, after.history().size(), "the history covers all 40 steps");
    }

    @Test
    void quietSendsCheckpointNoticesToStandardError() {
        String ckpt = file("quiet.safetensors");
        Result stopped = run(train("--quiet", "--save", ckpt, "--stop-after", "5"));
        assertEquals(0, stopped.code(), stopped.err());
        assertEquals("", stopped.out(), "nothing but samples on standard output, and a stopped run does not sample");
        assertTrue(stopped.err().contains("saved " + ckpt + " (step 5 / 30)\n"), stopped.err());
        assertTrue(stopped.err().contains("stopped after step 5 / 30; resume with"), stopped.err());

        Result resumed = run("train", "--quiet", "--resume", ckpt, "--samples", "2");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(List.of("sample  1", "sample  2"), resumed.out().lines().map(l -> l.substring(0, 9)).toList(), resumed.out());
        assertTrue(resumed.err().contains("resuming " + ckpt + " at step 5 / 30\n"), resumed.err());
        assertTrue(resumed.err().contains("saved " + ckpt + " (step 30 / 30)\n"), resumed.err());
    }

    @Test
    void sampleFromASavedModelPrintsTheNamesTrainPrinted() {
        String ckpt = file("m.safetensors");
        Result trained = run(train("--save", ckpt));
        assertEquals(0, trained.code(), trained.err());
        Result sampled = run("sample", "--model", ckpt, "--samples", "6");
        assertEquals(0, sampled.code(), sampled.err());
        assertEquals(trained.lines("sample"), sampled.lines("sample"));
        assertEquals(6, sampled.lines("sample").size());

        Result seeded = run("sample", "--model", ckpt, "--samples", "4", "--seed", "3", "--top-k", "5", "--prefix", "ma",
                "--temperature", "0.8");
        assertEquals(0, seeded.code(), seeded.err());
        assertEquals(4, seeded.lines("sample").size());
        seeded.lines("sample").forEach(l -> assertTrue(l.substring(l.indexOf(": ") + 2).startsWith("ma"), l));
        assertEquals(seeded.out(), run("sample", "--model", ckpt, "--samples", "4", "--seed", "3", "--top-k", "5", "--prefix", "ma",
                "--temperature", "0.8").out(), "a seed makes sampling repeatable");
    }

    @Test
    void sampleMarksNamesThatOccurInTheData() throws IOException {
        Path data = dir.resolve("tiny.txt");
        Files.writeString(data, "ab\nabab\n");
        String ckpt = file("tiny.safetensors");
        Result trained = run("train", "--data", data.toString(), "--n-embd", "8", "--n-head", "2", "--steps", "200",
                "--samples", "0", "--save", ckpt);
        assertEquals(0, trained.code(), trained.err());
        Result sampled = run("sample", "--model", ckpt, "--samples", "10", "--data", data.toString());
        assertEquals(0, sampled.code(), sampled.err());
        long marked = 0;
        for (String line : sampled.lines("sample")) {
            String name = line.substring(line.indexOf(": ") + 2).replace("  (in the data)", "");
            boolean inData = name.equals("ab") || name.equals("abab");
            assertEquals(inData, line.endsWith("  (in the data)"), line);
            if (inData) marked++;
        }
        assertTrue(marked > 0, "a model trained 200 steps on two names repeats them: " + sampled.out());
        assertTrue(sampled.out().contains(marked + " of 10 samples occur verbatim in " + data), sampled.out());
    }

    @Test
    void infoDescribesTheCheckpoint() {
        String ckpt = file("m.safetensors");
        assertEquals(0, run(train("--save", ckpt, "--stop-after", "5")).code());
        Result info = run("info", ckpt);
        assertEquals(0, info.code(), info.err());
        String out = info.out();
        assertTrue(out.contains("written by the scalar backend"), out);
        assertTrue(out.contains("model: vocab_size 27, n_embd 8, n_head 2, n_layer 1, block_size 12, init_std 0.08\n"), out);
        assertTrue(out.contains("parameters: 1,296\n"), out);
        assertTrue(out.contains("vocabulary: 26 characters + BOS: \"abcdefghijklmnopqrstuvwxyz\"\n"), out);
        assertTrue(out.contains("training: step 5 / 30, batch 1, lr 0.01, betas 0.85 / 0.99, eps 1.0E-8, seed 42\n"), out);
        assertTrue(out.contains("data: bundled names (32,033 documents"), out);
        assertTrue(out.matches("(?s).*\nloss history: steps 1\\.\\.5, last loss \\d\\.\\d{4}, 0 validation losses\n.*"), out);
        assertTrue(out.contains("training state: Adam moments and random state"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("  wte +F64 +\\[27, 8\\] +216 +0\\.\\.1728")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("  adam\\.v\\.layer0\\.mlp_fc2 +F64 +\\[8, 32\\] +256 +\\d+\\.\\.\\d+")), out);

        String weights = file("w.safetensors");
        assertEquals(0, run(train("--save", weights, "--weights-only", "--samples", "0")).code());
        Result w = run("info", weights);
        assertTrue(w.out().contains("training state: none (weights only"), w.out());
        assertFalse(w.out().contains("adam."), w.out());
        Result resume = run("train", "--resume", weights);
        assertEquals(2, resume.code());
        assertTrue(resume.err().startsWith("error: --resume " + weights + ": the checkpoint has no training state"), resume.err());
    }

    @Test
    void resumeRefusesFlagsThatContradictTheSavedRun() throws IOException {
        String ckpt = file("m.safetensors");
        assertEquals(0, run(train("--save", ckpt, "--stop-after", "3")).code());
        byte[] before = Files.readAllBytes(Path.of(ckpt));
        String[][] contradictions = {
            {"--seed", "7", "--seed 7 contradicts the run saved in " + ckpt + " (seed 42); leave the flag out to resume it"},
            {"--steps", "20", "--steps 20 is fewer than the 30 steps the run saved in " + ckpt + " planned"},   // more extend it
            {"--n-embd", "16", "--n-embd 16 contradicts the run saved in " + ckpt + " (n_embd 8)"},
            {"--n-layer", "2", "--n-layer 2 contradicts"},
            {"--block-size", "16", "--block-size 16 contradicts"},
            {"--batch", "4", "--batch 4 contradicts the run saved in " + ckpt + " (batch size 1)"},
            {"--lr", "0.02", "--lr 0.02 contradicts the run saved in " + ckpt + " (learning rate 0.01)"},
        };
        for (String[] c : contradictions) {
            Result r = run("train", "--resume", ckpt, c[0], c[1]);
            assertEquals(2, r.code(), c[0]);
            assertTrue(r.err().startsWith("error: " + c[2]), r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        }
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "anna\nbob\n");
        Result data = run("train", "--resume", ckpt, "--data", other.toString());
        assertEquals(2, data.code());
        assertTrue(data.err().startsWith("error: --data " + other + " (2 documents) is not the data the run saved in " + ckpt
                + " trained on (32033 documents"), data.err());
        Result same = run("train", "--resume", ckpt, "--seed", "42", "--steps", "30", "--stop-after", "4");
        assertEquals(0, same.code(), "flags equal to the saved run are fine: " + same.err());
        assertFalse(Arrays.equals(before, Files.readAllBytes(Path.of(ckpt))), "the resumed run saved step 4");
        Result late = run("train", "--resume", ckpt, "--stop-after", "2");
        assertEquals(2, late.code());
        assertTrue(late.err().startsWith("error: --stop-after 2 must be after the step the run starts from (4)"), late.err());
    }

    @Test
    void badFilesGiveOneLineErrorsAndLeaveFilesUntouched() throws IOException {
        Path good = dir.resolve("good.safetensors");
        assertEquals(0, run(train("--save", good.toString(), "--stop-after", "2")).code());
        byte[] goodBytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(goodBytes, goodBytes.length / 2));
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a checkpoint at all");
        Path empty = Files.createFile(dir.resolve("empty.safetensors"));
        byte[] truncatedBytes = Files.readAllBytes(truncated);

        String[][] commands = {
            {"train", "--resume", truncated.toString(), "--save", good.toString()},
            {"train", "--resume", garbage.toString()},
            {"train", "--resume", dir.resolve("missing.safetensors").toString()},
            {"sample", "--model", truncated.toString()},
            {"sample", "--model", empty.toString()},
            {"sample", "--model", dir.toString()},
            {"info", garbage.toString()},
            {"info", truncated.toString()},
        };
        for (String[] args : commands) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            String named = args[0].equals("info") ? "checkpoint " : args[1] + " ";   // the flag that gave the file
            assertTrue(r.err().startsWith("error: " + named + args[args[0].equals("info") ? 1 : 2]), r.err());
            assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        }
        assertArrayEquals(goodBytes, Files.readAllBytes(good), "the --save target of a failed resume is untouched");
        assertArrayEquals(truncatedBytes, Files.readAllBytes(truncated), "a bad file is only read");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary files left");
        }
    }

    @Test
    void checkpointFlagsAreCheckedBeforeTraining() {
        Result noTarget = run(train("--stop-after", "3"));
        assertEquals(2, noTarget.code());
        assertEquals("error: --stop-after needs --save FILE (or --resume FILE) to save the run to\n", noTarget.err());
        Result noFolder = run(train("--save", file("no/such/folder/m.safetensors")));
        assertEquals(2, noFolder.code());
        assertTrue(noFolder.err().contains("does not exist"), noFolder.err());
        assertFalse(noFolder.out().contains("step"), "refused before training");
        Result folder = run(train("--save", dir.toString()));
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder"), folder.err());
        Result finished = run(train("--save", file("f.safetensors"), "--samples", "0"));
        assertEquals(0, finished.code());
        Result again = run("train", "--resume", file("f.safetensors"));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("the run already finished all 30 steps; sample from it with 'microgpt sample --model"), again.err());
        Result prefix = run("sample", "--model", file("f.safetensors"), "--prefix", "Zoe");
        assertEquals("error: --prefix 'Zoe': character 'Z' (U+005A) is not in the vocabulary\n", prefix.err());
    }

    /** Runs {@code train} in its own JVM and sends it SIGTERM (or SIGKILL) once it printed step {@code afterStep}. */
    private static String trainAndKill(Path ckpt, boolean forcibly, int afterStep, String... extra) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xss8m", "-cp", System.getProperty("java.class.path"),
                "io.microgpt.cli.Main", "train", "--n-embd", "8", "--n-head", "2", "--steps", "100000000", "--save", ckpt.toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        String signalAt = String.format("step %4d /", afterStep);
        try (var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean signalled = false;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (!signalled && line.startsWith(signalAt)) {
                    // SIGTERM / SIGKILL on Unix (Process.destroy would also close our end of the pipe)
                    if (forcibly) p.toHandle().destroyForcibly();
                    else p.toHandle().destroy();
                    signalled = true;
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        return output.toString();
    }

    @Test
    void sigkillKeepsTheLastPeriodicSaveIntact() throws Exception {
        Path ckpt = dir.resolve("crashed.safetensors");
        String out = trainAndKill(ckpt, true, 45, "--save-every", "10");
        assertFalse(out.contains("saved"), "a killed JVM says nothing: " + out.substring(Math.max(0, out.length() - 500)));
        Checkpoint c = Checkpoint.read(ckpt); // whole and valid, even if the kill came in the middle of a later save
        assertEquals(0, c.stepsDone() % 10, "a periodic save: step " + c.stepsDone());
        assertTrue(c.stepsDone() >= 40, "step " + c.stepsDone());
    }

    @Test
    void sigtermSavesTheLastCompletedStep() throws Exception {
        Path ckpt = dir.resolve("killed.safetensors");
        String out = trainAndKill(ckpt, false, 20);
        Matcher m = Pattern
                .compile("interrupted after step (\\d+) / 100000000; resume with: microgpt train --resume " + Pattern.quote(ckpt.toString()))
                .matcher(out);
        assertTrue(m.find(), out.length() > 2000 ? out.substring(out.length() - 2000) : out);
        int stopped = Integer.parseInt(m.group(1));
        assertTrue(stopped >= 20, "stopped at " + stopped);
        assertTrue(out.contains(String.format("step %4d / 100000000 |", stopped)), "the saved step was completed and printed");
        assertEquals(stopped, Checkpoint.read(ckpt).stepsDone());
    }
}
