package io.github.odooupgrade.transfer;

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

    private FileRequestBody(Path file, long length, TransferProgress progress) {
        this.file = file;
        this.length = length;
        this.progress = progress;
    }

    /** The body of {@code file}; writing it again (a retry) sends the file again from its start. */
    public static FileRequestBody of(Path file, TransferProgress progress) {
        try {
            return new FileRequestBody(file, Files.size(file), progress);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the dump " + file + ": " + e.getMessage(), e);
        }
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
