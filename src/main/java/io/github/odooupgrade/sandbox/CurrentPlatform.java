package io.github.odooupgrade.sandbox;

import io.github.odooupgrade.files.Folders;
import io.github.odooupgrade.sandbox.rsync.RsyncWindows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of today's upgrade platform (the API Odoo's own client has used since 2021: JSON-RPC under
 * {@code /upgrade/request/}, the dumps moved by rsync over SSH), as its calls expose them. Each answers the
 * call's {@code result}; a refusal is a {@link Refusal}. Nothing here knows about HTTP.
 */
public class CurrentPlatform {
    private static final Logger log = LoggerFactory.getLogger(CurrentPlatform.class);
    private static final List<String> AIMS = List.of("test", "production");

    private final RequestStore store;
    private final Lifecycle lifecycle;
    private final RsyncWindows windows;
    private final Faults faults;
    private final SandboxOptions options;
    private final Supplier<String> hostUri;
    private final Clock clock;

    public CurrentPlatform(RequestStore store, Lifecycle lifecycle, RsyncWindows windows, Faults faults, SandboxOptions options,
            Supplier<String> hostUri, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.windows = windows;
        this.faults = faults;
        this.options = options;
        this.hostUri = hostUri;
        this.clock = clock;
    }

    /** {@code create}: a request in state new, bound to one SSH key. */
    public Map<String, Object> create(Map<String, Object> params) {
        String contract = required(params, "contract");
        String target = required(params, "target");
        String aim = required(params, "aim");
        String sshKey = required(params, "ssh_key");
        if (!options.acceptsContract(contract)) {
            throw new Refusal("The contract " + masked(contract) + " is not valid for an upgrade: check the subscription code "
                    + "(database.enterprise_code) or give the right one.");
        }
        if (!options.currentTargets.contains(target)) {
            throw new Refusal("The target version " + target + " is not available; choose one of " + String.join(", ",
                    options.currentTargets) + ".");
        }
        if (!AIMS.contains(aim)) {
            throw new Refusal("The aim " + aim + " is not known; it is test or production.");
        }
        try {
            if (AuthorizedKeys.parse(sshKey).size() != 1) {
                throw new Refusal("ssh_key holds several keys; give one OpenSSH public key (the content of a .pub file).");
            }
        } catch (FailureException e) {
            throw new Refusal("ssh_key is not an OpenSSH public key; give the content of a .pub file (ssh-keygen -t ed25519 makes one).");
        }
        List<String> env = new ArrayList<>();
        if (params.get("env_vars") instanceof List<?> given) {
            for (Object v : given) {
                if (!(v instanceof String s) || !s.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                    throw new Refusal("env_vars holds " + v + ", not NAME=VALUE.");
                }
                env.add(s);
            }
        }
        UpgradeRequest created = store.create(r -> {
            r.api = UpgradeRequest.CURRENT;
            r.contract = contract;
            r.target = target;
            r.aim = aim;
            r.sshKey = sshKey.strip();
            r.envVars = List.copyOf(env);
            r.createdAt = clock.instant();
            r.enter(RequestState.DRAFT, r.createdAt, "request created");
        });
        log.info("request {} created (today's API): target {}, aim {}", created.id, target, aim);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("request_id", created.id);
        result.put("token", created.token);
        result.put("assigned_host_uri", hostUri.get());
        return result;
    }

    /** The request a token names; a wiped one is still found (its status says archived). */
    public UpgradeRequest request(Map<String, Object> params) {
        String token = required(params, "token");
        return store.findByToken(token).orElseThrow(() -> new Refusal("No upgrade request has this token."));
    }

    /** {@code transfer/start}: a window for rsync over SSH, on a port of its own, for an upload (new) or a download (done). */
    public Map<String, Object> startTransfer(UpgradeRequest r, Map<String, Object> params) {
        String type = required(params, "transfer_type");
        RsyncWindows.Direction direction = switch (type) {
            case "upload" -> RsyncWindows.Direction.UPLOAD;
            case "download" -> RsyncWindows.Direction.DOWNLOAD;
            default -> throw new Refusal("transfer_type " + type + " is not known; it is upload or download.");
        };
        requireAvailable(r);
        if (direction == RsyncWindows.Direction.UPLOAD && r.state != RequestState.DRAFT) {
            throw new Refusal("The dump can be uploaded only while the request is new; it is " + wire(r.state) + ".");
        }
        if (direction == RsyncWindows.Direction.DOWNLOAD && r.state != RequestState.DONE) {
            throw new Refusal("The upgraded database can be downloaded only once the request is done; it is " + wire(r.state) + ".");
        }
        int port = windows.open(r.id, direction);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ssh_port", port);
        result.put("known_hosts", windows.knownHostsLine(sshHost(), port) + "\n");
        if (direction == RsyncWindows.Direction.DOWNLOAD) {
            result.put("dump_name", r.dumpName);
        }
        log.info("request {}: {} window opened on port {}", r.id, type, port);
        return result;
    }

