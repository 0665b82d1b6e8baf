package io.github.odooupgrade.sandbox;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade platform's operations, as the API methods expose them. A refusal is a
 * {@link FailureException}; nothing here knows about HTTP.
 */
public class Platform {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final List<String> AIMS = List.of("test", "production");

    private final RequestStore store;
    private final Lifecycle lifecycle;
    private final SandboxOptions options;
    private final Clock clock;

    public Platform(RequestStore store, Lifecycle lifecycle, SandboxOptions options, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.options = options;
        this.clock = clock;
    }

    public RequestStore store() {
        return store;
    }

    /** Validates every field and reports every bad one at once, as the real service does. */
    public UpgradeRequest create(Map<String, String> p) {
        List<Failure> failures = new ArrayList<>();
        for (String field : List.of("contract", "email", "target", "aim", "filename")) {
            if (blank(p.get(field))) {
                failures.add(Failure.missing(field));
            }
        }
        String target = p.get("target");
        if (!blank(target) && !options.targets.contains(target)) {
            failures.add(Failure.invalid("target", target, options.targets));
        }
        String aim = p.get("aim");
        if (!blank(aim) && !AIMS.contains(aim)) {
            failures.add(Failure.invalid("aim", aim, AIMS));
        }
        String email = p.get("email");
        if (!blank(email) && !EMAIL.matcher(email).matches()) {
            failures.add(new Failure("EMAIL:INVALID", "Invalid email address \"" + email + "\"", null, email, null));
        }
        String filename = p.get("filename");
        if (!blank(filename) && !validFilename(filename)) {
            failures.add(new Failure("FILENAME:INVALID",
                    "Invalid filename \"" + filename + "\": give a plain file name, without folders", null, filename, null));
        }
        String timezone = p.get("timezone");
        if (!blank(timezone) && !ZoneId.getAvailableZoneIds().contains(timezone)) {
            failures.add(new Failure("TIMEZONE:INVALID", "Unknown time zone \"" + timezone + "\"", null, timezone, null));
        }
        String contract = p.get("contract");
        if (!blank(contract) && !options.acceptsContract(contract)) {
            failures.add(new Failure("CONTRACT:NOT_FOUND", "Can not find contract " + contract, contract, null, null));
        }
        if (!failures.isEmpty()) {
            throw new FailureException(failures);
        }
        UpgradeRequest created = store.create(r -> {
            r.contract = contract;
            r.email = email;
            r.target = target;
            r.aim = aim;
            r.filename = filename;
            r.timezone = blank(timezone) ? null : timezone;
            r.createdAt = clock.instant();
            r.issue = 600_000 + r.id;
            r.enter(RequestState.DRAFT, r.createdAt, "request created");
        });
        log.info("request {} created: target {}, aim {}", created.id, created.target, created.aim);
        return created;
    }

    /** The request named by {@code request} and {@code key}; the same answer for an unknown id and a wrong key. */
    public UpgradeRequest authorize(Map<String, String> p) {
        List<Failure> failures = new ArrayList<>();
        String id = p.get("request");
        String key = p.get("key");
        if (blank(id)) {
            failures.add(Failure.missing("request"));
        }
        if (blank(key)) {
            failures.add(Failure.missing("key"));
        }
        if (!failures.isEmpty()) {
            throw new FailureException(failures);
        }
        long requestId;
        try {
            requestId = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw new FailureException(Failure.invalid("request", id, null));
        }
        return store.find(requestId, key).orElseThrow(() -> new FailureException(new Failure("REQUEST:NOT_FOUND",
                "Can not find request " + requestId + " with this key", null, Long.toString(requestId), null)));
    }

