package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * In a JVM started without {@code --add-modules jdk.incubator.vector}, the backend still loads and says which
 * flag is missing (checked in a child JVM, since this one has the module).
 */
class UnavailableReasonTest {

    /** Run by the child JVM: prints the backend's reason, or "available". */
    public static void main(String[] args) {
        System.out.print(new SimdBackend().unavailableReason().orElse("available"));
    }

    @Test
    void withoutTheVectorModuleTheReasonNamesTheFlag() throws IOException, InterruptedException {
        assertTrue(new SimdBackend().unavailableReason().isEmpty(), "this JVM has the module, so simd is available");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                UnavailableReasonTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("--add-modules jdk.incubator.vector"), "reason was: " + out);
    }
}
