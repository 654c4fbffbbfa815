package io.pigsty.bundle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleLayoutTest {
    @Test
    void packagesLieFlatAndExtrasAreNamed() {
        assertTrue(BundleLayout.isPackage("tmux-3.2a-5.el9.x86_64.rpm"));
        assertTrue(BundleLayout.isPackage("jq_1.6-2.1_amd64.deb"));
        assertFalse(BundleLayout.isPackage("repodata/x.rpm"), "packages are flat");
        assertFalse(BundleLayout.isPackage("Packages.gz"));
        assertTrue(BundleLayout.isExtra(BundleLayout.FIRSTBOOT));
        assertTrue(BundleLayout.isExtra(BundleLayout.INVENTORY));
        assertTrue(BundleLayout.isExtra("src/pigsty-v4.3.0.tgz"));
        assertFalse(BundleLayout.isExtra("srcfile"));
        assertFalse(BundleLayout.isExtra(BundleLayout.COMPLETE));
    }

    @Test
    void namesArePigstys() {
        assertEquals("pigsty-pkg-v4.3.0.el9.x86_64", BundleLayout.bundleName("v4.3.0", "el9", "x86_64"));
        assertEquals("pigsty-repo-v4.3.0.d12.aarch64", BundleLayout.repoName("v4.3.0", "d12", "aarch64"));
        assertEquals("pigsty-el9", BundleLayout.isoLabel("el9"));
        assertEquals("pigsty/repo:v4.3.0-el9-x86_64", BundleLayout.imageTag("v4.3.0", "el9", "x86_64"));
    }

    @Test
    void familiesBySpelling() {
        assertSame(Family.RPM, Family.byId("rpm"));
        assertSame(Family.DEB, Family.byId("deb"));
        assertNull(Family.byId("apk"));
        assertEquals(".deb", Family.DEB.packageSuffix());
    }
}
