package io.microgpt.core;

import io.microgpt.core.spi.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends on the class path, by name.
 *
 * <p>Thread-safe (each call looks the backends up afresh).
 */
public final class Backends {
    private Backends() {
    }

    /** Every backend found, available or not, sorted by name with the {@linkplain #reference() reference} first. */
    public static List<Backend> all() {
        List<Backend> list = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) list.add(b);
        list.sort(Comparator.comparing((Backend b) -> !b.isReference()).thenComparing(Backend::name));
        return list;
    }

    /**
     * The reference backend ({@link Backend#isReference()}): the default of a run and what the others are checked
     * against; a {@link MicrogptException} when none is on the class path or it cannot run here.
     */
    public static Backend reference() {
        for (Backend b : all()) {
            if (b.isReference()) return byName(b.name());
        }
        throw new MicrogptException("no reference backend on the class path (it is in microgpt-autograd-scalar)");
    }

    /**
     * One line on a backend, what backends' {@code toString} returns, e.g. {@code scalar (F64, batch 1, the
     * reference): scalar autograd tape in f64, ...}, with {@code , unavailable: <why>} where it cannot run.
     */
    public static String describe(Backend b) {
        return b.name() + " (" + b.precision() + ", batch " + b.defaultBatchSize() + (b.isReference() ? ", the reference" : "")
                + b.unavailableReason().map(why -> ", unavailable: " + why).orElse("") + "): " + b.description();
    }

    /** The backends that can run in this JVM. */
    public static List<Backend> available() {
        List<Backend> list = new ArrayList<>();
        for (Backend b : all()) if (b.unavailableReason().isEmpty()) list.add(b);
        return list;
    }

    /** The backend of this name, checked to be usable; a {@link MicrogptException} saying why not otherwise. */
    public static Backend byName(String name) {
        List<String> names = new ArrayList<>();
        for (Backend b : all()) {
            if (b.name().equals(name)) {
                b.unavailableReason().ifPresent(why -> {
                    throw new MicrogptException("backend " + Text.quote(name) + " cannot run here: " + why);
                });
                return b;
            }
            names.add(b.name());
        }
        throw new MicrogptException("unknown backend " + Text.quote(name) + "; available: " + String.join(", ", names));
    }
}
