package io.github.odooupgrade.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Programs found as a shell finds them: the first executable of that name in the PATH's folders. */
public final class Executables {
    private Executables() {}

    /** {@code name} on the PATH, or null. */
    public static Path find(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
