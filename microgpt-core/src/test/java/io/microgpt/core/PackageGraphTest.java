package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI is the lower floor: it names nothing of core's upper packages, only the plain value types both floors
 * share ({@link #SHARED}), and those name nothing of core beyond each other. So no class of the SPI depends, even
 * through others, on a class that depends on the SPI. Read from the sources (the module's own folder, not a
 * shared one): comments and string literals are left out, so a Javadoc mention is not a dependency.
 */
class PackageGraphTest {
    private static final Path MAIN = Path.of("src/main/java/io/microgpt/core");
    /** The value types of the application package that the SPI may use. */
    private static final Set<String> SHARED = Set.of("MicrogptException", "ModelConfig", "TrainingConfig", "Setting",
            "TrainingControls", "PyRandom");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.microgpt\\.core\\.([\\w.]+);", Pattern.MULTILINE);

    @Test
    void theSpiImportsNothingOfCoreButTheSharedValueTypes() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path f : javaFiles(MAIN.resolve("spi"))) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("spi.")) continue;
                if (!SHARED.contains(name.split("\\.")[0])) wrong.add(f.getFileName() + " imports io.microgpt.core." + name);
            }
        }
        assertEquals(List.of(), wrong, "the SPI may import from core only " + new TreeSet<>(SHARED));
    }

    @Test
    void theSharedValueTypesNameNothingOfCoreButEachOther() throws IOException {
        Set<String> rootTypes = new TreeSet<>();
        for (Path f : javaFiles(MAIN)) if (f.getParent().equals(MAIN)) rootTypes.add(typeName(f));
        assertTrue(rootTypes.containsAll(SHARED), "every shared type is in the application package: " + rootTypes);
        List<String> wrong = new ArrayList<>();
        for (String shared : SHARED) {
            String code = code(Files.readString(MAIN.resolve(shared + ".java")));
            if (code.contains("import io.microgpt.")) wrong.add(shared + " imports from io.microgpt");
            for (String other : rootTypes) {
                if (!SHARED.contains(other) && Pattern.compile("\\b" + other + "\\b").matcher(code).find()) {
                    wrong.add(shared + " names " + other);
                }
            }
        }
        assertEquals(List.of(), wrong, "a type the SPI uses must not lead back to the application package");
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), "run from the module folder: " + dir.toAbsolutePath() + " is missing");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java")).sorted().toList();
        }
    }

    private static String typeName(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }

    /** The source without comments and string or character literals. */
    private static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(\\\\.|[^\"\\\\\\n])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\\\n])*'", "''");
    }
}
