package io.github.odooupgrade.api;

/**
 * A request of today's API: its id, its token (the secret every call after create carries) and the host its calls go
 * to ({@code assigned_host_uri}, later {@code host_uri}: a host, or host:port; null until known, then the main host).
 * The token never prints.
 */
public record CurrentRef(long id, String token, String host) {
    /** The same request, asked of another host (the platform moved it: {@code host_uri}). */
    public CurrentRef at(String newHost) {
        return new CurrentRef(id, token, newHost);
    }

    @Override
    public String toString() {
        return "CurrentRef[id=" + id + ", token=***, host=" + host + "]";
    }
}
