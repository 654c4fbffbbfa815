package io.pigsty.offline.metadata;

import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.Universe;

/** What the metadata stage hands on: every package offered for the target, and the index files read. */
public record Metadata(Universe universe, IndexSet index) {}
