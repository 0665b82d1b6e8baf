package io.github.odooupgrade.worker;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.github.odooupgrade.notify.Channel;
import io.github.odooupgrade.notify.Notification;
import io.github.odooupgrade.notify.Webhook;
import io.github.odooupgrade.process.UpgradeProcess.JobType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     */
    @ConfigurationProperties("upgrade.notify")
    public record Properties(String webhookUrl, List<String> emailTo, @DefaultValue("odoo-upgrade@localhost") String emailFrom,
            @DefaultValue("3") int attempts, @DefaultValue("PT10S") Duration timeout, @DefaultValue("PT2S") Duration backoff) {}

    private final List<Channel> channels = new ArrayList<>();
    /** The same for every channel: what may pass is tried again; a refused message is not. */
    private final RetryPolicy<Object> retries;

    NotifyWorker(Properties props, ObjectProvider<JavaMailSender> mail) {
        retries = RetryPolicy.builder().handleIf(e -> e instanceof IOException && !(e instanceof Channel.Refused))
                .withMaxAttempts(Math.max(1, props.attempts())).withDelay(props.backoff()).build();
        if (props.webhookUrl() != null && !props.webhookUrl().isBlank()) {
            channels.add(new Webhook(props.webhookUrl().trim(), props.timeout()));
        }
        if (props.emailTo() != null && !props.emailTo().isEmpty()) {
            JavaMailSender sender = mail.getIfAvailable();
            if (sender == null) {
                log.warn("upgrade.notify.email-to is set but no SMTP server is (spring.mail.host): no mail will be sent");
            } else {
                channels.add(new MailChannel(sender, props.emailFrom(), props.emailTo()));
            }
        }
    }

    @JobWorker(type = JobType.NOTIFY)
    public void notify(ActivatedJob job) {
        Notification n = Notification.of(job.getElementId(), job.getVariablesAsMap());
        if (n == null) {
            return;
        }
        for (Channel channel : channels) {
            try {
                Failsafe.with(retries).run(() -> channel.send(n));
                log.info("instance {}: notified by {}: {}", job.getProcessInstanceKey(), channel.name(), n.subject());
            } catch (FailsafeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                log.warn("instance {}: the {} notification \"{}\" could not be sent ({}); the run goes on", job.getProcessInstanceKey(),
                        channel.name(), n.subject(), cause.getMessage());
            }
        }
    }
}
