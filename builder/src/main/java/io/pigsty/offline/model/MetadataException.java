package io.pigsty.offline.model;

import java.io.IOException;

/**
 * Upstream metadata that cannot be trusted or read: malformed, unsafe, or not matching its checksum.
 * The build stops with the network/integrity exit code.
 */
public class MetadataException extends IOException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
