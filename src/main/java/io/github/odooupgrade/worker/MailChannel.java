package io.github.odooupgrade.worker;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.github.odooupgrade.notify.Channel;
import io.github.odooupgrade.notify.Notification;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/** A notification as a plain-text mail through the SMTP server {@code spring.mail.*} names, tried a few times. */
final class MailChannel implements Channel {
    private final JavaMailSender mail;
    private final String from;
    private final List<String> to;
    private final RetryPolicy<Object> retries;

    MailChannel(JavaMailSender mail, String from, List<String> to, int attempts, Duration backoff) {
        this.mail = mail;
        this.from = from;
        this.to = List.copyOf(to);
        this.retries = RetryPolicy.builder().handle(MailException.class).withMaxAttempts(Math.max(1, attempts)).withDelay(backoff).build();
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void send(Notification n) throws IOException {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(to.toArray(String[]::new));
        message.setSubject(n.subject());
        message.setText(String.join("\n", n.lines()) + "\n");
        try {
            Failsafe.with(retries).run(() -> mail.send(message));
        } catch (FailsafeException | MailException e) {
            Throwable cause = e instanceof FailsafeException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("the mail could not be sent: " + cause.getMessage(), cause);
        }
    }
}
