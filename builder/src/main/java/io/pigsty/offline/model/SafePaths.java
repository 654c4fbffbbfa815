package io.pigsty.offline.model;

/** Checks on paths that come from metadata, which is never trusted to stay inside a tree. */
public final class SafePaths {
    private SafePaths() {}

    /**
     * Whether {@code path} is a plain relative path: not empty, not absolute, no scheme, no
     * backslash, no NUL, no {@code .} or {@code ..} segment, no empty segment.
     */
    public static boolean safeRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0
                || path.indexOf('\0') >= 0 || path.contains("://")) return false;
        for (String seg : path.split("/", -1))
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return false;
        return true;
    }

    /** Whether {@code name} is a safe single file name (as placed flat in the repo tree). */
    public static boolean safeFileName(String name) {
        return safeRelative(name) && name.indexOf('/') < 0;
    }
}
