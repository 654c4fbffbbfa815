package io.pigsty.offline.model;

import java.util.regex.Pattern;

/**
 * Credentials written into a URL ({@code https://user:token@host/...}) are sent as HTTP basic auth
 * and never shown: every message, log line, plan, lock and manifest goes through {@link #redact}.
 */
public final class Secrets {
    private static final Pattern USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s'\"]+@");

    private Secrets() {}

    /** Whether {@code text} holds a URL with credentials. */
    public static boolean present(String text) {
        return text != null && USERINFO.matcher(text).find();
    }

    /** {@code text} with the user and password of every URL in it replaced by {@code ***}. */
    public static String redact(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1***@");
    }
}
