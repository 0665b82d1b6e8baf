package io.github.odooupgrade.transfer;

/** Told how far a transfer got: bytes done (including any resumed part) of the total (-1 if unknown). */
@FunctionalInterface
public interface TransferProgress {
    TransferProgress NONE = (done, total) -> {};

    void update(long done, long total);
}
