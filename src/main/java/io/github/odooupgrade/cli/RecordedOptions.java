package io.github.odooupgrade.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options a run was given, as {@code resume} parses them again: paths made absolute (it may run
 * from another folder), the contract and an adopted request left out (the journal keeps them, sealed),
 * the folder given anew, a webhook URL left out (it holds a token; resume takes it again).
 */
final class RecordedOptions {
    private RecordedOptions() {}

    static List<String> of(ParseResult parsed) {
        List<String> recorded = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (name.equals("--contract") || name.equals("--output") || name.equals("--request") || name.equals(NotifyOptions.WEBHOOK)) {
                continue;
            }
            if (o.typeInfo().isBoolean()) {
                recorded.add(name);
                continue;
            }
            for (String raw : o.originalStringValues()) {
                recorded.add(name);
                recorded.add(o.type() == Path.class ? Path.of(raw).toAbsolutePath().toString() : raw);
            }
        }
        return recorded;
    }
}