    /** {@code transfer/stop}: the request's window closes (a window already closed is no error). */
    public Map<String, Object> stopTransfer(UpgradeRequest r) {
        windows.close(r.id);
        return Map.of();
    }

    /** {@code process}: queued for the upgrade, once the dump is under /data. */
    public Map<String, Object> process(UpgradeRequest r) {
        requireAvailable(r);
        if (r.state != RequestState.DRAFT) {
            throw new Refusal("The request is already " + wire(r.state) + ": it is processed once.");
        }
        Path origin = DatabaseUpgrade.origin(store.dataDir(r.id));
        windows.close(r.id);
        UpgradeRequest updated = store.update(r.id, live -> {
            if (live.state != RequestState.DRAFT) {
                throw new Refusal("The request is already " + wire(live.state) + ": it is processed once.");
            }
            live.filename = origin.getFileName().toString();
            live.enter(RequestState.PENDING, clock.instant(), "processing requested");
        });
        lifecycle.schedule(updated);
        log.info("request {}: processing requested ({})", r.id, updated.filename);
        return Map.of("is_pg_version_compatible", !faults.pgIncompatible());
    }

    /** {@code status}: the state, where to ask (host_uri), why it failed, whether its data is gone. */
    public Map<String, Object> status(UpgradeRequest r) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", wire(r.state));
        result.put("host_uri", hostUri.get());
        if ((r.state == RequestState.FAILED || r.state == RequestState.CANCELLED) && r.customerMessage != null) {
            result.put("reason", r.customerMessage);
        }
        if (r.archived) {
            result.put("archived", true);
        }
        return result;
    }

    /** {@code wipe}: the request's files deleted (an upgrade under way is cancelled first); its status then says archived. */
    public Map<String, Object> wipe(UpgradeRequest r, Map<String, Object> params) {
        String contract = required(params, "contract");
        if (!contract.equals(r.contract)) {
            throw new Refusal("This token's request belongs to another contract: give the contract it was made with.");
        }
        windows.close(r.id);
        lifecycle.archive(r.id, "The request was cancelled: its data was deleted (wipe).");
        lifecycle.settle(r.id);
        Path data = store.dataDir(r.id);
        try {
            Folders.delete(data);
            Files.createDirectories(data);
        } catch (IOException | UncheckedIOException e) {
            log.warn("request {}: its data could not all be deleted: {}", r.id, e.getMessage());
            return Map.of("wiped", List.of(), "failed", List.of(r.id));
        }
        log.info("request {}: data wiped", r.id);
        return Map.of("wiped", List.of(r.id), "failed", List.of());
    }

    /** The platform's upgrade log of the request (it grows while the request is in progress). */
    public Path log(UpgradeRequest r) {
        return store.dataDir(r.id).resolve(DatabaseUpgrade.LOG);
    }

    /** The state as today's API names it: a request waiting for its dump is "new". */
    public static String wire(RequestState state) {
        return state == RequestState.DRAFT ? "new" : state.wire();
    }

    private static void requireAvailable(UpgradeRequest r) {
        if (r.archived) {
            throw new Refusal("The request's data was deleted (archived): make a new request.");
        }
    }

    /** The host a client reaches over SSH: the host part of host_uri. */
    private String sshHost() {
        String uri = hostUri.get();
        int colon = uri.lastIndexOf(':');
        return colon > 0 && uri.indexOf(']') < colon ? uri.substring(0, colon) : uri;
    }

    /** A parameter the call cannot go without; missing, the call is malformed (a JSON-RPC error, not a refusal). */
    static String required(Map<String, Object> params, String name) {
        Object v = params.get(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new MissingParameter(name);
        }
        return s.trim();
    }

    private static String masked(String contract) {
        return contract.length() <= 3 ? "***" : contract.substring(0, 3) + "****";
    }

    /** A call without a parameter it needs: the call is malformed. */
    public static final class MissingParameter extends RuntimeException {
        public MissingParameter(String name) {
            super("the parameter " + name + " is missing or not a text; see the API's description of this call", null, false, false);
        }
    }
}
