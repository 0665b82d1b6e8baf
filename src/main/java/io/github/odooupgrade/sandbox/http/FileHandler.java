package io.github.odooupgrade.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.odooupgrade.sandbox.DumpInfo;
import io.github.odooupgrade.sandbox.Faults;
import io.github.odooupgrade.sandbox.TransferGauge;
import io.github.odooupgrade.sandbox.Platform;
import io.github.odooupgrade.sandbox.RequestStore;
import io.github.odooupgrade.sandbox.UpgradeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /database/<region>/<id>/<key>/<kind>}: the pages and files a status answer links to.
 * Archives are served with HTTP Range so an interrupted download can resume.
 */
final class FileHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(FileHandler.class);
    private static final Pattern PATH = Pattern.compile("^/database/([^/]+)/(\\d+)/([^/]+)/(.+)$");
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private final Platform platform;
    private final RequestStore store;
    private final Faults faults;
    private final String region;
    private final HtmlPages pages;

    FileHandler(Platform platform, Faults faults, String region, HtmlPages pages) {
        this.platform = platform;
        this.store = platform.store();
        this.faults = faults;
        this.region = region;
        this.pages = pages;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            Exchanges.text(ex, 405, "text/plain", "Only GET and HEAD here.\n");
            return;
        }
        Matcher m = PATH.matcher(ex.getRequestURI().getPath());
        Optional<UpgradeRequest> found = m.matches() && m.group(1).equals(region)
                ? store.find(Long.parseLong(m.group(2)), m.group(3))
                : Optional.empty();
        if (found.isEmpty()) {
            Exchanges.text(ex, 404, "text/plain", "Not found.\n");
            return;
        }
        UpgradeRequest r = found.get();
        String kind = m.group(4);
        switch (kind) {
            case "status" -> Exchanges.text(ex, 200, "text/html", pages.status(r));
            case "upgraded/notes" -> Exchanges.text(ex, 200, "text/html", pages.notes(r));
            case "original/archive" -> serveDump(ex, r, false, false);
            case "original/sql" -> serveDump(ex, r, false, true);
            case "upgraded/archive" -> serveDump(ex, r, true, false);
            case "upgraded/sql" -> serveDump(ex, r, true, true);
            case "modules/archive" -> serveFile(ex, ModulesArchive.of(store.requestDir(r.id)), "application/zip", "modules.zip");
            default -> Exchanges.text(ex, 404, "text/plain", "Not found.\n");
        }
    }

    private void serveDump(HttpExchange ex, UpgradeRequest r, boolean upgraded, boolean sql) throws IOException {
        Path file = upgraded ? store.upgradedFile(r) : store.originalFile(r);
        if (upgraded && !r.state.isDelivered()) {
            Exchanges.text(ex, 404, "text/plain", "The upgraded dump is not ready: request " + r.id + " is in state "
                    + r.state.wire() + ".\n");
            return;
        }
        if (!Files.isRegularFile(file)) {
            Exchanges.text(ex, 404, "text/plain", "No dump was uploaded for request " + r.id + ".\n");
            return;
        }
        String name = upgraded ? r.upgradedFilename() : r.filename;
        if (!sql) {
            serveFile(ex, file, "application/octet-stream", name);
            return;
        }
        DumpInfo info = r.dump;
        if (info == null || !info.isDump()) {
            Exchanges.text(ex, 404, "text/plain", "The uploaded file is not a recognised dump; no SQL view.\n");
            return;
        }
        if (info.compressions().equals(List.of("sql"))) {
            serveFile(ex, file, "application/sql", stripExtension(name) + ".sql");
            return;
        }
        InputStream stream;
        try {
            stream = SqlStreams.open(file, info);
        } catch (IOException e) {
            Exchanges.text(ex, 503, "text/plain", e.getMessage() + "\n");
            return;
        }
        try (stream) {
            ex.getResponseHeaders().set("Content-Type", "application/sql");
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + stripExtension(name) + ".sql\"");
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(200, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, 0);
            copy(stream, ex.getResponseBody(), faults, Long.MAX_VALUE);
            ex.getResponseBody().close();
        }
    }

    /** A whole file, or the single byte range asked for (RFC 9110); several ranges get the whole file. */
    private void serveFile(HttpExchange ex, Path file, String contentType, String downloadName) throws IOException {
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        end = Math.min(end, Long.parseLong(m.group(2)));
                    }
                }
                if (start >= size || start > end) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    Exchanges.text(ex, 416, "text/plain", "Range not satisfiable: the file has " + size + " bytes.\n");
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        long length = end - start + 1;
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
        ex.getResponseHeaders().set("ETag", "\"" + size + "-" + Files.getLastModifiedTime(file).toMillis() + "\"");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, length);
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(start);
            copy(in, ex.getResponseBody(), faults, length);
        }
        ex.getResponseBody().close();
    }

    /** Copies at most {@code length} bytes; past {@code cutAt} (fault injection) the connection is dropped. */
    private static void copy(InputStream in, OutputStream out, Faults faults, long length) throws IOException {
        try (TransferGauge.Transfer t = faults.transfers().begin(TransferGauge.Kind.DOWNLOAD)) {
            copyCounted(in, out, faults, length);
        }
    }

    private static void copyCounted(InputStream in, OutputStream out, Faults faults, long length) throws IOException {
        long cutAt = faults.cutPointForNewTransfer();
        long start = System.nanoTime();
        byte[] buffer = new byte[256 * 1024];
        long sent = 0;
        while (sent < length) {
            int want = faults.chunk((int) Math.min(buffer.length, length - sent));
            if (cutAt >= 0) {
                if (sent >= cutAt) {
                    out.flush();
                    log.info("download cut after {} bytes (fault injection)", sent);
                    throw new Exchanges.ConnectionCut("download cut after " + sent + " bytes (fault injection)");
                }
                want = (int) Math.min(want, cutAt - sent);
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            sent += n;
            faults.transfers().moved(TransferGauge.Kind.DOWNLOAD, n);
            if (faults.slowed()) {
                out.flush();
            }
            faults.pace(sent, start);
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
