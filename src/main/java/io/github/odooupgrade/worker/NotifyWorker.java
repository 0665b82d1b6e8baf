package io.github.odooupgrade.worker;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.protocol.Protocol;
import io.github.odooupgrade.notify.Channel;
import io.github.odooupgrade.notify.Notification;
import io.github.odooupgrade.notify.Webhook;
import io.github.odooupgrade.process.UpgradeProcess.Element;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * The model's listeners (a user task being created, the process reaching an end event) tell a person:
 * a webhook message and a mail with what waits for them or how the run ended. A channel that is down never
 * stops the upgrade: after its attempts the job completes anyway and the failure is a warning in the
 * log — an incident would hold a user task or the run's end on a chat server's outage. Nothing
 * configured: the listener completes at once.
 */
@Component
public class NotifyWorker {
    private static final Logger log = LoggerFactory.getLogger(NotifyWorker.class);

    /**
     * {@code upgrade.notify.*}.
     *
     * @param webhookUrl an incoming webhook of a chat tool ({@code {"text": …}} is posted); unset: no webhook
     * @param emailTo    addresses mailed through the SMTP server of {@code spring.mail.*}; unset: no mail
     * @param emailFrom  the mails' sender
     * @param attempts   tries of one message on one channel (a refused connection, a timeout, a 5xx, an SMTP error)
     * @param tasklistUrl where Tasklist is (cluster mode, e.g. http://localhost:8080): a waiting task's message links to it
     * @param operateUrl  where Operate is: every message links to the run's instance
     */
    @ConfigurationProperties("upgrade.notify")
    public record Properties(String webhookUrl, List<String> emailTo, @DefaultValue("odoo-upgrade@localhost") String emailFrom,
            @DefaultValue("3") int attempts, @DefaultValue("PT10S") Duration timeout, @DefaultValue("PT2S") Duration backoff,
            String tasklistUrl, String operateUrl) {}

    private final List<Channel> channels = new ArrayList<>();
    private final String tasklistUrl;
    private final String operateUrl;
    private final UpgradeMetrics metrics;
    /** The same for every channel: what may pass is tried again; a refused message is not. */
    private final RetryPolicy<Object> retries;

    NotifyWorker(Properties props, ObjectProvider<JavaMailSender> mail, UpgradeMetrics metrics) {
        this.metrics = metrics;
        this.tasklistUrl = base(props.tasklistUrl());
        this.operateUrl = base(props.operateUrl());
        retries = RetryPolicy.builder().handleIf(e -> e instanceof IOException && !(e instanceof Channel.Refused))
                .withMaxAttempts(Math.max(1, props.attempts())).withDelay(props.backoff()).build();
        if (props.webhookUrl() != null && !props.webhookUrl().isBlank()) {
            channels.add(new Webhook(props.webhookUrl().trim(), props.timeout()));
        }
        List<String> emailTo = props.emailTo() == null ? List.of() : props.emailTo().stream().filter(a -> !a.isBlank()).toList();
        if (!emailTo.isEmpty()) { // docker-compose.yml sets it empty when no mail is wanted
            JavaMailSender sender = mail.getIfAvailable();
            if (sender == null) {
                log.warn("upgrade.notify.email-to is set but no SMTP server is (spring.mail.host): no mail will be sent");
            } else {
                channels.add(new MailChannel(sender, props.emailFrom(), emailTo));
            }
        }
    }

    /**
     * Also where a run's outcome is recorded: the listener at each end is the one job every run reaches at its
     * end, configured channels or not. It is counted ({@code upgrade.runs}) and set as {@code runOutcome}
     * (what a campaign reads of each of its upgrades).
     */
    @JobWorker(type = JobType.NOTIFY)
    public Map<String, Object> notify(ActivatedJob job) {
        String outcome = Element.outcomeOf(job.getElementId());
        if (outcome != null) {
            metrics.runEnded(outcome);
        }
        Notification n = withLinks(Notification.of(job.getElementId(), job.getVariablesAsMap(), Instant.now()), job);
        if (n != null) {
            send(n, job.getProcessInstanceKey());
        }
        return outcome == null ? null : Map.of(Var.RUN_OUTCOME, outcome); // a task listener's job may set no variable
    }

    private void send(Notification n, long instance) {
        for (Channel channel : channels) {
            try {
                Failsafe.with(retries).run(() -> channel.send(n));
                log.info("instance {}: notified by {}: {}", instance, channel.name(), n.subject());
            } catch (FailsafeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                log.warn("instance {}: the {} notification \"{}\" could not be sent ({}); the run goes on", instance,
                        channel.name(), n.subject(), cause.getMessage());
            }
        }
    }

    /** Where the person can act (cluster mode, with the base URLs configured): the task in Tasklist, the run in Operate. */
    private Notification withLinks(Notification n, ActivatedJob job) {
        if (n == null) {
            return null;
        }
        Object taskKey = job.getUserTask() != null && job.getUserTask().getUserTaskKey() != null ? job.getUserTask().getUserTaskKey()
                : job.getCustomHeaders().get(Protocol.USER_TASK_KEY_HEADER_NAME); // how a task listener's job carries it over gRPC
        if (tasklistUrl != null && taskKey != null) {
            n = n.withLine("Open the task in Tasklist: " + tasklistUrl + "/tasklist/" + taskKey);
        }
        return operateUrl == null ? n : n.withLine("The run in Operate: " + operateUrl + "/operate/processes/" + job.getProcessInstanceKey());
    }

    /** A base URL without its trailing slash, or null when unset. */
    private static String base(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
