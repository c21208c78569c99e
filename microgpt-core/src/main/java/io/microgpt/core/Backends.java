package io.microgpt.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The backends on the class path, by name. */
public final class Backends {
    private Backends() {
    }

    /** Every backend found, available or not, sorted by name with {@code scalar} first. */
    public static List<Backend> all() {
        List<Backend> list = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) list.add(b);
        list.sort(Comparator.comparing((Backend b) -> !b.name().equals("scalar")).thenComparing(Backend::name));
        return list;
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
