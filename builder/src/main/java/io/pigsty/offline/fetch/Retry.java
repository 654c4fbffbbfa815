package io.pigsty.offline.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one mirror and retry policy of every download: rounds over the mirrors in order, with
 * exponential backoff between rounds. A reset, a timeout, corrupt content and HTTP 5xx, 408 and 429
 * are worth another round; any other HTTP status is final for that mirror; a round with nothing
 * worth retrying ends the attempts early. (OkHttp itself only retries a connection that failed
 * before any response, such as a stale pooled one; everything a user would call a retry is here.)
 */
final class Retry {
    /** One try of one URL; {@code mirror} is its index in the list. */
    interface Attempt<T> {
        T run(String url, int mirror) throws IOException;
    }

    /** Every mirror failed: the errors in order, and whether every answer was that there is no such file. */
    static final class Exhausted extends IOException {
        final List<String> errors;
        final boolean notFound;

        Exhausted(List<String> errors, boolean notFound) {
            super(String.join("\n  ", errors.stream().distinct().toList()));
            this.errors = List.copyOf(errors);
            this.notFound = notFound;
        }
    }

    /** An HTTP status that is not success. */
    static final class HttpStatus extends IOException {
        final int code;

        HttpStatus(int code) {
            super("HTTP " + code);
            this.code = code;
        }

        boolean retryable() {
            return code >= 500 || code == 408 || code == 429;
        }

        boolean notFound() {
            return code == 404 || code == 410;
        }
    }

    /** Content that did not hash to what the metadata promised, or was larger than it said. */
    static final class Corrupt extends IOException {
        Corrupt(String message) {
            super(message);
        }
    }

    private final int rounds;
    private final Duration backoff;

    Retry(int rounds, Duration backoff) {
        this.rounds = Math.max(1, rounds);
        this.backoff = backoff;
    }

    <T> T run(List<String> urls, Attempt<T> attempt) throws IOException {
        List<String> errors = new ArrayList<>();
        // "No such file" only when that is all any mirror ever said: a 404 after a 503 is a flaky mirror.
        boolean onlyNotFound = true;
        for (int round = 0; round < rounds; round++) {
            if (round > 0) sleep(round);
            boolean retryable = false;
            for (int i = 0; i < urls.size(); i++) {
                String url = urls.get(i);
                try {
                    return attempt.run(url, i);
                } catch (HttpStatus e) {
                    errors.add(url + ": " + e.getMessage());
                    retryable |= e.retryable();
                    onlyNotFound &= e.notFound();
                } catch (InterruptedIOException e) {
                    if (Thread.currentThread().isInterrupted()) throw e;
                    errors.add(url + ": " + describe(e));
                    retryable = true;
                    onlyNotFound = false;
                } catch (IOException e) {
                    errors.add(url + ": " + describe(e));
                    retryable = true;
                    onlyNotFound = false;
                }
            }
            if (!retryable) break;
        }
        throw new Exhausted(errors, onlyNotFound);
    }

    private void sleep(int round) throws InterruptedIOException {
        long ms = backoff.toMillis() << Math.min(round - 1, 6);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof Corrupt) return e.getMessage();
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null ? kind : kind + ": " + m;
    }
}
