package io.microgpt.cli.sweep;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts {@code microgpt train} in a JVM of its own, as this one was started: the same
 * {@code java}, JVM options (heap, {@code --add-modules jdk.incubator.vector}, the trap limit, whatever
 * {@code MICROGPT_JAVA_OPTS} gave) and class path, or module path when this one runs as the module
 * {@code io.microgpt.cli}. A run in its own JVM has its own heap, its own exit and
 * its own Ctrl-C handling (it saves its checkpoint), and a crash of one run touches no other.
 * Options that would make two JVMs collide (a debugger's port, a flight recording's file) are left out.
 */
final class ChildJvm {
    private static final List<String> LEFT_OUT = List.of("-agentlib:jdwp", "-Xrunjdwp", "-Xdebug", "-XX:StartFlightRecording",
            "-XX:+StartFlightRecording", "-Djdk.module.main");   // the last: the launcher's, set again by -m

    private ChildJvm() {
    }

    /** {@code java [options] -cp CLASSPATH io.microgpt.cli.Main train ARGS}. */
    static List<String> train(List<String> trainArgs) {
        List<String> args = new ArrayList<>();
        args.add("train");
        args.addAll(trainArgs);
        return microgpt(args);
    }

    /**
     * {@code java [options] -cp CLASSPATH io.microgpt.cli.Main ARGS}: any command of the CLI (on the module path,
     * whose option is among the options, {@code -m io.microgpt.cli/io.microgpt.cli.Main ARGS}).
     */
    static List<String> microgpt(List<String> cliArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (LEFT_OUT.stream().noneMatch(option::startsWith)) command.add(option);
        }
        Module cli = ChildJvm.class.getModule();
        if (cli.isNamed()) {
            command.add("-m");
            command.add(cli.getName() + "/io.microgpt.cli.Main");
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("io.microgpt.cli.Main");
        }
        command.addAll(cliArgs);
        return command;
    }
}
