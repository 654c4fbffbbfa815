package io.pigsty.offline.model;

/** A version relation in a dependency; {@link #ANY} means unversioned. */
public enum Op {
    ANY(""), LT("<"), LE("<="), EQ("="), GE(">="), GT(">");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether a comparison result {@code cmp = compare(candidate, bound)} lies inside this relation. */
    public boolean accepts(int cmp) {
        return switch (this) {
            case ANY -> true;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case EQ -> cmp == 0;
            case GE -> cmp >= 0;
            case GT -> cmp > 0;
        };
    }
}
