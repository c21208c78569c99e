package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md link only to what exists: every relative link and image names a file of the repository,
 * every {@code #anchor} a heading of its page (as GitHub makes anchors of headings), and every path in code
 * quotes that names a source folder, an example or a docs file exists. Pages move and code moves; this test says
 * which link broke.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** [text](target) or ![alt](target), the target without spaces; an optional "title" is not used here. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    /** `path` in code quotes, for the paths that name parts of the repository. */
    private static final Pattern QUOTED_PATH = Pattern.compile("`((?:docs|examples|microgpt-[a-z-]+)/[^`\\s]*)`");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (target.matches("[a-z]+:.*")) continue;   // https:, mailto: and the like
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors.computeIfAbsent(linked, DocumentationLinksTest::anchorsOf)
                        .contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading in " + ROOT.relativize(linked) + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void everyRepositoryPathInCodeQuotesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = QUOTED_PATH.matcher(Files.readString(page));
            while (m.find()) {
                String path = m.group(1);
                if (path.contains("target/") || path.contains("*") || path.contains("...") || path.contains("<")) continue;
                if (!Files.exists(ROOT.resolve(path))) missing.add(ROOT.relativize(page) + ": `" + path + "`");
            }
        }
        assertEquals(List.of(), missing, "paths that do not exist");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertEquals("beyond-names-one-continuous-text---layout-stream", slug("Beyond names: one continuous text (`--layout stream`)"));
        assertEquals("the-small-end-where-a-step-goes-at-n_embd-16", slug("The small end: where a step goes at n_embd 16"));
        assertEquals("pytorch--simd", slug("PyTorch ÷ simd"));
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() > 1, "docs/*.md found");
        return pages;
    }

    /** The link targets of a page, outside fenced code blocks. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : proseLines(page)) {
            Matcher m = LINK.matcher(line);
            while (m.find()) targets.add(m.group(1));
        }
        return targets;
    }

    private static List<String> proseLines(Path page) throws IOException {
        List<String> prose = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) fenced = !fenced;
            else if (!fenced) prose.add(line);
        }
        return prose;
    }

    /** The anchors GitHub gives the headings of a page (a repeated heading gets -1, -2, ...). */
    private static Set<String> anchorsOf(Path page) {
        Set<String> anchors = new HashSet<>();
        if (!page.toString().endsWith(".md")) return anchors;
        try {
            Map<String, Integer> seen = new HashMap<>();
            for (String line : proseLines(page)) {
                if (!line.matches("#{1,6} .*")) continue;
                String slug = slug(line.replaceFirst("#{1,6} ", ""));
                int n = seen.merge(slug, 1, Integer::sum);
                anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return anchors;
    }

    /** Lower case; letters, digits, underscores, hyphens and spaces kept, the spaces as hyphens; all else dropped. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");   // a link in a heading: its text
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }
}
