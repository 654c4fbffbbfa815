package io.pigsty.offline.build;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanTableTest {
    /** The plan's rows line up as the Formatter pattern they replaced, long cells included. */
    @Test
    void rowsPadAsTheFormatPatternDid() {
        String[][] rows = {{"PACKAGE", "VERSION", "ARCH", "REPO", "SIZE"}, {"bash", "5.1.8-9.el9", "x86_64", "baseos", "1.7 MiB"},
                {"python3-pip-wheel-with-a-name-longer-than-forty", "1:21.2.3-8.el9.this.release.is.long", "noarch",
                        "a-repo-name-over-sixteen", "12345678901 B"}, {"", "", "", "", ""}};
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            Build.PlanReport.row(b, r[0], r[1], r[2], r[3], r[4]);
            assertEquals(String.format("%-40s %-28s %-8s %-16s %10s%n", (Object[]) r), b.toString());
        }
    }
}
