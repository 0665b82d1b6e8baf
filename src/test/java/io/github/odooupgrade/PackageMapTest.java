package io.github.odooupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The map of the code (docs/code-map.md) is the code's: its table lists every package with what it imports
 * from the others, in an order where each imports only packages below it (so there is no cycle).
 */
class PackageMapTest {
    private static final Path MAIN = Path.of("src/main/java/io/github/odooupgrade");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\|.*\\| (.+) \\|$");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.odooupgrade\\.(\\w+)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageImportsWhatTheReadmeSaysAndOnlyPackagesBelowIt() throws IOException {
        Map<String, Set<String>> map = readmeMap();
        Map<String, Set<String>> actual = actualImports();
        assertThat(map.keySet()).as("the packages in docs/code-map.md's map").containsExactlyInAnyOrderElementsOf(actual.keySet());
        List<String> order = new ArrayList<>(map.keySet());
        for (String pkg : order) {
            assertThat(actual.get(pkg)).as("what %s imports (docs/code-map.md: %s)", pkg, map.get(pkg)).isEqualTo(map.get(pkg));
            for (String imported : actual.get(pkg)) {
                assertThat(order.indexOf(imported)).as("%s imports %s, which must be listed below it", pkg, imported)
                        .isGreaterThan(order.indexOf(pkg));
            }
        }
    }

    private static Map<String, Set<String>> readmeMap() throws IOException {
        String readme = Files.readString(Path.of("docs/code-map.md"));
        String section = readme.substring(readme.indexOf("## A map of the code"));
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (String line : section.substring(0, section.indexOf("\n## ", 3)).lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Set<String> imports = new TreeSet<>();
                Matcher named = Pattern.compile("`(\\w+)`").matcher(m.group(2));
                while (named.find()) {
                    imports.add(named.group(1));
                }
                map.put(m.group(1), imports);
            }
        }
        return map;
    }

    private static Map<String, Set<String>> actualImports() throws IOException {
        Map<String, Set<String>> imports = new LinkedHashMap<>();
        try (Stream<Path> packages = Files.list(MAIN)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> used = new TreeSet<>();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        Matcher m = IMPORT.matcher(Files.readString(f));
                        while (m.find()) {
                            used.add(m.group(1));
                        }
                    }
                }
                used.remove(pkg);
                imports.put(pkg, used);
            }
        }
        return imports;
    }
}
