package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.odooupgrade.process.InputValidator.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputValidatorTest {
    final InputValidator validator = new InputValidator(null, 1000, Duration.ofMinutes(5), Duration.ofDays(2));

    @TempDir
    Path dir;

    Map<String, Object> form(Path dump) {
        Map<String, Object> in = new HashMap<>();
        in.put("dumpFile", dump.toString());
        in.put("contract", "M123456-abcdef");
        in.put("email", "ops@example.com");
        in.put("target", "13.0");
        in.put("aim", "Production");
        in.put("uploadMethod", "auto");
        return in;
    }

    @Test
    void goodInputIsCompletedWithTheUploadMethodAndTheTimings() throws Exception {
        Path small = Files.writeString(dir.resolve("small.sql"), "-- dump\n");
        Path big = Files.write(dir.resolve("big.dump"), new byte[2000]);

        ValidInput s = validator.validate(form(small));
        ValidInput b = validator.validate(form(big));

        assertThat(s.uploadMethod()).isEqualTo("https");
        assertThat(b.uploadMethod()).as("auto picks SFTP from the threshold up").isEqualTo("sftp");
        assertThat(s.aim()).isEqualTo("production");
        assertThat(s.dumpName()).isEqualTo("small.sql");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.toString()).doesNotContain("M123456");
    }

    @Test
    void everyProblemIsReportedAtOnceEachAsASentence() {
        Map<String, Object> in = form(dir.resolve("nowhere.dump"));
        in.put("contract", "");
        in.put("email", "ops");
        in.put("target", "thirteen");
        in.put("aim", "fun");
        in.put("uploadMethod", "ftp");
        in.put("pollInterval", "5 minutes");

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> validator.validate(in));

        assertThat(e.problems()).hasSize(7);
        assertThat(e.problems()).anyMatch(p -> p.contains("does not exist")).anyMatch(p -> p.startsWith("contract is missing"))
                .anyMatch(p -> p.contains("not an email address")).anyMatch(p -> p.contains("write it like 13.0"))
                .anyMatch(p -> p.contains("choose test or production")).anyMatch(p -> p.contains("choose auto, https or sftp"))
                .anyMatch(p -> p.contains("ISO-8601 duration"));
    }

    @Test
    void aContractConfiguredOnTheWorkersMakesTheFieldOptional() throws Exception {
        Path dump = Files.writeString(dir.resolve("a.sql"), "-- dump\n");
        Map<String, Object> in = form(dump);
        in.remove("contract");

        assertThat(new InputValidator("M1-x", 1000, Duration.ofMinutes(5), Duration.ofDays(2)).validate(in).contract()).isNull();
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(in)).problems())
                .containsExactly("contract is missing: give the Odoo Enterprise contract number (or configure upgrade.contract on the workers)");
    }

    @Test
    void anEmptyOrUnreadableDumpIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.dump"));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(form(empty))).problems())
                .singleElement().asString().contains("is empty");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(form(dir))).problems())
                .singleElement().asString().contains("not a regular file");
    }

    @Test
    void withDumpFoldersConfiguredAFileElsewhereIsRefusedEvenThroughALink() throws Exception {
        Path dumpsDir = Files.createDirectories(dir.resolve("dumps"));
        Path inside = Files.writeString(dumpsDir.resolve("db.sql"), "-- dump\n");
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not for the platform\n");
        Path link = Files.createSymbolicLink(dumpsDir.resolve("innocent.sql"), outside);
        InputValidator confined = new InputValidator(null, 1000, Duration.ofMinutes(5), Duration.ofDays(2), List.of(dumpsDir));

        assertThat(confined.validate(form(inside)).dumpFile()).isEqualTo(inside);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> confined.validate(form(outside))).problems())
                .singleElement().asString().contains("is outside the folders dumps are read from");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> confined.validate(form(link))).problems())
                .singleElement().asString().contains("is outside the folders dumps are read from");
    }

    @Test
    void todaysPlatformAsksNoEmailSendsByRsyncAndRefusesWhatOnlyV1Has() throws Exception {
        Path dump = Files.writeString(dir.resolve("shop.sql"), "-- dump\n");
        Map<String, Object> today = form(dump);
        today.put("platformApi", "current");
        today.remove("email");
        today.put("aim", "test");
        today.put("restore", true);

        ValidInput v = validator.validate(today);

        assertThat(v.platformApi()).isEqualTo("current");
        assertThat(v.uploadMethod()).isEqualTo("rsync");
        assertThat(v.restoreDatabase()).as("named as Odoo's client names a test restore").matches("shop_test_13_0_\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}");
        assertThat(validator.validate(form(dump)).platformApi()).as("the default").isEqualTo("v1");

        today.put("uploadMethod", "sftp");
        today.put("skipTests", true);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(today)).problems()).containsExactly(
                "uploadMethod sftp is v1's: today's platform takes dumps by rsync only (leave it auto)",
                "skipTests is v1's: today's platform has no skip_test; leave it off");
        Map<String, Object> v1 = form(dump);
        v1.put("platformApi", "v2");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(v1)).problems()).containsExactly(
                "platformApi v2 is not known: choose v1 (the document's API) or current (the API Odoo's own client uses)");
        v1.put("platformApi", "v1");
        v1.put("wipeAfter", true);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> validator.validate(v1)).problems()).containsExactly(
                "wipeAfter is today's platform's: v1 has no wipe; leave it off, or choose the platform current");
    }

    @Test
    void aRestoreIsNamedAsOdoosClientNamesItWithinPostgresLimit() {
        assertThat(RestoreNames.upgraded("mydb", "13.0")).isEqualTo("mydb_upgraded_13_0");
        assertThat(RestoreNames.odooTest("mydb", "18.0", java.time.LocalDateTime.of(2026, 12, 6, 21, 30)))
                .isEqualTo("mydb_test_18_0_2026_12_06_21_30");
        assertThat(RestoreNames.odooTest("x".repeat(80), "18.0", java.time.LocalDateTime.of(2026, 12, 6, 21, 30)))
                .hasSize(63).endsWith("_test_18_0_2026_12_06_21_30");
        assertThat(RestoreNames.stem("2024-shop.sql.gz")).isEqualTo("db_2024_shop");
    }
}
