package io.github.odooupgrade.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code run}'s notifications: the messages cluster mode sends (a person is needed, the run ended),
 * by mail and to a chat webhook, besides the terminal. Given to the workers as the same
 * {@code upgrade.notify.*} and {@code spring.mail.*} properties cluster mode is configured with.
 */
final class NotifyOptions {
    /** Not recorded for {@code resume}: a webhook URL carries its token. */
    static final String WEBHOOK = "--notify-webhook";

    @Option(names = "--notify-email", paramLabel = "ADDRESS", split = ",", description = "Also mail these addresses when an approval "
            + "or a review waits and when the run ends (SMTP server: --smtp, or SPRING_MAIL_HOST; its login: SPRING_MAIL_USERNAME, SPRING_MAIL_PASSWORD).")
    List<String> emails;

    @Option(names = WEBHOOK, paramLabel = "URL", description = "Also post those messages to this chat webhook ({\"text\": …}). Not kept "
            + "in the run's journal (the URL holds a token): give it again to resume, or set UPGRADE_NOTIFY_WEBHOOKURL.")
    String webhook;

    @Option(names = "--smtp", paramLabel = "HOST[:PORT]", description = "The SMTP server of --notify-email (port default 25).")
    String smtp;

    /** The workers' properties for these options (empty: no notifications); what is wrong goes to {@code problems}. */
    Map<String, String> properties(Map<String, String> environment, List<String> problems) {
        Map<String, String> p = new LinkedHashMap<>();
        if (webhook != null) {
            URI uri = null;
            try {
                uri = URI.create(webhook.trim());
            } catch (IllegalArgumentException e) {
                // said below
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(WEBHOOK + " is not an http(s) URL: give the chat tool's incoming webhook, like https://chat.example/hooks/…");
            } else {
                p.put("upgrade.notify.webhook-url", uri.toString());
            }
        }
        if (emails != null && !emails.isEmpty()) {
            List<String> bad = emails.stream().filter(e -> !e.matches("[^@\\s]+@[^@\\s]+")).toList();
            if (!bad.isEmpty()) {
                problems.add("--notify-email " + String.join(",", bad) + " is not a mail address like ops@example.com");
            }
            if (smtp != null) {
                String[] hostPort = smtp.trim().split(":", 2);
                p.put("spring.mail.host", hostPort[0]);
                if (hostPort.length == 2) {
                    if (!hostPort[1].matches("\\d{1,5}")) {
                        problems.add("--smtp " + smtp + " has no valid port: write it like mail.example.com:587");
                    }
                    p.put("spring.mail.port", hostPort[1]);
                }
            } else if (environment.get("SPRING_MAIL_HOST") == null) {
                problems.add("--notify-email needs an SMTP server: give --smtp HOST[:PORT] or set SPRING_MAIL_HOST");
            }
            p.put("upgrade.notify.email-to", String.join(",", emails));
        }
        return p;
    }
}
