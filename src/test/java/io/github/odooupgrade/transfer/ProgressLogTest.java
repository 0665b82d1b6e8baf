package io.github.odooupgrade.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a person reads of a transfer that was cut and sent again or resumed. */
class ProgressLogTest {

    @Test
    void aNewAttemptSaysWhereItStartsBeforeItsOwnLines() {
        List<String> lines = new ArrayList<>();
        ProgressLog log = new ProgressLog("upload of db.sql", Duration.ZERO, lines::add);

        log.update(0, 1000);
        log.update(600, 1000);
        log.update(1000, 1000); // the bytes went out, then the answer never came
        log.update(0, 1000); // sent again whole (HTTPS)
        log.update(1000, 1000);
        log.update(400, 1000); // resumed (SFTP)
        log.update(1000, 1000);

        assertThat(lines).filteredOn(l -> l.contains("attempt"))
                .containsExactly("upload of db.sql: attempt 2, from byte 0 of 1000", "upload of db.sql: attempt 3, from byte 400 of 1000");
        assertThat(lines.get(lines.indexOf("upload of db.sql: attempt 2, from byte 0 of 1000") - 1)).contains("1000 B of 1000 B (100%)");
    }

    @Test
    void theEndIsSaidOnceEvenWhenItIsTheFirstReport() {
        List<String> lines = new ArrayList<>();
        ProgressLog small = new ProgressLog("rsync upload of db.sql", Duration.ofSeconds(10), lines::add);

        small.update(5249, 5249); // rsync's only line for a small file: already the end
        small.update(5249, 5249); // and again, as each file of a tree ends

        assertThat(lines).containsExactly("rsync upload of db.sql: 5.1 KiB of 5.1 KiB (100%)");
    }
}
