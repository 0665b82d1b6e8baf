package io.github.odooupgrade.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The {@code request} object of request_sftp_access: where and as whom to connect, and the one file. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SftpAccess(String hostname, int sftpPort, String sftpUser, String sharedFile, Long requestId, String sampleCommand) {

    public String upgradedFile() {
        return "upgraded_" + sharedFile;
    }
}
