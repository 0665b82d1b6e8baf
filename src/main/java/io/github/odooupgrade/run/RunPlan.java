package io.github.odooupgrade.run;

import io.github.odooupgrade.process.StartForm;
import io.github.odooupgrade.process.ValidInput;
import io.github.odooupgrade.worker.UpgradeProperties;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * One run, decided and checked before anything starts: the instance's start form, and what the
 * workers are told. Built by the run command from its options; {@link LocalStack} carries it out.
 *
 * @param start    the start form, typed
 * @param variables the instance's start variables: the form's, and an existing request to continue (its key sealed)
 * @param input    the same, as the workers' validation will read it (shown in the run's first lines)
 * @param apiUrl   the upgrade API, or null for a sandbox started by the run
 * @param contract the contract, given to the workers only (it never enters the engine)
 * @param output   results, and the sandbox's data
 * @param sftp     how the SFTP server's key is verified (the sandbox's known_hosts when it is the run's own)
 * @param postgres the database steps' server, or null when the run has none
 * @param cluster  the Camunda cluster to use, or null for an embedded engine
 * @param sealKey  what secrets are sealed with (the run's journal keeps them sealed with it too)
 * @param sandboxPorts where the run's own sandbox listens: null for free ports, the recorded ones when a run is resumed
 * @param workerExtras more of the workers' properties: notifications ({@code upgrade.notify.*}, {@code spring.mail.*}), the
 *                 API's trusted certificate ({@code upgrade.api.trusted-certificate}); empty: none
 */
public record RunPlan(StartForm start, Map<String, Object> variables, ValidInput input, String apiUrl, String contract, Path output, DataSize sftpThreshold,
        UpgradeProperties.Sftp sftp, UpgradeProperties.Postgres postgres, Cluster cluster, String sealKey, Ports sandboxPorts,
        Map<String, String> workerExtras) {

    /** The sandbox's HTTP and SFTP ports. */
    public record Ports(int http, int sftp) {}

    /** A cluster given by its addresses, or (both null) the one {@code camunda.client.*} configures. */
    public record Cluster(String grpcAddress, String restAddress) {
        /** Where an 8.8 orchestration cluster serves them unless told otherwise. */
        static final int GRPC_PORT = 26500;
        static final int REST_PORT = 8080;

        /**
         * Both addresses: one given alone names the host of the other, on its default port (the client's
         * own default REST address, port 8088 on localhost, is not where a cluster listens).
         */
        public Cluster completed() {
            if (grpcAddress != null && restAddress == null) {
                return new Cluster(grpcAddress, onPort(grpcAddress, REST_PORT));
            }
            if (restAddress != null && grpcAddress == null) {
                return new Cluster(onPort(restAddress, GRPC_PORT), restAddress);
            }
            return this;
        }

        private static String onPort(String address, int port) {
            URI uri = URI.create(address);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException(address + " is not an address like http://host:port");
            }
            return uri.getScheme() + "://" + uri.getHost() + ":" + port;
        }
    }

    public boolean localSandbox() {
        return apiUrl == null;
    }

    /** What the workers are told; what is null here their own configuration decides. */
    UpgradeProperties workerProperties(String api, String currentApi, Path knownHosts) {
        UpgradeProperties.Sftp verify = new UpgradeProperties.Sftp(knownHosts != null ? knownHosts : sftp.knownHosts(),
                sftp.hostKeyFingerprint(), sftp.acceptNew(), null);
        return new UpgradeProperties(api, null, currentApi, contract, sealKey, output, null, null, sftpThreshold, null, null, null, verify,
                postgres, null, null, null);
    }

    /** The run's third line: what is upgraded, how. */
    public String describe() {
        return "upgrade:  " + (input.sourceDatabase() != null ? "database " + input.sourceDatabase()
                : input.dumpFile() + " (" + input.dumpSize() + " bytes)") + " to " + input.target() + ", aim " + input.aim()
                + ", upload over " + input.uploadMethod() + (input.skipTests() ? ", platform tests skipped" : "")
                + (input.testFirst() ? ", a test first (restored into " + input.testDatabase() + ")" : "")
                + (input.restoreDatabase() != null ? ", restore into " + input.restoreDatabase() : "");
    }
}
