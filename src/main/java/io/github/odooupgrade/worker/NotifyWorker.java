package io.github.odooupgrade.worker;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.notify.Notification;
import io.github.odooupgrade.notify.Webhook;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The model's listeners (a user task being created, the process reaching an end event) tell a person:
 * a webhook message with what waits for them or how the run ended. A channel that is down never
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
     * @param webhookUrl an incoming webhook of a chat tool ({@code {"text": …}} is posted); unset: no notifications
     * @param attempts   tries of one message (a refused connection, a timeout, a 5xx)
     */
    @ConfigurationProperties("upgrade.notify")
    public record Properties(String webhookUrl, @DefaultValue("3") int attempts, @DefaultValue("PT10S") Duration timeout,
            @DefaultValue("PT2S") Duration backoff) {}

    private final Webhook webhook;

    NotifyWorker(Properties props) {
        this.webhook = props.webhookUrl() == null || props.webhookUrl().isBlank() ? null
                : new Webhook(props.webhookUrl().trim(), props.timeout(), props.attempts(), props.backoff());
    }

    @JobWorker(type = JobType.NOTIFY)
    public void notify(ActivatedJob job) {
        Notification n = Notification.of(job.getElementId(), job.getVariablesAsMap());
        if (n == null || webhook == null) {
            return;
        }
        try {
            webhook.send(n);
            log.info("instance {}: notified: {}", job.getProcessInstanceKey(), n.subject());
        } catch (IOException e) {
            log.warn("instance {}: the notification \"{}\" could not be sent ({}); the run goes on", job.getProcessInstanceKey(),
                    n.subject(), e.getMessage());
        }
    }
}
