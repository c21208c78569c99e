package io.microgpt.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs command lines in a JVM of its own (started by a test with a small {@code -Xmx}): one per input line, its
 * arguments separated by tabs; prints per command one line: exit code, tab, the number of lines on standard
 * error, tab, standard error's first line, or {@code THROWN <throwable>} if anything escaped {@link Main#run}.
 */
final class ForkedCli {
    private ForkedCli() {
    }

    public static void main(String[] ignored) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter report = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        for (String line; (line = in.readLine()) != null; ) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            try {
                int code = Main.run(line.split("\t"), new PrintWriter(out), new PrintWriter(err));
                String[] errLines = err.toString().lines().toArray(String[]::new);
                report.println(code + "\t" + errLines.length + "\t" + (errLines.length == 0 ? "" : errLines[0]));
            } catch (Throwable t) {
                report.println("THROWN " + t);
            }
        }
    }

    /** Starts it with this heap limit and the test class path. */
    static Process start(String maxHeap) throws java.io.IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Xmx" + maxHeap, "-Xss8m",
                "-cp", System.getProperty("java.class.path"), ForkedCli.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
