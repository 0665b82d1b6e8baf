package io.github.odooupgrade.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets that send full-size records. okio hands a socket at most one 8 KiB segment per write, and
 * the JDK's TLS makes a record, and a system call, of every write: an upload went out in 8 KiB records, twice
 * as many as curl sends, each one decrypted and read apart by the server. {@link FullRecordSocket} gathers the
 * writes, so the JDK's TLS gets 64 KiB at a time and cuts it into records of the most TLS allows (16 KiB).
 * Measured (bench/RESULTS.md): a GiB uploaded over TLS cost the sandbox about a sixth less CPU (11-21 %), the
 * client's sending thread about 0.15 s less.
 */
final class FullRecordSockets extends SSLSocketFactory {
    private final SSLSocketFactory tls;

    FullRecordSockets(SSLSocketFactory tls) {
        this.tls = tls;
    }

    private static Socket gathering(Socket socket) {
        return new FullRecordSocket((SSLSocket) socket);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    /** What OkHttp calls: TLS over the connection it opened. */
    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
        return gathering(tls.createSocket(plain, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return gathering(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return gathering(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return gathering(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return gathering(tls.createSocket(address, port, localAddress, localPort));
    }
}
