package io.pigsty.offline.metadata;

import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.Universe;

import java.util.List;

/**
 * What the metadata stage hands on: every package offered for the target, the index files read, and
 * one line for every record left out because it could not be read.
 */
public record Metadata(Universe universe, IndexSet index, List<String> dropped) {
    public Metadata {
        dropped = List.copyOf(dropped);
    }
}
