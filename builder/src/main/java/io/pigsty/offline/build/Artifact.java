package io.pigsty.offline.build;

/** One artifact made: what, where (a file or an image reference), its size (0 when pushed) and sha256 or digest. */
public record Artifact(ArtifactKind kind, String location, long size, String sha256) {}
