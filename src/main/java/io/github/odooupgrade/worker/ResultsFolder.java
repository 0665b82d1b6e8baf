package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.api.RequestStatus;
import io.github.odooupgrade.markup.Html;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.transfer.HttpDownload;
import io.github.odooupgrade.transfer.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where a request's results go: {@code <upgrade.output-dir>/request-<id>/} — the upgraded dump, its
 * {@code .sha256}, and the platform's report ({@code notes.html}). The report's URL embeds the request
 * key, so the file, not the URL, goes into a variable — and its text, bounded, for the forms.
 */
@Component
final class ResultsFolder {
    /** The most of the platform's report a variable holds (the file has the whole). */
    static final int PLATFORM_REPORT_LIMIT = 4000;
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

    /**
     * The platform's report, saved at {@code file}: its path, and its text (bounded) for the forms — a person in Tasklist
     * cannot open a file on the workers' machine.
     */
    static void putReport(Map<String, Object> out, String file) {
        out.put(Var.NOTES_FILE, file);
        try {
            out.put(Var.PLATFORM_REPORT, Html.text(Files.readString(Path.of(file)), PLATFORM_REPORT_LIMIT));
        } catch (IOException e) {
            log.warn("the platform's report {} cannot be read: {}", file, e.getMessage());
        }
    }
}
