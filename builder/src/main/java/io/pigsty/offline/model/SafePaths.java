package io.pigsty.offline.model;

/** Checks on paths that come from metadata, which is never trusted to stay inside a tree. */
public final class SafePaths {
    private SafePaths() {}

    /**
     * Whether {@code path} is a plain relative path: not empty, not absolute, no scheme, no
     * backslash, no control character, no {@code ?} or {@code #} (a URL's query or fragment), no
     * percent-escape (a server decodes {@code %2e%2e} to {@code ..}), no {@code .} or {@code ..}
     * segment, no empty segment.
     */
    public static boolean safeRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("://")) return false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '?' || c == '#' || c == '%') return false;
        }
        for (String seg : path.split("/", -1))
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return false;
        return true;
    }

    /** Whether {@code name} is a safe single file name (as placed flat in the repo tree). */
    public static boolean safeFileName(String name) {
        return safeRelative(name) && name.indexOf('/') < 0;
    }

    /** {@code text} with control characters shown as {@code \\uXXXX}, for messages about hostile names. */
    public static String shown(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        return b.toString();
    }
}
