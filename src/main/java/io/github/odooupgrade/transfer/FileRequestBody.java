package io.github.odooupgrade.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** A file as an HTTP body, streamed in blocks (never held in memory), reporting progress. */
public final class FileRequestBody extends RequestBody {
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final int BLOCK = 1 << 20;

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
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(block.clear()) > 0) {
                done += sink.getBuffer().write(block.flip());
                progress.update(done, length); // handed to the connection (a new attempt starts lower again)
                sink.emit(); // a whole block at once: one timed write downstream, not one per 8 KiB segment
            }
        }
    }
}
