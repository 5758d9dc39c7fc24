package io.github.managedscopes.micrometer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link TagValueLimit}: the first values pass, later ones become {@code other}, and a value
 * past a full cap is answered without the lock that admits values.
 */
class TagValueLimitTests {

    @Test
    void letsTheFirstValuesThroughAndReportsLaterOnesAsOther() {
        TagValueLimit limit = new TagValueLimit(2);
        assertThat(limit.apply("a")).isEqualTo("a");
        assertThat(limit.apply("b")).isEqualTo("b");
        assertThat(limit.apply("c")).isEqualTo(ManagedScopesMeters.OTHER);
        assertThat(limit.apply("a")).isEqualTo("a");
        assertThat(limit.apply("c")).isEqualTo(ManagedScopesMeters.OTHER);
    }

    @Test
    void answersAValuePastAFullCapWithoutWaitingForTheLock() throws Exception {
        TagValueLimit limit = new TagValueLimit(1);
        limit.apply("a");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (limit) {
                held.countDown();
                awaitQuietly(release);
            }
        });
        holder.start();
        try {
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> limit.apply("b"));
            assertThat(answer).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(ManagedScopesMeters.OTHER);
        }
        finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void refusesACapBelowOneNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TagValueLimit(0))
            .withMessageContaining("'maxTagValues'")
            .withMessageContaining("0");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
