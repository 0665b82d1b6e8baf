package io.github.odooupgrade.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Requests on disk, one folder each: {@code requests/<id>/request.json}, the SFTP-visible
 * {@code files/} and {@code incoming/} for HTTP uploads in progress (v1), or {@code remote/data/}, the
 * {@code /data} that today's API lets rsync reach ({@code remote/} holds nothing else: it is the folder
 * rsync is confined to). Every change is written atomically before it is visible, so a restart loses
 * nothing.
 */
public class RequestStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Map<Long, UpgradeRequest> requests = new ConcurrentHashMap<>();
    private long lastId;

    public RequestStore(Path dataDir) {
        this.root = dataDir.resolve("requests");
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.toList()) {
                    Path json = dir.resolve("request.json");
                    if (Files.isRegularFile(json)) {
                        UpgradeRequest r = JSON.readValue(json.toFile(), UpgradeRequest.class);
                        requests.put(r.id, r);
                        lastId = Math.max(lastId, r.id);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox data folder " + root, e);
        }
    }

    /** Creates, persists and returns a new request with a fresh id and key. */
    public synchronized UpgradeRequest create(Consumer<UpgradeRequest> init) {
        UpgradeRequest r = new UpgradeRequest();
        r.id = ++lastId;
        r.key = newKey();
        init.accept(r);
        r.touchedAt = r.createdAt;
        try {
            if (r.isCurrent()) {
                r.token = newToken();
                Files.createDirectories(dataDir(r.id));
            } else {
                Files.createDirectories(filesDir(r.id));
                Files.createDirectories(incomingDir(r.id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        save(r);
        requests.put(r.id, r);
        return copy(r);
    }

    /** The v1 request with this id if, and only if, the key is its key (compared in constant time). */
    public Optional<UpgradeRequest> find(long id, String key) {
        UpgradeRequest r = requests.get(id);
        if (r == null || r.isCurrent() || key == null || !MessageDigest.isEqual(r.key.getBytes(), key.getBytes())) {
            return Optional.empty();
        }
        return Optional.of(get(id));
    }

    /** The request of today's API whose token this is (compared in constant time). */
    public Optional<UpgradeRequest> findByToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        for (UpgradeRequest r : requests.values()) {
            if (r.isCurrent() && MessageDigest.isEqual(r.token.getBytes(StandardCharsets.UTF_8), given)) {
                return Optional.of(get(r.id));
            }
        }
        return Optional.empty();
    }

    public synchronized UpgradeRequest get(long id) {
        UpgradeRequest r = requests.get(id);
        return r == null ? null : copy(r);
    }

    public synchronized List<UpgradeRequest> all() {
        return requests.values().stream().sorted(Comparator.comparingLong(r -> r.id)).map(RequestStore::copy).toList();
    }

    /** Applies a change under the store's lock and persists it; the change may throw to refuse. */
    public synchronized UpgradeRequest update(long id, Consumer<UpgradeRequest> change) {
        UpgradeRequest live = requests.get(id);
        if (live == null) {
            throw new IllegalArgumentException("no request " + id);
        }
        UpgradeRequest draft = copy(live);
        change.accept(draft);
        draft.touchedAt = Instant.now();
        save(draft);
        requests.put(id, draft);
        return copy(draft);
    }

    public Path requestDir(long id) {
        return root.resolve(Long.toString(id));
    }

    /** The SFTP account's whole world: the shared file, later the upgraded one. */
    public Path filesDir(long id) {
        return requestDir(id).resolve("files");
    }

    /** Today's API: the folder rsync is confined to, holding only {@code data/}. */
    public Path remoteDir(long id) {
        return requestDir(id).resolve("remote");
    }

    /** Today's API: what a client reaches as {@code /data}. */
    public Path dataDir(long id) {
        return remoteDir(id).resolve("data");
    }

    public Path incomingDir(long id) {
        return requestDir(id).resolve("incoming");
    }

    public Path originalFile(UpgradeRequest r) {
        return filesDir(r.id).resolve(r.filename);
    }

    public Path upgradedFile(UpgradeRequest r) {
        return filesDir(r.id).resolve(r.upgradedFilename());
    }

    private void save(UpgradeRequest r) {
        Path dir = requestDir(r.id);
        Path tmp = dir.resolve("request.json.tmp");
        try {
            Files.createDirectories(dir);
            JSON.writeValue(tmp.toFile(), r);
            Files.move(tmp, dir.resolve("request.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save request " + r.id, e);
        }
    }

    private static UpgradeRequest copy(UpgradeRequest r) {
        return JSON.convertValue(r, UpgradeRequest.class);
    }

    /** 24 random bytes, URL-safe base64 without padding: 32 characters that go into a URL's query as they are. */
    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** 16 random bytes, URL-safe base64 with padding: the shape of the real service's keys. */
    private static String newKey() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }
}
