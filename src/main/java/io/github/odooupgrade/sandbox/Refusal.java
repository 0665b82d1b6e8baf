package io.github.odooupgrade.sandbox;

/**
 * Today's API refusing a call with a sentence a person can read (a bad contract, a transfer in the wrong state):
 * answered as the call's {@code result.error}. Nothing was changed.
 */
public final class Refusal extends RuntimeException {
    public Refusal(String sentence) {
        super(sentence, null, false, false);
    }
}
