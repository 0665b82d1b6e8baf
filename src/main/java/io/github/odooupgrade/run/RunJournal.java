package io.github.odooupgrade.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.odooupgrade.files.AtomicFile;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a restart needs, kept in the run's {@code --output} folder as {@value #FILE}: the run's own
 * options (the contract left out), the sandbox's ports when the run started one, the engine's view of
 * the instance (its step and root variables: request id, the key and the SFTP key pair sealed, the
 * upload method, the dump) and, once ended, its exit code. Transfer progress is not copied here: the
 * server's file size (SFTP) and the {@code .part} file (downloads) are where it lives.
 *
 * <p>Written atomically — a temporary file, fsync, rename — so a crash while writing leaves the previous
 * journal; mode 0600, as is the seal key file beside it.
 *
 * @param sealKeySource {@code file} (the key is in {@value SealKey#FILE} beside the journal) or {@code environment} (UPGRADE_SEALKEY)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunJournal(int version, String status, Instant startedAt, Instant updatedAt, List<String> runOptions,
        String contractSealed, String sealKeySource, Integer sandboxHttpPort, Integer sandboxSftpPort, String step,
        Map<String, Object> variables, Integer exitCode) {

    public static final String FILE = "run-journal.json";
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    /** Stopped on an incident: the request lives on, {@code resume} continues it. */
    public static final String STOPPED = "stopped";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** A new run's first journal. */
    public static RunJournal begin(List<String> runOptions, String contractSealed, String sealKeySource) {
        Instant now = Instant.now();
        return new RunJournal(1, RUNNING, now, now, runOptions, contractSealed, sealKeySource, null, null, null, null, null);
    }

    /** The same run, going on after a stop. */
    public RunJournal again(String newSealKeySource) {
        return new RunJournal(version, RUNNING, startedAt, Instant.now(), runOptions, contractSealed, newSealKeySource, null, null, step,
                variables, null);
    }

    /** Where the run was, for a message: {@code " (request 12, last step \"Check the request status\")"}, or "". */
    public String where() {
        if (requestId() == null && step == null) {
            return "";
        }
        return " (" + (requestId() != null ? "request " + requestId() + ", " : "") + "last step \"" + step + "\")";
    }

    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** The platform's request this run made, or null before it was created. */
    public Long requestId() {
        return variables != null && variables.get(Var.REQUEST_ID) instanceof Number n ? n.longValue() : null;
    }

    /**
     * The start variables of the run continued: {@code start} (its options, as when it began) with what
     * the stopped instance had learnt — the request, sealed key and SFTP access (today's platform: its host and the
     * request's sealed SSH key pair), the upload method and
     * the restore's name decided, the dump a database step made — so that the model's "existing
     * request" path enters where the platform has the request. Before a request existed: {@code start}.
     */
    public Map<String, Object> continuing(Map<String, Object> start) {
        Map<String, Object> v = new HashMap<>(start);
        if (requestId() == null) {
            return v;
        }
        for (String name : List.of(Var.REQUEST_ID, Var.REQUEST_KEY_SEALED, Var.SFTP_ACCESS, Var.SFTP_KEY_SEALED, Var.REQUEST_HOST,
                Var.SSH_KEY_SEALED, Var.UPLOAD_METHOD, Var.RESTORE_DATABASE)) {
            if (variables.get(name) != null) {
                v.put(name, variables.get(name));
            }
        }
        if (v.containsKey(Var.SOURCE_DATABASE) && variables.get(Var.DUMP_FILE) != null) {
            v.remove(Var.SOURCE_DATABASE); // dumped already: the same dump goes on
            v.remove(Var.INCLUDE_FILESTORE);
            v.put(Var.DUMP_FILE, variables.get(Var.DUMP_FILE));
        }
        return v;
    }

    public RunJournal at(String newStep, Map<String, Object> newVariables) {
        return new RunJournal(version, status, startedAt, Instant.now(), runOptions, contractSealed, sealKeySource, sandboxHttpPort,
                sandboxSftpPort, newStep != null ? newStep : step, newVariables != null ? newVariables : variables, exitCode);
    }

    /** Exit 3 (an incident) leaves the request to continue; 0, 1, 2 end the run. */
    public RunJournal ended(int exit) {
        return new RunJournal(version, exit == 3 ? STOPPED : FINISHED, startedAt, Instant.now(), runOptions, contractSealed, sealKeySource, sandboxHttpPort,
                sandboxSftpPort, step, variables, exit);
    }

    public RunJournal withSandbox(int httpPort, int sftpPort) {
        return new RunJournal(version, status, startedAt, Instant.now(), runOptions, contractSealed, sealKeySource, httpPort, sftpPort,
                step, variables, exitCode);
    }

    public static Optional<RunJournal> read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), RunJournal.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the run journal " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Replaces the journal in {@code folder}, atomically. */
    public void write(Path folder) {
        try {
            AtomicFile.write(folder.resolve(FILE), JSON.writeValueAsBytes(this), true);
        } catch (IOException e) {
            throw new UncheckedIOException("the run journal cannot be written in " + folder + ": " + e.getMessage(), e);
        }
    }
}
