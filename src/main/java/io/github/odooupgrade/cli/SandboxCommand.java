package io.github.odooupgrade.cli;

import io.github.odooupgrade.sandbox.Sandbox;
import io.github.odooupgrade.sandbox.SandboxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code odoo-upgrade sandbox}: runs the local upgrade platform until stopped (Ctrl-C). */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Run the local sandbox of the upgrade platform (HTTP API + SFTP) until stopped.")
public class SandboxCommand implements Callable<Integer> {
    @Mixin
    SandboxOptions options = new SandboxOptions();

    @Override
    public Integer call() throws InterruptedException {
        Sandbox sandbox = Sandbox.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println("Upgrade sandbox running. API: " + sandbox.apiUrl() + "  SFTP port: " + sandbox.sftpPort()
                + "  SFTP host key: " + sandbox.sftp().hostKeyFingerprint());
        stopped.await();
        return 0;
    }
}
