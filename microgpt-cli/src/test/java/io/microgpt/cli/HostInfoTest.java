package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {
    @TempDir
    Path dir;

    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9R14 96-Core Processor\n"
                + "model\t\t: 17\n\nprocessor\t: 1\nmodel name\t: Other\n");
        assertEquals("AMD EPYC 9R14 96-Core Processor", HostInfo.cpuModel(cpuinfo));
    }

    @Test
    void cpuModelFallsBackToTheArchitecture() {
        assertEquals(System.getProperty("os.arch"), HostInfo.cpuModel(dir.resolve("missing")));
    }

    @Test
    void vectorSpeciesIsNamedOnlyWhenTheIncubatorModuleIsLoaded() {
        boolean loaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String species = HostInfo.preferredVectorSpecies();
        if (loaded) {
            assertEquals(true, species.startsWith("Species[float, "), species);
        } else {
            assertEquals(null, species);
        }
    }
}
