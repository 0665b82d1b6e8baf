package io.github.odooupgrade.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The start form's dump file: it exists, is a readable, non-empty regular file, inside the folders dumps are read from. */
final class DumpFileCheck {
    private DumpFileCheck() {}

    record Checked(Path file, long size) {}

    /** @param dumpDirs real paths of the folders dumps may be read from (empty: anywhere) */
    static Checked check(String dumpText, List<Path> dumpDirs, List<String> problems) {
        Path dump = null;
        long size = 0;
        try {
            dump = Path.of(dumpText).toAbsolutePath().normalize();
            if (!Files.exists(dump)) {
                problems.add("dumpFile " + dump + " does not exist on the workers' machine: give the path of an existing dump");
            } else if (!Files.isRegularFile(dump)) {
                problems.add("dumpFile " + dump + " is not a regular file: give the path of the dump file itself");
            } else if (!dumpDirs.isEmpty() && dumpDirs.stream().noneMatch(InputValidator.real(dump)::startsWith)) {
                problems.add("dumpFile " + dump + " is outside the folders dumps are read from (" + dumpDirs.stream()
                        .map(Path::toString).collect(Collectors.joining(", ")) + "): put the dump there");
            } else if (!Files.isReadable(dump)) {
                problems.add("dumpFile " + dump + " cannot be read by the workers: fix its permissions");
            } else {
                size = Files.size(dump);
                if (size == 0) {
                    problems.add("dumpFile " + dump + " is empty: give a dump made with pg_dump or an Odoo backup zip");
                }
            }
        } catch (InvalidPathException e) {
            problems.add("dumpFile is not a valid path: " + e.getReason());
        } catch (IOException e) {
            problems.add("dumpFile " + dump + " cannot be read: " + e.getMessage());
        }
        return new Checked(dump, size);
    }
}
