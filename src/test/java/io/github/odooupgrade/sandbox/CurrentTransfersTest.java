package io.github.odooupgrade.sandbox;

import static io.github.odooupgrade.database.LocalPostgres.psql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.odooupgrade.acceptance.AcceptanceReport;
import io.github.odooupgrade.acceptance.AcceptanceReport.Verdict;
import io.github.odooupgrade.acceptance.AcceptanceRules;
import io.github.odooupgrade.database.BusinessDatabases;
import io.github.odooupgrade.database.DatabaseDump;
import io.github.odooupgrade.database.LocalPostgres;
import io.github.odooupgrade.database.OdooDatabases;
import io.github.odooupgrade.database.PgSql;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Today's API end to end, as Odoo's own client goes through it: create, an upload window, rsync over ssh, process,
 * the status until done, the log read from an offset, a download window, rsync back, and the directory dump
 * restored with pg_restore --format d into a database with the source's rows — for each kind of dump the
 * platform takes. The real OpenSSH ssh and rsync, the sandbox's rrsync behind them, the machine's PostgreSQL.
 */
class CurrentTransfersTest {
    @RegisterExtension
    static final SandboxFixture PLATFORM = SandboxFixture.perClass("--pending", "200ms", "--progress", "300ms");
    private static final Duration UPGRADE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final OdooDatabases.Scratch databases = new OdooDatabases.Scratch();

    @AfterEach
    void dropDatabases() {
        databases.dropAll();
    }

    private CurrentClient client() throws Exception {
        return new CurrentClient(PLATFORM.sandbox.currentApiUrl(), dir.resolve("client"));
    }

