package io.github.odooupgrade.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts a notification as the JSON chat tools' incoming webhooks accept ({@code {"text": "…"}}:
 * Slack, Mattermost, Rocket.Chat, …). A refused connection, a timeout or a 5xx is tried again; the
 * URL is never logged or put in a message, since such URLs embed their own secret.
 */
public final class Webhook implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final String url;
    private final RetryPolicy<Object> retries;

    public Webhook(String url, Duration timeout, int attempts, Duration backoff) {
        this.url = url;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).build();
        this.retries = RetryPolicy.builder().handleIf(e -> e instanceof IOException && !(e instanceof Refused))
                .withMaxAttempts(Math.max(1, attempts)).withDelay(backoff).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    /** Sends {@code n}; throws with what went wrong (never the URL) when every attempt failed. */
    @Override
    public void send(Notification n) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("text", n.text()));
        try {
            Failsafe.with(retries).run(() -> post(body));
        } catch (FailsafeException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** A 4xx: a wrong URL or payload, which trying again will not mend. */
    private static final class Refused extends IOException {
        Refused(int code) {
            super("the webhook refused the message: " + code);
        }
    }

    private void post(byte[] body) throws IOException {
        Request request = new Request.Builder().url(url).post(RequestBody.create(body, APPLICATION_JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() >= 500) {
                throw new IOException("the webhook answered " + response.code());
            }
            if (!response.isSuccessful()) {
                throw new Refused(response.code());
            }
        }
    }
}
