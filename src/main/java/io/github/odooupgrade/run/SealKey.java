package io.github.odooupgrade.run;

import io.github.odooupgrade.files.AtomicFile;
import io.github.odooupgrade.secrets.Sealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The key a run seals its secrets with (the request key, the SFTP key pair, the contract), in the
 * engine and in its journal. A restart needs the same key: it is {@code UPGRADE_SEALKEY} when set —
 * kept apart from the journal, which alone then opens nothing — or else a key made for the run and
 * kept beside the journal in {@value #FILE}, mode 0600 (then the folder's permissions are the protection).
 *
 * @param source {@link #ENVIRONMENT} or {@link #FILE_SOURCE}
 */
public record SealKey(String key, String source) {
    public static final String VARIABLE = "UPGRADE_SEALKEY";
    public static final String FILE = ".seal-key";
    public static final String ENVIRONMENT = "environment";
    public static final String FILE_SOURCE = "file";

    /** For a new run: the environment's key, or a new one written to {@code folder}. */
    public static SealKey forNewRun(Path folder, Map<String, String> env) {
        String given = env.get(VARIABLE);
        if (given != null && !given.isBlank()) {
            Sealer.fromBase64Key(given.trim()); // a malformed key fails here, before anything starts
            return new SealKey(given.trim(), ENVIRONMENT);
        }
        String key = Sealer.newBase64Key();
        try {
            AtomicFile.write(folder.resolve(FILE), key.getBytes(StandardCharsets.US_ASCII), true);
        } catch (IOException e) {
            throw new UncheckedIOException("the seal key cannot be written in " + folder + ": " + e.getMessage(), e);
        }
        return new SealKey(key, FILE_SOURCE);
    }

    /** For a recorded run: its key, or why it cannot be had (one line, what to do). */
    public static SealKey of(RunJournal journal, Path folder, Map<String, String> env) {
        if (ENVIRONMENT.equals(journal.sealKeySource())) {
            String given = env.get(VARIABLE);
            if (given == null || given.isBlank()) {
                throw new IllegalStateException("this run's secrets are sealed with " + VARIABLE + ": set it as when the run started");
            }
            return new SealKey(given.trim(), ENVIRONMENT);
        }
        Path file = folder.resolve(FILE);
        try {
            return new SealKey(Files.readString(file, StandardCharsets.US_ASCII).trim(), FILE_SOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("the run's seal key " + file + " cannot be read (" + e.getMessage()
                    + "): without it the recorded request key cannot be opened");
        }
    }

    public Sealer sealer() {
        return Sealer.fromBase64Key(key);
    }

    @Override
    public String toString() {
        return "SealKey[" + source + "]";
    }
}
