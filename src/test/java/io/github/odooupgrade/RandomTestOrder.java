package io.github.odooupgrade;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.MethodDescriptor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/**
 * The suite runs its classes, and the methods of each, in a random order drawn from one seed, printed at the start:
 * a test that needs another to run first, or to not run before it, fails sooner or later instead of passing by the
 * order the disk lists the class files in. {@code -Dtest.order.seed=N} runs the same order again (the order is drawn
 * from the names, sorted, so the same seed gives the same order on any machine).
 */
public final class RandomTestOrder implements ClassOrderer, MethodOrderer {
    public static final String SEED_PROPERTY = "test.order.seed";
    static final long SEED = seed();

    private static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        long seed = given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
        System.out.println("test order: random, seed " + seed + " (the same order again: -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor c) -> c.getTestClass().getName()));
        Collections.shuffle(context.getClassDescriptors(), new java.util.Random(SEED));
    }

    @Override
    public void orderMethods(MethodOrdererContext context) {
        context.getMethodDescriptors().sort(Comparator.comparing((MethodDescriptor m) -> m.getMethod().toGenericString()));
        Collections.shuffle(context.getMethodDescriptors(), new java.util.Random(SEED ^ context.getTestClass().getName().hashCode()));
    }
}