    /**
     * Streams the body into a hidden part file, inspects it, and only then puts it in place under
     * the shared file's name: a broken upload never poses as a complete dump.
     */
    public UpgradeRequest upload(UpgradeRequest r, InputStream body, long contentLength) throws IOException {
        requireState(r, "upload", RequestState.DRAFT);
        Path part = Files.createTempFile(store.incomingDir(r.id), "upload-", ".part");
        try {
            long received;
            // the JDK's server reads the socket 8 KiB at a time: gathered, the disk is written a MiB at a time
            // (a GiB over plain HTTP took 2.1-2.9 s of the sandbox's CPU with a write per read, 1.1-1.5 s so)
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 20)) {
                received = body.transferTo(out);
            }
            if (contentLength >= 0 && received != contentLength) {
                throw new IOException("upload of request " + r.id + " ended after " + received + " of " + contentLength + " bytes");
            }
            DumpInfo info = DumpInspector.inspect(part);
            UpgradeRequest updated = store.update(r.id, live -> {
                requireState(live, "upload", RequestState.DRAFT);
                try {
                    Files.move(part, store.originalFile(live), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                live.filesize = received;
                live.dump = info;
                if (!info.isDump()) {
                    live.customerMessage = info.problem();
                    live.enter(RequestState.FAILED, clock.instant(), "upload is not a database dump");
                }
            });
            log.info("request {}: {} bytes uploaded over HTTP ({})", r.id, received, info.isDump() ? info.compressions() : "not a dump");
            return updated;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** An SFTP client closed a file it wrote: record what is there now (a partial upload may be resumed). */
    public void sftpWritten(long id) {
        UpgradeRequest r = store.get(id);
        Path file = store.originalFile(r);
        try {
            long size = Files.size(file);
            DumpInfo info = DumpInspector.inspect(file);
            store.update(id, live -> {
                live.filesize = size;
                live.dump = info.isDump() ? info : null;
            });
        } catch (IOException e) {
            log.warn("request {}: cannot inspect the SFTP upload: {}", id, e.getMessage());
        }
    }

    /** Draft: SFTP upload. Done or delivered: SFTP download of the upgraded dump (the seed's download section). */
    public UpgradeRequest requestSftpAccess(UpgradeRequest r, String sshKeys) {
        if (blank(sshKeys)) {
            throw new FailureException(Failure.missing("ssh_keys"));
        }
        AuthorizedKeys.parse(sshKeys);
        requireState(r, "request_sftp_access", RequestState.DRAFT, RequestState.DONE, RequestState.DELIVERED);
        UpgradeRequest updated = store.update(r.id, live -> live.sshKeys = sshKeys);
        log.info("request {}: SFTP access granted to {}", r.id, r.sftpUser());
        return updated;
    }

    public UpgradeRequest process(UpgradeRequest r) {
        requireState(r, "process", RequestState.DRAFT);
        Path dump = store.originalFile(r);
        try {
            if (!Files.isRegularFile(dump) || Files.size(dump) == 0) {
                throw new FailureException(Failure.of("DUMP:MISSING",
                        "No database dump was uploaded for request " + r.id + ": upload it (upload or SFTP) before process"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UpgradeRequest updated = store.update(r.id, live -> {
            requireState(live, "process", RequestState.DRAFT);
            live.enter(RequestState.PENDING, clock.instant(), "processing requested");
        });
        lifecycle.schedule(updated);
        log.info("request {}: processing requested", r.id);
        return updated;
    }

    /** Skip platform testing: delivered as soon as the upgrade is done (at once if it is being tested). */
    public UpgradeRequest skipTest(UpgradeRequest r) {
        requireState(r, "skip_test", RequestState.DRAFT, RequestState.PENDING, RequestState.PROGRESS, RequestState.TEST,
                RequestState.DELIVERED);
        UpgradeRequest updated = store.update(r.id, live -> live.skipTest = true);
        if (updated.state == RequestState.TEST) {
            lifecycle.deliverNow(r.id);
        }
        log.info("request {}: tests skipped", r.id);
        return updated;
    }

    /** Bytes of the uploaded dump as on disk now (an SFTP upload grows while it runs), or null. */
    public Long currentFilesize(UpgradeRequest r) {
        try {
            Path file = store.originalFile(r);
            return Files.isRegularFile(file) ? Long.valueOf(Files.size(file)) : r.filesize;
        } catch (IOException e) {
            return r.filesize;
        }
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    static void requireState(UpgradeRequest r, String action, RequestState... allowed) {
        for (RequestState s : allowed) {
            if (r.state == s) {
                return;
            }
        }
        throw new FailureException(Failure.wrongState(r.id, r.state, action, List.of(allowed)));
    }

    /** The shared file is the only name the SFTP account can use, so it must be a plain name. */
    static boolean validFilename(String name) {
        return name.length() <= 200 && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
