package io.github.odooupgrade.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Slack, Mattermost, Rocket.Chat, …). A 5xx may pass, a 4xx will not ({@link Channel.Refused}); the
 * URL is never logged or put in a message, since such URLs embed their own secret.
 */
public final class Webhook implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final String url;

    public Webhook(String url, Duration timeout) {
        this.url = url;
        this.http = new OkHttpClient.Builder().callTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Notification n) throws IOException {
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(JSON.writeValueAsBytes(Map.of("text", n.text())), APPLICATION_JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() >= 500) {
                throw new IOException("the webhook answered " + response.code());
            }
            if (!response.isSuccessful()) {
                throw new Channel.Refused("the webhook refused the message: " + response.code());
            }
        }
    }
}
