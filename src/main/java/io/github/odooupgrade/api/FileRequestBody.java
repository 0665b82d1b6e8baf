package io.github.odooupgrade.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/** A file as an HTTP body, streamed in blocks (never held in memory), reporting progress. */
public final class FileRequestBody extends RequestBody {
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final long BLOCK = 1 << 20;

    private final Path file;
    private final long length;
    private final TransferProgress progress;

    public FileRequestBody(Path file, TransferProgress progress) throws IOException {
        this.file = file;
        this.length = Files.size(file);
        this.progress = progress;
    }

    @Override
    public MediaType contentType() {
        return OCTET_STREAM;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        long done = 0;
        progress.update(0, length);
        try (Source source = Okio.source(file)) {
            long n;
            while ((n = source.read(sink.getBuffer(), BLOCK)) != -1) {
                sink.emit();
                done += n;
                progress.update(done, length);
            }
        }
    }
}