    /** The source database as each kind of dump Odoo's client sends: its name under /data, and the file or folder. */
    private Path dumpOf(String source, String kind, Path filestoreRoot) throws Exception {
        Path out = dir.resolve("dumps");
        Files.createDirectories(out);
        return switch (kind) {
            case "sql" -> pgDump(source, "plain", out.resolve("db.sql"));
            case "dump" -> pgDump(source, "custom", out.resolve("db.dump"));
            case "dir" -> pgDump(source, "directory", out.resolve("db_dir"));
            case "sql.gz" -> {
                Path sql = pgDump(source, "plain", out.resolve("db.sql"));
                Path gz = out.resolve("db.sql.gz");
                try (OutputStream zip = new GZIPOutputStream(Files.newOutputStream(gz))) {
                    Files.copy(sql, zip);
                }
                yield gz;
            }
            case "zip" -> new DatabaseDump(LocalPostgres.PG).dump(source, out.resolve("db.zip"), filestoreRoot.resolve(source));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Path pgDump(String database, String format, Path target) throws Exception {
        Process p = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "--format", format, "--file",
                target.toString(), database).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("pg_dump: %s", out).isZero();
        return target;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sql", "dump", "dir", "zip", "sql.gz"})
    void aDumpGoesUpAndComesBackAsADirectoryDumpThatRestoresWithItsRows(String kind) throws Exception {
        Path filestore = dir.resolve("filestore");
        String source = databases.name("src");
        OdooDatabases.create(source, 321, filestore);
        Path dump = dumpOf(source, kind, filestore);
        CurrentClient odoo = client();

        JsonNode created = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test");
        String token = created.get("token").asText();
        assertThat(created.get("request_id").asLong()).isPositive();
        assertThat(created.get("assigned_host_uri").asText()).isEqualTo("127.0.0.1:" + PLATFORM.sandbox.httpPort());

        int up = odoo.startTransfer(token, "upload");
        CurrentClient.Run upload = odoo.upload(up, dump, kind.equals("dir") ? "origin.dump" : "origin." + kind);
        assertThat(upload.exit()).as(upload.output()).isZero();
        odoo.result("transfer/stop", Map.of("token", token));
        assertThat(odoo.result("process", Map.of("token", token)).get("is_pg_version_compatible").asBoolean()).isTrue();

        JsonNode end = odoo.awaitEnd(token, UPGRADE);
        assertThat(end.get("status").asText()).as("status %s", end).isEqualTo("done");
        assertThat(end.get("host_uri").asText()).isEqualTo("127.0.0.1:" + PLATFORM.sandbox.httpPort());

        // the platform's log, from the start and from an offset, as Odoo's client streams it
        HttpResponse<String> whole = odoo.logs(token, 0);
        assertThat(whole.statusCode()).isEqualTo(206);
        assertThat(whole.body()).contains("upgrade of request " + created.get("request_id").asLong() + " to 18.0 (test) started",
                "restored: ", "Odoo 17.0, 4 modules installed", "done: upgraded.dump");
        int offset = whole.body().indexOf("restored: ");
        assertThat(odoo.logs(token, offset).body()).isEqualTo(whole.body().substring(offset));
        assertThat(odoo.logs(token, whole.body().length()).statusCode()).as("nothing past the end yet").isEqualTo(416);

        Path into = dir.resolve("downloaded");
        String restored = downloadedAndRestored(odoo, token, into);
        assertThat(OdooDatabases.counts(restored)).isEqualTo(OdooDatabases.counts(source));
        assertThat(into.resolve("upgrade-report.html")).content().contains("Odoo</th><td>17.0 (base 17.0.1.3)", "<td>sale</td>");
        assertThat(into.resolve("upgrade.log")).content().isEqualTo(whole.body());
        assertThat(into.resolve("filestore")).isDirectory();
        if (kind.equals("zip")) {
            assertThat(OdooDatabases.filestore(into.resolve("filestore"))).isEqualTo(OdooDatabases.filestore(filestore.resolve(source)))
                    .hasSize(2);
        }
    }

    @Test
    void theUpgradeMovesTheModulesToTheTargetAndALoseRowsFaultLosesRowsTheAcceptanceReportNames() throws Exception {
        Path filestore = dir.resolve("filestore");
        String source = databases.name("src");
        BusinessDatabases.create(source, "17.0", filestore);
        Path dump = dumpOf(source, "dump", filestore);
        AcceptanceRules rules = AcceptanceRules.defaults();
        PgSql pg = new PgSql(LocalPostgres.PG);

        String kept = upgradedAndRestored(dump);
        assertThat(psql(kept, "SELECT string_agg(DISTINCT split_part(latest_version, '.', 1), ',') FROM ir_module_module "
                + "WHERE state = 'installed'")).isEqualTo("18");
        assertThat(AcceptanceReport.of(pg, source, null, kept, null, "18.0", rules).verdict()).isEqualTo(Verdict.NO_DIFFERENCE);

        PLATFORM.sandbox.faults().loseRows(new Faults.LostRows("sale_order_line", 3));
        String lossy = upgradedAndRestored(dump);
        assertThat(AcceptanceReport.of(pg, source, null, lossy, null, "18.0", rules).differences())
                .containsExactly("sale order lines (sale_order_line): " + BusinessDatabases.SALE_LINES + " → "
                        + (BusinessDatabases.SALE_LINES - 3) + ", 3 fewer");
    }

    /** A custom-format dump sent as Odoo's client sends it, upgraded, fetched and restored: the new database's name. */
    private String upgradedAndRestored(Path dump) throws Exception {
        CurrentClient odoo = client();
        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
        CurrentClient.Run up = odoo.upload(odoo.startTransfer(token, "upload"), dump, "origin.dump");
        assertThat(up.exit()).as(up.output()).isZero();
        odoo.result("transfer/stop", Map.of("token", token));
        odoo.result("process", Map.of("token", token));
        assertThat(odoo.awaitEnd(token, UPGRADE).get("status").asText()).isEqualTo("done");
        return downloadedAndRestored(odoo, token, dir.resolve("downloaded-" + token.substring(0, 8)));
    }

    /** The upgraded request's results fetched into {@code into} as Odoo's client fetches them, its dump restored: the new database. */
    private String downloadedAndRestored(CurrentClient odoo, String token, Path into) throws Exception {
        JsonNode download = odoo.result("transfer/start", Map.of("token", token, "transfer_type", "download"));
        Files.writeString(odoo.knownHosts(), download.get("known_hosts").asText());
        Files.createDirectories(into);
        CurrentClient.Run got = odoo.download(download.get("ssh_port").asInt(), download.get("dump_name").asText(), into);
        assertThat(got.exit()).as(got.output()).isZero();
        odoo.result("transfer/stop", Map.of("token", token));
        String restored = databases.name("restored");
        psql("postgres", "CREATE DATABASE " + restored);
        CurrentClient.Run restore = odoo.run(List.of("pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "--format", "d",
                into.resolve(download.get("dump_name").asText()).toString(), "--dbname", restored, "--jobs", "2"));
        assertThat(restore.exit()).as(restore.output()).isZero();
        return restored;
    }

    @Test
    void aFileThatIsNotADumpAndADumpThatDoesNotRestoreEndFailedWithTheReason() throws Exception {
        CurrentClient odoo = client();
        Path text = Files.writeString(dir.resolve("notes.sql"), "Dear upgrade team,\nplease upgrade our database.\n");
        assertThat(upgradeOf(odoo, text, "origin.sql").get("reason").asText()).startsWith("origin.sql is not a database dump")
                .contains("neither a pg_dump archive nor a SQL dump");

        Path broken = Files.writeString(dir.resolve("broken.sql"), Dumps.plainSql("15.4") + "CREATE TABLE oops (;\n");
        JsonNode failed = upgradeOf(odoo, broken, "origin.sql");
        assertThat(failed.get("reason").asText()).contains("restoring origin.sql", "psql failed", "syntax error");
    }

    /** A dump sent, processed and waited for: the last status. */
    private JsonNode upgradeOf(CurrentClient odoo, Path dump, String name) throws Exception {
        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
        CurrentClient.Run up = odoo.upload(odoo.startTransfer(token, "upload"), dump, name);
        assertThat(up.exit()).as(up.output()).isZero();
        odoo.result("transfer/stop", Map.of("token", token));
        odoo.result("process", Map.of("token", token));
        JsonNode end = odoo.awaitEnd(token, UPGRADE);
        assertThat(end.get("status").asText()).isEqualTo("failed");
        return end;
    }

    @Test
    void anRsyncCutHalfWayAndRunAgainCompletes() throws Exception {
        String source = databases.name("big");
        OdooDatabases.create(source, 60_000, null);
        Path dump = pgDump(source, "plain", dir.resolve("big.sql"));
        long size = Files.size(dump);
        assertThat(size).isGreaterThan(2_000_000);
        CurrentClient odoo = client();
        String token = odoo.create(SandboxOptions.DEFAULT_CONTRACT, "18.0", "test").get("token").asText();
        int port = odoo.startTransfer(token, "upload");
        long before = PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD);
        PLATFORM.sandbox.faults().cutTransfers(size / 2, 1);

        CurrentClient.Run cut = odoo.upload(port, dump, "origin.sql");
        assertThat(cut.exit()).as("the cut run").isNotZero();
        CurrentClient.Run again = odoo.upload(port, dump, "origin.sql");

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(PLATFORM.sandbox.faults().transfers().bytes(TransferGauge.Kind.RSYNC_UPLOAD) - before)
                .as("bytes that reached the platform: the cut run's half, then the whole").isGreaterThan(size);
        odoo.result("transfer/stop", Map.of("token", token));
        odoo.result("process", Map.of("token", token));
        assertThat(odoo.awaitEnd(token, UPGRADE).get("status").asText()).isEqualTo("done");
        assertThat(odoo.logs(token, 0).body()).contains("restored: 6 tables");
    }
}
