package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.transfer.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where a request's results go: {@code <upgrade.output-dir>/request-<id>/} — the upgraded dump, its
 * {@code .sha256}, and the platform's report ({@code notes.html}). The report's URL embeds the request
 * key, so the file, not the URL, goes into a variable.
 */
@Component
final class ResultsFolder {
    private static final Logger log = LoggerFactory.getLogger(ResultsFolder.class);

    private final Path outputDir;
    private final HttpDownload http;

    ResultsFolder(UpgradeProperties props, HttpDownload http) {
        this.outputDir = props.outputDir();
        this.http = http;
    }

    /** The request's folder, created if need be. */
    Path of(RequestRef ref) throws IOException {
        return of(ref.id());
    }

    Path of(long requestId) throws IOException {
        return Files.createDirectories(outputDir.resolve("request-" + requestId).toAbsolutePath());
    }

    /**
     * Saves the platform's report and answers its file, or null when the platform has none or it
     * cannot be fetched: it helps the person who reads the results, the run goes on without it.
     */
    String saveNotes(RequestRef ref, RequestStatus s) {
        if (s.notesUrl() == null) {
            return null;
        }
        try {
            return http.download(s.notesUrl(), of(ref).resolve("notes.html"), TransferProgress.NONE).file().toString();
        } catch (RuntimeException | IOException e) {
            log.warn("the report of request {} could not be saved: {}", ref.id(), e.getMessage());
            return null;
        }
    }
}
