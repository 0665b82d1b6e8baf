package io.github.odooupgrade.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;

/**
 * Hashes a download's blocks and writes them to its file on a thread of its own, while the caller receives
 * the next block: a download's SHA-256 and its disk writes then cost no time on the thread that reads and
 * decrypts the network's bytes. A few blocks in flight at most, so memory stays small whatever the size.
 */
final class HashingWriter implements AutoCloseable {
    private static final int BLOCKS = 3;
    private static final int BLOCK_SIZE = 1 << 20;

    private record Block(byte[] bytes, int length) {}

    private static final Block END = new Block(new byte[0], 0);

    private final FileChannel out;
    private final MessageDigest digest;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(BLOCKS + 1); // and the end
    private final Thread writer;
    private volatile IOException failure;

    HashingWriter(FileChannel out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(new byte[BLOCK_SIZE]);
        }
        writer = Thread.ofPlatform().daemon().name("download-writer").start(this::writeAll);
    }

    /**
     * Reads {@code in} to its end a whole block at a time (a body arrives in reads of at most 8 KiB), each block
     * handed over as it fills; {@code received} hears the bytes so far after each. What arrived before a fault
     * is handed over too, so that the next attempt resumes after it; the fault is thrown then.
     */
    void copy(InputStream in, LongConsumer received) throws IOException {
        long total = 0;
        boolean more = true;
        while (more) {
            byte[] block = take();
            int n = 0;
            IOException broke = null;
            try {
                int r = 0;
                while (n < block.length && (r = in.read(block, n, block.length - n)) > 0) {
                    n += r;
                }
                more = r >= 0 && n == block.length;
            } catch (IOException e) {
                broke = e;
            }
            if (n > 0) {
                put(block, n);
                total += n;
                received.accept(total);
            } else {
                free.add(block);
            }
            if (broke != null) {
                throw broke;
            }
        }
    }

    /** A block to fill (waits while every block is being hashed or written). */
    private byte[] take() throws IOException {
        failIfFailed();
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
    }

    /** Hands over {@code length} bytes of a block from {@link #take()}: hashed, then written, in order. */
    private void put(byte[] block, int length) throws IOException {
        failIfFailed();
        filled.add(new Block(block, length));
    }

    /** Waits until every block handed over is hashed and written; a write that failed is thrown here. */
    @Override
    public void close() throws IOException {
        filled.add(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
        failIfFailed();
    }

    private void writeAll() {
        try {
            for (Block b = filled.take(); b != END; b = filled.take()) {
                if (failure == null) {
                    write(b);
                }
                free.add(b.bytes());
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("download interrupted");
        }
    }

    private void write(Block b) {
        try {
            digest.update(b.bytes(), 0, b.length());
            ByteBuffer bytes = ByteBuffer.wrap(b.bytes(), 0, b.length());
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    private void failIfFailed() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("cannot write the download: " + f.getMessage(), f);
        }
    }
}
