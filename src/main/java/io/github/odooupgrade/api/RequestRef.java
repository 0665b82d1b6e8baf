package io.github.odooupgrade.api;

/** A request's id and its private key: what every method after create needs. The key never prints. */
public record RequestRef(long id, String key) {
    @Override
    public String toString() {
        return "RequestRef[id=" + id + ", key=***]";
    }
}
