package io.github.odooupgrade.worker;

import io.github.odooupgrade.api.CurrentRef;
import io.github.odooupgrade.api.RequestRef;
import io.github.odooupgrade.process.UpgradeProcess.Var;
import io.github.odooupgrade.secrets.Sealer;
import io.github.odooupgrade.transfer.SshKeyPair;
import java.util.Base64;
import java.util.Map;

/**
 * The secrets of one run as they travel in process variables — sealed — and as workers need
 * them — in clear, in memory only: the request key, the contract number, the SFTP key pair.
 */
public final class ProcessSecrets {
    private final Sealer sealer;
    private final String configuredContract;

    /** @param configuredContract the contract set on the workers (upgrade.contract), used when the form gave none */
    public ProcessSecrets(Sealer sealer, String configuredContract) {
        this.sealer = sealer;
        this.configuredContract = configuredContract == null || configuredContract.isBlank() ? null : configuredContract.trim();
    }

    public String seal(String secret) {
        return sealer.seal(secret);
    }

    public boolean hasRequest(Map<String, Object> vars) {
        return vars.get(Var.REQUEST_ID) != null && vars.get(Var.REQUEST_KEY_SEALED) != null;
    }

    public RequestRef request(Map<String, Object> vars) {
        Object id = vars.get(Var.REQUEST_ID);
        Object key = vars.get(Var.REQUEST_KEY_SEALED);
        if (!(id instanceof Number) || key == null) {
            throw new IllegalStateException("this run has no upgrade request yet (" + Var.REQUEST_ID + "/" + Var.REQUEST_KEY_SEALED + " missing)");
        }
        return new RequestRef(((Number) id).longValue(), sealer.unseal(key.toString()));
    }

    /** A request of today's API: its id, its token (sealed as the request's key) and the host it is asked of. */
    public CurrentRef currentRequest(Map<String, Object> vars) {
        RequestRef ref = request(vars);
        Object host = vars.get(Var.REQUEST_HOST);
        return new CurrentRef(ref.id(), ref.key(), host == null ? null : host.toString());
    }

    /** The workers have a contract of their own (upgrade.contract). */
    public boolean contractConfigured() {
        return configuredContract != null;
    }

    public String contract(Map<String, Object> vars) {
        Object sealed = vars.get(Var.CONTRACT_SEALED);
        if (sealed != null) {
            return sealer.unseal(sealed.toString());
        }
        if (configuredContract == null) {
            throw new IllegalStateException("no contract: the start form gave none and upgrade.contract is not configured");
        }
        return configuredContract;
    }

    public String sealKeyPair(SshKeyPair pair) {
        return sealer.seal(Base64.getEncoder().encodeToString(pair.privateKey()) + "\n" + pair.publicKey());
    }

    public SshKeyPair keyPair(Map<String, Object> vars) {
        return keyPair(vars, Var.SFTP_KEY_SEALED);
    }

    /** The key pair sealed in {@code variable}: v1's SFTP key, or today's rsync key ({@link Var#SSH_KEY_SEALED}). */
    public SshKeyPair keyPair(Map<String, Object> vars, String variable) {
        Object sealed = vars.get(variable);
        if (sealed == null) {
            throw new IllegalStateException("this run has no SSH key (" + variable + " missing)");
        }
        String clear = sealer.unseal(sealed.toString());
        int nl = clear.indexOf('\n');
        return new SshKeyPair(Base64.getDecoder().decode(clear.substring(0, nl)), clear.substring(nl + 1));
    }
}
