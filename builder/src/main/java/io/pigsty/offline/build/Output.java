package io.pigsty.offline.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Where the tree and the artifacts go and which artifacts to make, as the user typed it.
 *
 * @param repoDir  the repo tree, or null for {@code <home>/output/www/pigsty}
 * @param dist     where artifacts go under {@code <version>/}, or null for {@code <home>/output/dist}
 * @param compress gzip, zstd or none; {@code level} and {@code threads} null for the defaults
 * @param image    the container image's and the golden image's options
 * @param signKey  an OpenPGP secret key file to sign the tree and the tarball with, or null
 * @param signPassphraseFile where its passphrase is (first line), or null: PIGSTY_SIGN_PASSPHRASE, else none
 * @param split    the tarball's part size as typed ({@code 4G}, {@code dvd}...), or null for one file
 * @param lock     build exactly what this lock ({@code plan --json}) names, or null to resolve
 * @param since    an earlier bundle (tarball or manifest.json) to write a delta against, or null
 * @param sbom     the SBOM formats the tree carries ({@code cyclonedx}, {@code spdx}), empty for CycloneDX
 */
public record Output(Path repoDir, Path dist, Set<ArtifactKind> artifacts, String compress, Integer level, Integer threads,
                     ImageOptions image, Path signKey, Path signPassphraseFile, String split, Path lock, Path since,
                     List<String> sbom) {
    public Output {
        artifacts = Set.copyOf(artifacts);
        sbom = sbom == null ? List.of() : List.copyOf(sbom);
    }

    /**
     * {@code --format} and {@code --base} as given, for the container image and the golden image
     * alike: each format names its artifact (docker or oci: the image; qcow2 or raw: the golden
     * image), each base is taken by its content (a tar: the image's docker-save base; a disk: the
     * golden image's cloud image). A push to {@code push} instead of a tar when set; {@code size}
     * {@code +N[MGT]} grows the golden image's disk (null: as it is); {@code vmTimeoutMinutes} is the
     * longest its preparation VM may run, {@code vmAccel} auto, kvm or tcg.
     */
    public record ImageOptions(List<String> formats, List<Path> bases, String push, String tag, String size, int vmTimeoutMinutes,
                               String vmAccel) {
        public ImageOptions {
            formats = formats == null ? List.of() : List.copyOf(formats);
            bases = bases == null ? List.of() : List.copyOf(bases);
        }
    }
}
