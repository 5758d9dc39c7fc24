package io.github.managedscopes.reliability;

import java.util.SplittableRandom;

/**
 * How the client of a disconnect plan hangs up, derived from the plan's id alone so that a
 * failing request replays the same way: with a reset ({@code SO_LINGER} 0) or an orderly
 * FIN; right after its request or after reading a random number of bytes of the stream; and
 * whether the {@code SseEmitter} handler sends a first event before it returns (the case in
 * which Tomcat loses most container notifications, see RELIABILITY.md).
 *
 * @param reset whether the client resets the connection instead of closing it
 * @param bytesBeforeHangUp how many bytes of the response the client reads first (0: none)
 * @param firstEventBeforeReturn whether the SSE handler sends an event before it returns
 */
public record Hangup(boolean reset, int bytesBeforeHangUp, boolean firstEventBeforeReturn) {

    public static Hangup of(long id) {
        SplittableRandom random = new SplittableRandom(id * 0x9E3779B97F4A7C15L);
        boolean reset = random.nextBoolean();
        int bytes = (random.nextInt(4) == 0) ? 0 : random.nextInt(1, 16_384);
        return new Hangup(reset, bytes, random.nextBoolean());
    }

}
