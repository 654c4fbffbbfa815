package io.pigsty.offline.plan;

/**
 * What the bundle is for: Pigsty's OS code ({@code el9}, {@code d12}), package family, major release,
 * codename (Debian/Ubuntu), and arch in Pigsty's naming (x86_64, aarch64).
 */
public record Target(String os, String family, int major, String codename, String arch) {
    public boolean rpm() {
        return family.equals("rpm");
    }

    /** The arch as the family's own metadata spells it (Debian: amd64, arm64). */
    public String nativeArch() {
        if (rpm()) return arch;
        return switch (arch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** {@code el9.x86_64}: the suffix of Pigsty's offline package names. */
    public String label() {
        return os + "." + arch;
    }
}
