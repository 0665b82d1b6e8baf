package io.github.odooupgrade.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the run's journal in step with the instance as the run follows it: rewritten when the step or
 * a variable changed, marked finished with the exit code at the end.
 */
public final class JournalKeeper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private RunJournal journal;
    private Map<String, String> lastVariables = Map.of();

    public JournalKeeper(Path folder, RunJournal journal) {
        this.folder = folder;
        this.journal = journal;
        journal.write(folder);
    }

    /** @param variables the instance's root variables as JSON text (what the observer reads) */
    public synchronized void observe(String step, Map<String, String> variables) {
        boolean changed = !variables.equals(lastVariables);
        if (!changed && (step == null || step.equals(journal.step()))) {
            return;
        }
        lastVariables = Map.copyOf(variables);
        journal = journal.at(step, changed ? parsed(variables) : null);
        journal.write(folder);
    }

    public synchronized void end(int exitCode) {
        journal = journal.ended(exitCode);
        journal.write(folder);
    }

    public synchronized RunJournal journal() {
        return journal;
    }

    private static Map<String, Object> parsed(Map<String, String> variables) {
        Map<String, Object> out = new LinkedHashMap<>();
        new TreeMap<>(variables).forEach((name, json) -> {
            try {
                out.put(name, JSON.readValue(json, Object.class));
            } catch (JsonProcessingException e) {
                out.put(name, json);
            }
        });
        return out;
    }
}
