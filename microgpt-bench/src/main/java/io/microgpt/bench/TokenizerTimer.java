package io.microgpt.bench;

import io.microgpt.core.json.Json;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import io.microgpt.core.tokenizer.Gpt2Pattern;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Times the byte-level BPE on one thread, for docs/bench/tokenizer/compare.py, which runs it beside Python's
 * {@code tokenizers}. Every run prints one line {@code <what> run <i> wall <s> cpu <s> ...}: wall-clock seconds and
 * the process's CPU seconds (all threads: the JIT and the collector count too), the first run cold (as a command
 * line user meets it), the later ones warm; and the calling thread's CPU seconds ({@code thread}), precise where the
 * process figure counts in 10 ms ticks.
 * <pre>
 * TokenizerTimer train TEXT VOCAB pattern|whole text|lines RUNS OUT.json
 *     trains on TEXT (one sequence, or one per \n-ended line) and writes the last run's tokenizer.json
 * TokenizerTimer encode TOKENIZER.json TEXT RUNS [IDS.txt]
 *     encodes TEXT (one call) and writes the ids, separated by single spaces, if asked
 * TokenizerTimer cases CASES.json OUT
 *     trains on each case of a JSON array of {"texts": [...], "vocab": N, "pattern": true|false} and writes the
 *     tokenizer.json files to OUT, each followed by a line holding one NUL character
 * TokenizerTimer split TEXT RUNS
 *     splits TEXT by GPT-2's pattern with our scanner and with java.util.regex, alternated (same pieces checked)
 * </pre>
 */
public final class TokenizerTimer {
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private TokenizerTimer() {
    }

    /** Runs one command (see the class comment). */
    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "train" -> train(Path.of(args[1]), Integer.parseInt(args[2]), args[3].equals("pattern"),
                    args[4].equals("lines"), Integer.parseInt(args[5]), Path.of(args[6]));
            case "encode" -> encode(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Path.of(args[4]) : null);
            case "split" -> split(Path.of(args[1]), Integer.parseInt(args[2]));
            case "cases" -> cases(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("train, encode or split, not " + args[0]);
        }
    }

    private static void train(Path text, int vocab, boolean pattern, boolean lines, int runs, Path out)
            throws IOException {
        String all = Files.readString(text, StandardCharsets.UTF_8);
        List<String> sequences = lines ? lines(all) : List.of(all);
        BpeTokenizer tokenizer = null;
        for (int run = 1; run <= runs; run++) {
            long wall = System.nanoTime();
            long cpu = processCpu();
            long thread = THREADS.getCurrentThreadCpuTime();
            tokenizer = new BpeTrainer(vocab, pattern).train(sequences);
            report("train", run, wall, cpu, thread, String.format(Locale.ROOT, "vocab %d merges %d", tokenizer.vocabSize(),
                    tokenizer.mergeCount()));
        }
        Files.writeString(out, tokenizer.toJson(), StandardCharsets.UTF_8);
    }

    private static void encode(Path json, Path text, int runs, Path idsOut) throws IOException {
        BpeTokenizer tokenizer = BpeTokenizer.read(json);
        String all = Files.readString(text, StandardCharsets.UTF_8);
        long bytes = all.getBytes(StandardCharsets.UTF_8).length;
        int[] ids = null;
        for (int run = 1; run <= runs; run++) {
            long wall = System.nanoTime();
            long cpu = processCpu();
            long thread = THREADS.getCurrentThreadCpuTime();
            ids = tokenizer.encode(all);
            double seconds = (THREADS.getCurrentThreadCpuTime() - thread) / 1e9;
            report("encode", run, wall, cpu, thread, String.format(Locale.ROOT, "tokens %d MB/s(thread) %.2f", ids.length,
                    bytes / 1e6 / seconds));
        }
        if (idsOut != null) {
            Files.writeString(idsOut, IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")),
                    StandardCharsets.US_ASCII);
        }
    }

    private static void cases(Path in, Path out) throws IOException {
        String json = "{\"cases\": " + Files.readString(in, StandardCharsets.UTF_8) + "}";
        List<?> cases = (List<?>) Json.parseObject(json, Json.Rules.full(in.toString(), 4)).get("cases");
        StringBuilder sb = new StringBuilder();
        for (Object item : cases) {
            Map<?, ?> c = (Map<?, ?>) item;
            List<String> texts = ((List<?>) c.get("texts")).stream().map(String.class::cast).toList();
            int vocab = (int) (long) (Long) c.get("vocab");
            boolean pattern = (Boolean) c.get("pattern");
            sb.append(new BpeTrainer(vocab, pattern).train(texts).toJson()).append("\n\u0000\n");
        }
        Files.writeString(out, sb, StandardCharsets.UTF_8);
    }

    private static void split(Path text, int runs) throws IOException {
        String all = Files.readString(text, StandardCharsets.UTF_8);
        java.util.regex.Pattern gpt2 = java.util.regex.Pattern.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
        for (int run = 1; run <= runs; run++) {
            long wall = System.nanoTime();
            long cpu = processCpu();
            long thread = THREADS.getCurrentThreadCpuTime();
            int scanned = 0;
            for (int i = 0; i < all.length(); scanned++) i = Gpt2Pattern.pieceEnd(all, i, all.length());
            report("split-scanner", run, wall, cpu, thread, "pieces " + scanned);
            wall = System.nanoTime();
            cpu = processCpu();
            thread = THREADS.getCurrentThreadCpuTime();
            int matched = 0;
            java.util.regex.Matcher m = gpt2.matcher(all);
            while (m.find()) matched++;
            report("split-regex", run, wall, cpu, thread, "pieces " + matched);
            if (matched != scanned) throw new IllegalStateException(scanned + " pieces scanned, " + matched + " matched");
        }
    }

    private static void report(String what, int run, long wallStart, long cpuStart, long threadStart, String detail) {
        System.out.printf(Locale.ROOT, "%s run %d wall %.4f cpu %.3f thread %.4f %s%n", what, run,
                (System.nanoTime() - wallStart) / 1e9, (processCpu() - cpuStart) / 1e9,
                (THREADS.getCurrentThreadCpuTime() - threadStart) / 1e9, detail);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The \n-ended lines of a text (the last may lack its \n). */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            lines.add(text.substring(start, i + 1));
            start = i + 1;
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }
}
