package io.github.odooupgrade.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.odooupgrade.files.Executables;
import io.github.odooupgrade.process.UpgradeProcess.Form;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forms where a person decides, as Tasklist renders them: form-js 1.17's browser bundle (tools/lint, installed by
 * the build before the integration tests) in headless Chromium, with the variables a run gives them; what a person
 * reads is checked, and the approval after a test is kept as a picture (target/forms/, the README's copy in docs/).
 */
class FormsInChromiumIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUNDLE = Path.of("tools/lint/node_modules/@bpmn-io/form-js/dist").toAbsolutePath();
    private static final Path PICTURES = Path.of("target/forms").toAbsolutePath();
    private static String chromium;

    @TempDir
    Path pages;

    @BeforeAll
    static void browser() {
        chromium = Stream.of("chromium", "chromium-browser").map(Executables::find).filter(Objects::nonNull).map(Path::toString)
                .findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium on the PATH (Debian: apt-get install chromium; .ci/setup installs it)");
        assumeTrue(Files.exists(BUNDLE.resolve("form-viewer.umd.js")), "form-js's bundle is missing: npm ci --prefix tools/lint");
    }

    /** What a person sees of the rendered form: its text, each field's value, and the form's HTML. */
    private record Seen(String text, String html) {}

    private Seen render(String formId, Map<String, Object> variables, Path picture) throws Exception {
        String schema = Files.readString(Path.of("forms", formId + ".form"));
        Path page = pages.resolve(formId + ".html");
        Files.writeString(page, """
                <!doctype html><html><head><meta charset="utf-8">
                <link rel="stylesheet" href="%s/assets/form-js.css">
                <style>body { font-family: sans-serif; margin: 16px; width: 760px } h1 { line-height: 1.2 }</style></head>
                <body><div id="form"></div><pre id="seen" style="display: none"></pre>
                <script src="%s/form-viewer.umd.js"></script>
                <script>
                FormViewer.createForm({ container: document.querySelector('#form'), schema: %s, data: %s }).then(() => {
                  const values = [...document.querySelectorAll('#form textarea, #form input')].map(e => e.value);
                  document.querySelector('#seen').textContent = document.querySelector('#form').innerText + '\\n' + values.join('\\n');
                }).catch(e => { document.querySelector('#seen').textContent = 'ERROR ' + e; });
                </script></body></html>
                """.formatted(BUNDLE.toUri(), BUNDLE.toUri(), schema, JSON.writeValueAsString(variables)), StandardCharsets.UTF_8);
        String dom = chromium("--dump-dom", page.toUri().toString());
        Matcher seen = Pattern.compile("<pre id=\"seen\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(seen.find()).as("the page rendered: %s", dom).isTrue();
        String text = unescape(seen.group(1));
        assertThat(text).as("form-js rendered %s", formId).isNotBlank().doesNotStartWith("ERROR");
        if (picture != null) {
            Files.createDirectories(picture.getParent());
            chromium("--hide-scrollbars", "--window-size=820,1080", "--screenshot=" + picture, page.toUri().toString());
            assertThat(picture).isNotEmptyFile();
        }
        return new Seen(text, dom.substring(dom.indexOf("<div id=\"form\""), dom.indexOf("<pre id=\"seen\"")));
    }

    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--virtual-time-budget=5000", "--user-data-dir=" + pages.resolve("profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
        return out;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** Neither a table opening with an empty header row nor a template or a list left as code. */
    private static void readsCleanly(Seen seen) {
        assertThat(seen.html()).as("an empty header row").doesNotContainPattern("<th>\\s*</th>");
        assertThat(seen.text()).doesNotContain("{{", "[\"", "null");
    }

    @Test
    void theApprovalAfterATestShowsWhatTheTestProvedAndThePlatformsReport() throws Exception {
        String summary = "Differences to look at between shop and shop_test_18_0_2026_12_07_03_05:\n"
                + "- sale order lines (sale_order_line): 30 → 27, 3 fewer\n- module stock is still at version 17.0.1.1, not upgraded to 18.0";
        Map<String, Object> vars = Map.of(Var.REQUEST_ID, 7, Var.DUMP_NAME, "shop-2251799813685308-test.dump", Var.TARGET, "18.0",
                Var.SOURCE_DATABASE, "shop", Var.TEST_DATABASE, "shop_test_18_0_2026_12_07_03_05",
                Var.ACCEPTANCE_VERDICT, "differences to look at", Var.ACCEPTANCE_SUMMARY, summary,
                Var.ACCEPTANCE_REPORT, "/var/lib/odoo-upgrade/request-7/acceptance-report.html",
                Var.PLATFORM_REPORT, "Upgrade report\nRequest 7 18.0 test\nDump received origin.dump: a pg_dump directory-format dump\n"
                        + "Odoo 17.0 (base 17.0.1.3)");

        Seen seen = render(Form.TEST_APPROVAL, vars, PICTURES.resolve("upgrade-test-approval.png"));

        readsCleanly(seen);
        assertThat(seen.text()).contains("restored into the database shop_test_18_0_2026_12_07_03_05 (test request 7)",
                "Acceptance report: differences to look at", "from a new dump of shop taken now",
                "- sale order lines (sale_order_line): 30 → 27, 3 fewer", "not upgraded to 18.0", "Odoo 17.0 (base 17.0.1.3)",
                "Approve the production upgrade", "Reject");
    }

    @Test
    void theProductionApprovalListsWhatThePlatformDetectedAsWords() throws Exception {
        Map<String, Object> vars = Map.of(Var.REQUEST_ID, 12, Var.DUMP_FILE, "/dumps/shop.dump", Var.DUMP_SIZE, 123456,
                Var.TARGET, "13.0", Var.EMAIL, "ops@example.com",
                Var.DETECTED, Map.of("filesize", "120.6 KiB", "postgresql", "15", "compressions", List.of("pgdmp_custom", "gzip"),
                        "filestore", false));

        Seen seen = render(Form.APPROVAL, vars, null);

        readsCleanly(seen);
        assertThat(seen.text()).contains("Request: 12", "Dump: /dumps/shop.dump (123456 bytes)",
                "Detected by the platform: 120.6 KiB, PostgreSQL 15, compressions: pgdmp_custom, gzip, filestore: no");
    }

    @Test
    void theFailureReviewShowsThePlatformsMessageReportAndLog() throws Exception {
        Map<String, Object> vars = Map.of(Var.REQUEST_ID, 9, Var.REQUEST_STATE, "failed", Var.DUMP_FILE, "/dumps/shop.dump",
                Var.PLATFORM, Map.of("customerMessage", "The upgrade of your database failed: a module could not be migrated."),
                Var.NOTES_FILE, "/var/lib/odoo-upgrade/request-9/notes.html",
                Var.PLATFORM_REPORT, "Upgrade report\nModule sale_stock: the migration script failed",
                Var.PLATFORM_LOG, "2026-12-07 03:05:01 restoring it into a scratch database\n2026-12-07 03:05:02 failed: a module could not be migrated");

        Seen seen = render(Form.REVIEW_FAILURE, vars, null);

        readsCleanly(seen);
        assertThat(seen.text()).contains("Request: 9, failed", "The platform's message: The upgrade of your database failed",
                "Module sale_stock: the migration script failed", "failed: a module could not be migrated",
                "Try again with a new request", "Abandon");
    }

    @Test
    void aFailureReviewWithoutReportOrLogShowsNeitherField() throws Exception {
        Seen seen = render(Form.REVIEW_FAILURE, Map.of(Var.REQUEST_ID, 9, Var.REQUEST_STATE, "cancelled", Var.DUMP_FILE, "/dumps/a.dump",
                Var.REJECTION, "request 9 is cancelled"), null);

        readsCleanly(seen);
        assertThat(seen.text()).contains("Refused by the platform: request 9 is cancelled")
                .doesNotContain("The platform's report", "The platform's log", "The platform's message");
    }
}
