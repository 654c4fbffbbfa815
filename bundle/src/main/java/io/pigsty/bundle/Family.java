package io.pigsty.bundle;

import java.util.Locale;

/** The two packaging families a bundle can hold; the manifest names them in lower case. */
public enum Family {
    RPM, DEB;

    /** How the manifest and recipes spell it: {@code rpm}, {@code deb}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The family spelled {@code rpm} or {@code deb}; null for anything else. */
    public static Family byId(String id) {
        for (Family f : values()) if (f.id().equals(id)) return f;
        return null;
    }

    /** The file suffix of this family's packages. */
    public String packageSuffix() {
        return "." + id();
    }
}
