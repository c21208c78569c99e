package io.microgpt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI as a process of its own ({@code java -cp <test class path> io.microgpt.cli.Main ARGS}), for what only a
 * real process shows: its standard output being a full disk, a closed descriptor or a pipe whose reader left, or
 * two runs at once. Standard error goes to a file, read back without the JVM's own notice about incubator modules.
 */
final class MainProcess {
    private MainProcess() {
    }

    /** The command line that runs {@code microgpt ARGS}. */
    static List<String> command(String... args) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-Xss8m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** A builder for {@code microgpt ARGS} with standard error going to {@code errFile}. */
    static ProcessBuilder builder(Path errFile, String... args) {
        return new ProcessBuilder(command(args)).redirectError(errFile.toFile());
    }

    /** The lines the process wrote to standard error, without the JVM's warning about incubator modules. */
    static List<String> errorLines(Path errFile) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(errFile, StandardCharsets.UTF_8)) {
            if (!line.startsWith("WARNING: Using incubator modules")) lines.add(line);
        }
        return lines;
    }
}
