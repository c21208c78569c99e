package io.microgpt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on, as far as a JVM can tell.
 *
 * @param cpuModel      the CPU's model name ({@code /proc/cpuinfo}), else the OS architecture
 * @param cores         processors available to the JVM
 * @param javaVersion   {@code java.version}
 * @param vmName        {@code java.vm.name}
 * @param vectorSpecies the Vector API's preferred float species, e.g. {@code Species[float, 8, S_256_BIT]};
 *                      null when the {@code jdk.incubator.vector} module is not loaded
 */
record HostInfo(String cpuModel, int cores, String javaVersion, String vmName, String vectorSpecies) {

    /** This JVM's machine. */
    static HostInfo current() {
        return new HostInfo(cpuModel(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), preferredVectorSpecies());
    }

    /** The first {@code model name} of a cpuinfo file, or {@code os.arch} when there is none. */
    static String cpuModel(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: fall back to the architecture
        }
        return System.getProperty("os.arch");
    }

    /**
     * The preferred float species, looked up reflectively so that the CLI needs the incubator module neither to
     * compile nor to run.
     */
    static String preferredVectorSpecies() {
        try {
            Class<?> floatVector = Class.forName("jdk.incubator.vector.FloatVector");
            return String.valueOf(floatVector.getField("SPECIES_PREFERRED").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** One line: CPU, cores, JDK and vector species. */
    String summary() {
        return "cpu: " + cpuModel + ", " + cores + (cores == 1 ? " core" : " cores") + "; jdk: " + javaVersion
                + " (" + vmName + "); vector species: " + (vectorSpecies == null ? "none (jdk.incubator.vector not loaded)" : vectorSpecies);
    }
}
