package io.github.odooupgrade.worker;

import io.github.odooupgrade.notify.Channel;
import io.github.odooupgrade.notify.Notification;
import java.io.IOException;
import java.util.List;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/** A notification as a plain-text mail through the SMTP server {@code spring.mail.*} names. */
final class MailChannel implements Channel {
    private final JavaMailSender mail;
    private final String from;
    private final List<String> to;

    MailChannel(JavaMailSender mail, String from, List<String> to) {
        this.mail = mail;
        this.from = from;
        this.to = List.copyOf(to);
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
            mail.send(message);
        } catch (MailException e) {
            throw new IOException("the mail could not be sent: " + e.getMessage(), e);
        }
    }
}
